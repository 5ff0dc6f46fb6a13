"""Welcome: a large "tap to start"; the language buttons are on the tablet's top bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from kiosk.ui.citizen.screen_base import CitizenScreen
from kiosk.ui.citizen.welcome_parts import START, SUBTITLE, TITLE, start_height

__all__ = ["WelcomeScreen"]


class WelcomeScreen(CitizenScreen):
    """The first screen of the tablet."""

    def build(self, layout: QVBoxLayout) -> None:
        """Title, one sentence, and the start button."""
        tr = self.marked       # furigana markup kept: the labels draw it in furigana mode
        layout.addStretch(1)
        self.title = self.label(tr(TITLE), role="title", name="welcome-title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        subtitle = self.label(tr(SUBTITLE), role="muted")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(subtitle)
        self.start_button = self.button(tr(START), "start", role="primary")
        self.start_button.setMinimumHeight(start_height(self.target))
        self.start_button.clicked.connect(self._on_start)
        layout.addWidget(self.start_button)

    def _on_start(self) -> None:
        self.visit.start()
