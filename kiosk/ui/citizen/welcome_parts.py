"""What the start-up Welcome and the tablet's Welcome share: the texts, the welcome panel with
the three steps of a visit, the language buttons and the note on written and signed help, so
that nothing moves when the tablet takes over.

Light on purpose (Qt with its SVG module for the pictures, the catalogs and the pictures'
folder): the start-up Welcome imports it before the services and the screens have loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
)

from kiosk.i18n import LANGUAGES, N_
from kiosk.procedures.pictures import picture_path
from kiosk.ui.common.picture_button import picture_pixmap
from kiosk.ui.common.theme import Theme
from kiosk.ui.common.tokens import SPACE, action_height
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["LANGUAGE_HEADING", "START", "STEPS", "SUBTITLE", "SUPPORT", "TALK", "TITLE",
           "language_grid", "page_margins", "shows_steps", "support_note", "welcome_panel"]

TITLE = N_("Welcome to Tome City Hall")
SUBTITLE = N_("No forms to write. Pick your language, then tap the button.")
START = N_("Tap here to start")
LANGUAGE_HEADING = N_("Language")
# A visit in three steps, each with its picture (kiosk/resources/pictures).
STEPS = ((N_("Choose what you came for"), "step-choose"), (N_("Insert your card"), "step-card"),
         (N_("Wait with your number"), "step-wait"))
# {talk}: the header's button for a written conversation with the staff, as it is labelled.
SUPPORT = N_("We can also help you in writing or in sign language. Tap “{talk}” at the top.")
TALK = N_("Talk with the clerk")

_COLUMNS = 2
# Pictures' sides in pixels: the steps' and the hand's (the design's 48 and 44, a little
# smaller so that the Welcome with eight languages fits the screen without scrolling).
_STEP_PICTURE = 36
_SUPPORT_PICTURE = 40



def page_margins(layout: QBoxLayout) -> None:
    """The Welcome page's margins: a screen's sides, half its usual room above and below (the
    step bar's toggles are above it already, the footer's line below): in kiosk mode at
    150 dpi the Japanese Welcome fits over the footer without scrolling."""
    layout.setContentsMargins(SPACE.side, SPACE.m, SPACE.side, SPACE.m)

def language_grid(languages: tuple[str, ...], *, target: int, current: str,
                  on_language: Callable[[str], None]) -> tuple[QGridLayout, dict[str, TouchButton]]:
    """One checkable button per offered language, named ``language-<code>``, labelled in the
    language itself, two to a row, the current one checked; returns the grid and the buttons."""
    grid = QGridLayout()
    grid.setSpacing(SPACE.s + SPACE.xs)
    grid.setVerticalSpacing(SPACE.s)
    buttons: dict[str, TouchButton] = {}
    shown = [lang for lang in LANGUAGES if lang.code in languages]
    for index, lang in enumerate(shown):
        button = TouchButton(lang.native_name, target=target, name=f"language-{lang.code}",
                             role="language")
        button.setProperty("lang", lang.code)   # each name in its own script, not a leak
        button.setCheckable(True)
        button.setChecked(lang.code == current)
        button.setMinimumHeight(action_height(target))
        button.clicked.connect(lambda _=False, code=lang.code: on_language(code))
        grid.addWidget(button, index // _COLUMNS, index % _COLUMNS)
        buttons[lang.code] = button
    return grid, buttons


def shows_steps(text_scale: int) -> bool:
    """Whether the Welcome shows the three steps at ``text_scale`` percent: not with the
    largest text, where they would push the language buttons below the fold (the languages
    are what the Welcome is for; the steps only say what comes)."""
    # Here, not at the top: the frame imports this module (its language sheet's grid).
    from kiosk.ui.citizen.frame import STACK_ABOVE_SCALE  # noqa: PLC0415

    return text_scale <= STACK_ABOVE_SCALE


def welcome_panel(title: QLabel, subtitle: QLabel, steps: list[QLabel], *, theme: Theme,
                  ratio: float = 1.0) -> QFrame:
    """The panel that opens the Welcome: ``title`` and ``subtitle`` (left-aligned), then the
    three steps of a visit side by side, each a picture, its number and ``steps``' label (none
    when ``steps`` is empty, see :func:`shows_steps`).

    The labels are made by the caller, as it makes every text of its screen (the tablet and
    the start-up Welcome each their own way, to the same lines).
    """
    panel = QFrame()
    panel.setObjectName("welcome-panel")
    column = QVBoxLayout(panel)
    # Narrower margins with the largest text (no steps): the title keeps to fewer lines.
    side = SPACE.xl if steps else SPACE.m
    column.setContentsMargins(side, SPACE.m, side, SPACE.m)
    column.setSpacing(SPACE.xs)
    column.addWidget(title)
    column.addWidget(subtitle)
    if not steps:
        return panel
    column.addSpacing(SPACE.xs)
    row = QHBoxLayout()
    row.setSpacing(SPACE.s + SPACE.xs)
    for number, (label, (_text, picture)) in enumerate(zip(steps, STEPS, strict=True), 1):
        tile = QFrame()
        tile.setObjectName(f"welcome-step-{number}")
        tile.setProperty("role", "step-tile")
        tiled = QVBoxLayout(tile)
        tiled.setContentsMargins(SPACE.s, SPACE.xs, SPACE.s, SPACE.s)
        tiled.setSpacing(0)
        tiled.addWidget(_picture(picture, theme.outline, _STEP_PICTURE, ratio))
        digit = QLabel(str(number))
        digit.setProperty("role", "step-number")
        digit.setProperty("alignment", "AlignCenter")
        tiled.addWidget(digit)
        label.setProperty("role", "step-label")
        label.setProperty("alignment", "AlignCenter")
        tiled.addWidget(label)
        tiled.addStretch(1)
        row.addWidget(tile, 1)
    column.addLayout(row)
    return panel


def support_note(text: QLabel, *, theme: Theme, ratio: float = 1.0) -> QFrame:
    """The note that help is also given in writing or sign language: a hand, then ``text``."""
    note = QFrame()
    note.setObjectName("welcome-support")
    row = QHBoxLayout(note)
    row.setContentsMargins(SPACE.l, SPACE.xs, SPACE.l, SPACE.xs)
    row.setSpacing(SPACE.m)
    row.addWidget(_picture("support-hand", theme.outline, _SUPPORT_PICTURE, ratio))
    text.setProperty("role", "support")
    row.addWidget(text, 1)
    return note


def _picture(name: str, colour: str, side: int, ratio: float) -> QLabel:
    """A label showing pictogram ``name`` ``side`` pixels square (empty where it cannot be
    drawn: the words say the same)."""
    picture = QLabel()
    picture.setProperty("role", "picture")
    picture.setProperty("alignment", "AlignCenter")
    path = picture_path(name)
    if path is not None:
        picture.setPixmap(picture_pixmap(path, colour, side, ratio))
    picture.setFixedHeight(side)
    return picture
