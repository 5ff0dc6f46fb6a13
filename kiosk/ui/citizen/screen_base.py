"""What every citizen screen shares: rebuilt from the visit on each change, and speakable.

Texts may carry furigana markup (``{漢字|かんじ}``, :mod:`kiosk.ruby`): with the tablet's
furigana mode on, a label shows the readings above the kanji (:class:`RubyLabel`); otherwise,
and in the speakable script and on buttons, the markup is removed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.ports import ReadingProposer
from kiosk.procedures.pictures import picture_path
from kiosk.ruby import annotate, has_kanji, has_ruby, strip_ruby
from kiosk.services.caption_vocabulary import city_places
from kiosk.services.visit import Visit
from kiosk.ui.citizen.frame import Action, Actions
from kiosk.ui.citizen.text_label import text_label
from kiosk.ui.common.picture_button import PictureButton
from kiosk.ui.common.theme import NORMAL, Theme
from kiosk.ui.common.tokens import SPACE
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["Action", "Actions", "CitizenScreen", "Furigana", "Line"]

Line = tuple[str, bool]
"""A line of a screen's speakable script: its text and whether it is personal data."""

_WRAPS_UP_TO_SCALE = 150   # text scale (%) up to which every screen fits its width

class Furigana:
    """The tablet's furigana mode, shared by its screens.

    Readings come from the texts' markup; a text without markup gets readings from ``readings``
    (Open JTalk's dictionary) when one is given, looked up only while the mode is on and kept
    for the next time. Personal data (names, answers) is never looked up or kept.
    """

    def __init__(self, readings: ReadingProposer | None = None) -> None:
        self.on = False
        self._readings = readings
        self._cache: dict[str, str] = {}

    def shown(self, text: str, *, personal: bool) -> str:
        """``text`` as a label draws it: with markup (readings) when the mode is on, else plain."""
        if not self.on:
            return strip_ruby(text)
        if personal or self._readings is None or not has_kanji(text):
            return text
        if text not in self._cache:
            # Readings the dictionary gets wrong and the city's citizens must see right (the
            # city's place-name file, forms/places/place_names.yaml).
            self._cache[text] = annotate(text, self._readings.propose, city_places().readings)
        return self._cache[text]




class CitizenScreen(QWidget):
    """A screen bound to a :class:`Visit`; :meth:`refresh` redraws it from the visit.

    Subclasses implement :meth:`build` (widgets from the visit's current state, in its
    language) and add every line they show to the script with :meth:`label`; their Back and
    forward buttons come from :meth:`footer_actions` and live in the tablet's footer.
    """

    actions_changed = Signal()
    """The screen's :meth:`footer_actions` changed without a visit change (a digit typed)."""

    def __init__(self, visit: Visit, target: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visit = visit
        self.target = target
        self.furigana = Furigana()      # the tablet hands every screen its shared mode
        self.theme: Theme = NORMAL      # the tablet's theme, for the pictures' colour
        self.text_scale = 100           # the tablet's text scale, for rows that must stack
        self._script: list[Line] = []
        # Widgets built once and laid out again on every rebuild (keyboards: building their
        # keys was most of a question's transition); a rebuild hides them instead of deleting.
        self.kept: set[QWidget] = set()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(SPACE.side, SPACE.xl, SPACE.side, SPACE.l)
        self._layout.setSpacing(SPACE.m)

    def refresh(self) -> None:
        """Drop the widgets and build them again from the visit."""
        _clear(self._layout, self.kept)
        self._script = []
        self.build(self._layout)
        self._layout.addStretch(1)
        self._fit_width()
        self.actions_changed.emit()

    def _fit_width(self) -> None:
        # The scroll area only learns the new minimum on a resize: at 200 % text a row wider
        # than the screen then scrolls sideways instead of squeezing (clipping) its buttons.
        # A screen built while hidden is not styled yet and measures too wide (its buttons as
        # one unwrapped line): it is measured again when shown, so the first tap moves nothing.
        # Up to 150 % every row wraps within the screen: no minimum, so a button measured
        # before its label wrapped cannot widen the screen until the next tap narrows it.
        # Only a wide screen is measured here: a layout pass costs a good part of a transition,
        # and Qt lays the screen out once more anyway before it is drawn.
        wide = self.isVisible() and self.text_scale > _WRAPS_UP_TO_SCALE
        if wide:
            self._layout.activate()
        self.setMinimumWidth(self._layout.minimumSize().width() if wide else 0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Measure the minimum width now that the screen is styled."""
        super().showEvent(event)
        self._fit_width()

    def build(self, layout: QVBoxLayout) -> None:
        """Add this screen's widgets to ``layout``."""
        raise NotImplementedError

    def script(self) -> list[Line]:
        """What voice guidance reads for this screen: instructions, answers and errors, then
        the footer's buttons."""
        actions = self.footer_actions()
        footer = [(action.text, False) for action in (actions.back, actions.forward)
                  if action is not None]
        return [*self._script, *footer]

    def footer_actions(self) -> Actions:
        """The footer's buttons for the screen's current state (none by default)."""
        return Actions()

    def action(self, message_id: str, name: str, handler: Callable[[], None], *,
               enabled: bool = True, mark: str = "") -> Action:
        """A footer action labelled ``message_id`` in the visit's language, with ``mark``
        beside it (see :data:`~kiosk.ui.citizen.frame.MARKS`)."""
        return Action(self.visit.tr(message_id), name, handler, enabled, mark=mark)

    # ------------------------------------------------------------ helpers for subclasses
    def bring_into_view(self, widget: QWidget) -> None:
        """Scroll the screen so that ``widget`` is seen, once the layout has placed it."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            area = parent

            def scroll() -> None:
                # The page grows to hold ``widget`` through layout requests posted one after
                # the other (its labels' heights for its width): all of them first, or the
                # scroll stops short of a page not yet tall enough.
                QApplication.sendPostedEvents()
                area.ensureWidgetVisible(widget)

            # ``widget`` as the context: a screen rebuilt meanwhile cancels the scroll.
            QTimer.singleShot(0, widget, scroll)

    def marked(self, message_id: str, /, **params: object) -> str:
        """``message_id`` in the visit's language with its furigana markup kept."""
        return self.visit.tr.marked(message_id, **params)

    def label(self, text: str, *, role: str = "", personal: bool = False, name: str = "",
              spoken: bool = True) -> QLabel:
        """A word-wrapped label, added to the script; readings above kanji in furigana mode."""
        plain = strip_ruby(text)
        widget = text_label(self.furigana.shown(text, personal=personal), self.visit.language)
        if role:
            widget.setProperty("role", role)
        if name:
            widget.setObjectName(name)
        if personal:
            widget.setProperty("personal", True)   # never in a report (common/text_report)
        if spoken and plain:
            self._script.append((plain, personal))
        return widget

    def button(self, text: str, name: str, *, role: str = "", checkable: bool = False,
               checked: bool = False, picture: str = "") -> TouchButton:
        """A touch button named ``name`` (what the pilot taps), added to the script; with the
        pictogram ``picture`` left of its label when that picture exists."""
        plain = strip_ruby(text)
        shown = self.furigana.shown(text, personal=False)
        path = picture_path(picture)
        widget = TouchButton(plain, target=self.target, name=name, role=role) \
            if path is None and not has_ruby(shown) \
            else PictureButton(shown, target=self.target, picture=path, theme=self.theme,
                               name=name, role=role)
        if checkable:
            widget.setCheckable(True)
            widget.setChecked(checked)
        self._script.append((plain, False))
        return widget

    def speak_line(self, text: str, *, personal: bool = False) -> None:
        """Add a line to the script that is not drawn as a label of its own."""
        self._script.append((text, personal))


def _clear(layout: QLayout, kept: set[QWidget]) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            widget.hide()
            if widget not in kept:
                widget.deleteLater()
        child = item.layout()
        if child is not None:
            _clear(child, kept)
