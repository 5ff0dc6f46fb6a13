"""The Welcome screen the tablet shows while it starts, usable before the services exist.

Opening the database, loading the forms and finding the card reader take about a second on a
tablet, and the modules behind them longer than Qt itself. A citizen should not stand in front
of a blank screen meanwhile, so :class:`BootWindow` draws the Welcome screen at once from the
configuration alone (the same frame, title, language buttons and Start as the tablet's) and
remembers what was tapped. When the tablet is ready it takes over in the chosen language and,
if start was tapped, goes straight on to the next screen. Its texts are set in the labels the
tablet's Welcome uses (:mod:`kiosk.ui.citizen.text_label`): their lines break in the same
places. From the second start on, a picture of it comes first
(:mod:`kiosk.ui.citizen.welcome_picture`), and this window is built only when the picture is
tapped. It imports Qt, the catalogs, the frame and the labels, not the services, and it does
not touch Python's ``Qt`` namespace (its hundred enums cost a first screen about 15 ms,
:mod:`kiosk.ui.citizen.frame`): the few Qt settings it makes are set by name through Qt's own
properties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n import N_, translator
from kiosk.ui.citizen.frame import (
    STACK_ABOVE_SCALE,
    Action,
    Actions,
    Footer,
    Header,
    StaffRow,
    StepBar,
)
from kiosk.ui.citizen.style import tablet_stylesheet
from kiosk.ui.citizen.text_label import text_label
from kiosk.ui.citizen.welcome_parts import (
    LANGUAGE_HEADING,
    START,
    STEPS,
    SUBTITLE,
    SUPPORT,
    TALK,
    TITLE,
    language_grid,
    page_margins,
    shows_steps,
    support_note,
    welcome_panel,
)
from kiosk.ui.common.first_paint import FirstPaint
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.theme import Theme
from kiosk.ui.common.tokens import SPACE

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

__all__ = ["BootWindow"]


class BootWindow(QWidget):
    """The start-up Welcome: the same frame, buttons and object names as the tablet's Welcome.

    Args:
        languages: catalog codes offered, in the order of the buttons.
        language: the language shown first (``[ui] default_language``).
        target: touch target side in pixels.
        kiosk_mode: frameless and not closable, like the tablet window that follows.
    """

    def __init__(self, *, languages: tuple[str, ...], language: str, target: int, theme: Theme,
                 text_scale: int, kiosk_mode: bool) -> None:
        super().__init__()
        self.setObjectName("boot-welcome")
        self.chosen_language = language
        self.start_requested = False
        self.kiosk_mode = kiosk_mode
        self.handed_over = False
        self.first_paint = FirstPaint()     # the services' loading waits for it
        self.target = target
        self.theme = theme
        self.text_scale = text_scale
        body: QWidget = self
        if kiosk_mode:
            from PySide6.QtCore import Qt  # noqa: PLC0415 - window flags have no property

            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
            # As the tablet's window: the Welcome, in the tablet's style, above the staff row
            # in Qt's own, so that the footer does not move up at the take-over (the row's ⚙
            # does nothing until then).
            window = QVBoxLayout(self)
            window.setContentsMargins(0, 0, 0, 0)
            body = QWidget()
            body.setObjectName("boot-body")
            body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            window.addWidget(body, 1)
            window.addWidget(StaffRow(target))
        body.setStyleSheet(tablet_stylesheet(theme, text_scale))
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(target, theme)
        self.header.language.setEnabled(False)     # the buttons below choose, until ready
        self.header.talk.setEnabled(False)    # in its place: the help note below names it
        layout.addWidget(self.header)
        self.step_bar = StepBar(target)
        self.step_bar.voice.setEnabled(False)
        self.step_bar.furigana.hide()
        # As the tablet's Welcome (StepBar.show_step(None)): no step yet, and no room for one.
        self.step_bar.no_step()
        layout.addWidget(self.step_bar)
        layout.addWidget(self._content(languages), 1)
        self.footer = Footer(target, theme)
        self.footer.reserve_two_lines = text_scale <= STACK_ABOVE_SCALE   # as the tablet's
        layout.addWidget(self.footer)
        self.start_button = self.footer.forward
        self._retranslate()

    def _content(self, languages: tuple[str, ...]) -> QScrollArea:
        # As the tablet draws a screen: in a scroll area, with a screen's spacing.
        # In this window from the start: its labels are polished once, in its style sheet.
        page = QScrollArea(self)
        page.setWidgetResizable(True)
        # As the tablet's pages: with the scroll bar always there, the language buttons and
        # the subtitle's line breaks stay where they are when the tablet takes over.
        page.setProperty("verticalScrollBarPolicy", "ScrollBarAlwaysOn")
        body = QWidget()
        column = QVBoxLayout(body)
        page_margins(column)
        column.setSpacing(SPACE.m)
        self._column = column
        self._texts_language = self.chosen_language
        tr = translator(self.chosen_language)
        self.title = self._text(tr(TITLE), "title", "welcome-title")
        self.subtitle = self._text(tr(SUBTITLE), "muted")
        self.steps = [self._text(tr(text), "") for text, _picture in STEPS] \
            if shows_steps(self.text_scale) else []
        self.heading = self._text(tr(LANGUAGE_HEADING), "heading")
        self.support = self._text(tr(SUPPORT, talk=tr(TALK)), "")
        ratio = self.devicePixelRatioF()
        grid, self.language_buttons = language_grid(languages, target=self.target,
                                                    current=self.chosen_language,
                                                    on_language=self._on_language)
        self.waiting = self._label("muted", "boot-waiting")
        self.waiting.hide()
        column.addWidget(welcome_panel(self.title, self.subtitle, self.steps, theme=self.theme,
                                       ratio=ratio))
        column.addWidget(self.heading)
        column.addLayout(grid)
        column.addWidget(support_note(self.support, theme=self.theme, ratio=ratio))
        column.addWidget(self.waiting)
        column.addStretch(1)
        page.setWidget(body)
        return page

    def _label(self, role: str, name: str = "") -> QLabel:
        label = LeadedLabel()
        label.setProperty("alignment", "AlignCenter")
        label.setProperty("role", role)
        if name:
            label.setObjectName(name)
        return label

    def _text(self, text: str, role: str, name: str = "") -> QLabel:
        # The label the tablet's Welcome sets this text in, in this language: the lines
        # break in the same places when it takes over.
        label = text_label(text, self.chosen_language)
        if role:
            label.setProperty("role", role)
        if name:
            label.setObjectName(name)
        return label

    def _retexted(self, old: QLabel, text: str, role: str, name: str = "") -> QLabel:
        """``old`` replaced where it stands (the column, the welcome panel, a step, the note)
        by the label for ``text`` in the chosen language, with the role the panel gave it."""
        new = self._text(text, role or str(old.property("role") or ""), name)
        for key in ("alignment",):
            if old.property(key) is not None:
                new.setProperty(key, old.property(key))
        holder = old.parentWidget()
        layout = holder.layout() if holder is not None else None
        if layout is not None:
            layout.replaceWidget(old, new)
        old.hide()      # not drawn under the new one until it is deleted
        old.deleteLater()
        return new

    def _retranslate(self) -> None:
        tr = translator(self.chosen_language)
        self.header.retranslate(tr, self.chosen_language)
        self.step_bar.voice.setText(tr(N_("Voice")))
        if self._texts_language != self.chosen_language:
            # Another language may want another kind of label (Japanese's phrases).
            self._texts_language = self.chosen_language
            self.title = self._retexted(self.title, tr(TITLE), "title", "welcome-title")
            self.subtitle = self._retexted(self.subtitle, tr(SUBTITLE), "muted")
            self.steps = [self._retexted(label, tr(text), "")
                          for label, (text, _picture) in zip(self.steps, STEPS, strict=False)]
            self.heading = self._retexted(self.heading, tr(LANGUAGE_HEADING), "heading")
            self.support = self._retexted(self.support, tr(SUPPORT, talk=tr(TALK)), "")
        self.footer.present(Actions(forward=Action(tr(START), "start", self._on_start,
                                                enabled=not self.start_requested,
                                                mark="forward")))
        self.waiting.setText(tr(N_("One moment, please. The screen is getting ready.")))
        for code, button in self.language_buttons.items():
            button.setChecked(code == self.chosen_language)

    def _on_language(self, code: str) -> None:
        self.chosen_language = code
        self._retranslate()

    def _on_start(self) -> None:
        # Kept until the tablet takes over; a second tap changes nothing.
        self.start_requested = True
        self.start_button.setEnabled(False)
        self.waiting.show()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """Paint as any widget, and tell :attr:`first_paint`."""
        super().paintEvent(event)
        self.first_paint.painted()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        """In kiosk mode only the hand-over to the tablet closes this window."""
        if self.handed_over or not self.kiosk_mode:
            event.accept()
        else:
            event.ignore()
