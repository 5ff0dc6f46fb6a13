"""Welcome: a large "tap to start"; the language buttons are on the tablet's top bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from kiosk.i18n import N_
from kiosk.ui.citizen.screen_base import CitizenScreen

__all__ = ["WelcomeScreen"]


class WelcomeScreen(CitizenScreen):
    """The first screen of the tablet."""

    def build(self, layout: QVBoxLayout) -> None:
        """Title, one sentence, and the start button."""
        tr = self.marked       # furigana markup kept: the labels draw it in furigana mode
        layout.addStretch(1)
        self.title = self.label(tr(N_("Welcome to Tome City Hall")), role="title",
                                name="welcome-title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        subtitle = self.label(tr(N_("No forms to write. Pick your language, then tap the "
                                    "button.")), role="muted")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(subtitle)
        self.start_button = self.button(tr(N_("Tap here to start")), "start", role="primary")
        self.start_button.setMinimumHeight(max(self.target * 2, 120))
        self.start_button.clicked.connect(self._on_start)
        layout.addWidget(self.start_button)

    def _on_start(self) -> None:
        self.visit.start()
