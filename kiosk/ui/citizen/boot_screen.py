"""The Welcome screen the tablet shows while it starts, usable before the services exist.

Opening the database, loading the forms and finding the card reader take about a second on a
tablet, and the modules behind them longer than Qt itself. A citizen should not stand in front
of a blank screen meanwhile, so :class:`BootWindow` draws the Welcome screen at once from the
configuration alone (title, language buttons, start) and remembers what was tapped. When the
tablet is ready it takes over in the chosen language and, if start was tapped, goes straight
on to the next screen. This module imports nothing but Qt and the catalogs: that is the point.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import N_, translator
from kiosk.ui.citizen.style import tablet_stylesheet
from kiosk.ui.citizen.welcome_parts import (
    START,
    SUBTITLE,
    TITLE,
    add_language_buttons,
    language_columns,
    start_height,
)
from kiosk.ui.common.theme import Theme
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["BootWindow"]


class BootWindow(QWidget):
    """The start-up Welcome: the same buttons (and object names) as the tablet's Welcome.

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
        self.target = target
        self.setStyleSheet(tablet_stylesheet(theme, text_scale))
        if kiosk_mode:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._language_bar(languages, columns=language_columns(text_scale)))
        layout.addStretch(1)
        self.title = self._label("title", "welcome-title")
        layout.addWidget(self.title)
        self.subtitle = self._label("muted")
        layout.addWidget(self.subtitle)
        self.start_button = TouchButton("", target=target, name="start", role="primary")
        self.start_button.setMinimumHeight(start_height(target))
        self.start_button.clicked.connect(self._on_start)
        layout.addWidget(self.start_button)
        self.waiting = self._label("muted", "boot-waiting")
        self.waiting.hide()
        layout.addWidget(self.waiting)
        layout.addStretch(2)
        self._retranslate()

    def _language_bar(self, languages: tuple[str, ...], columns: int) -> QGridLayout:
        bar = QGridLayout()
        self.language_buttons = add_language_buttons(bar, languages, target=self.target,
                                                     columns=columns,
                                                     on_language=self._on_language)
        return bar

    def _label(self, role: str, name: str = "") -> QLabel:
        label = QLabel(wordWrap=True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setProperty("role", role)
        if name:
            label.setObjectName(name)
        return label

    def _retranslate(self) -> None:
        tr = translator(self.chosen_language)
        self.title.setText(tr(TITLE))
        self.subtitle.setText(tr(SUBTITLE))
        self.start_button.setText(tr(START))
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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        """In kiosk mode only the hand-over to the tablet closes this window."""
        if self.handed_over or not self.kiosk_mode:
            event.accept()
        else:
            event.ignore()
