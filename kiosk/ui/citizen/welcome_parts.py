"""What the start-up Welcome and the tablet's Welcome share: the texts and the language
buttons, so that nothing moves when the tablet takes over.

Light on purpose (Qt and the catalogs only): the start-up Welcome imports it before the
services and the screens have loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout

from kiosk.i18n import LANGUAGES, N_
from kiosk.ui.common.tokens import SPACE, action_height
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["LANGUAGE_HEADING", "START", "SUBTITLE", "TITLE", "language_grid"]

TITLE = N_("Welcome to Tome City Hall")
SUBTITLE = N_("No forms to write. Pick your language, then tap the button.")
START = N_("Tap here to start")
LANGUAGE_HEADING = N_("Language")

_COLUMNS = 2


def language_grid(languages: tuple[str, ...], *, target: int, current: str,
                  on_language: Callable[[str], None]) -> tuple[QGridLayout, dict[str, TouchButton]]:
    """One checkable button per offered language, named ``language-<code>``, labelled in the
    language itself, two to a row, the current one checked; returns the grid and the buttons."""
    grid = QGridLayout()
    grid.setSpacing(SPACE.m)
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
