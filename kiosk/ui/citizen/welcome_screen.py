"""Welcome: what the kiosk does, the languages each in its own script, and Start on the place
of every later Next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.services.visit import Visit
from kiosk.ui.citizen.screen_base import Actions, CitizenScreen
from kiosk.ui.citizen.welcome_parts import LANGUAGE_HEADING, START, SUBTITLE, TITLE, language_grid

__all__ = ["WelcomeScreen"]


class WelcomeScreen(CitizenScreen):
    """The first screen of the tablet."""

    def __init__(self, visit: Visit, target: int, languages: tuple[str, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(visit, target, parent)
        self.languages = languages

    def build(self, layout: QVBoxLayout) -> None:
        """Title, one sentence, and the language buttons."""
        tr = self.marked       # furigana markup kept: the labels draw it in furigana mode
        self.title = self.label(tr(TITLE), role="title", name="welcome-title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        subtitle = self.label(tr(SUBTITLE), role="muted")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(subtitle)
        if self.languages:
            layout.addWidget(self.label(tr(LANGUAGE_HEADING), role="heading"))
            grid, _buttons = language_grid(self.languages, target=self.target,
                                           current=self.visit.language,
                                           on_language=self.visit.set_language)
            layout.addLayout(grid)

    def footer_actions(self) -> Actions:
        """Start, on the place of every later Next (it teaches the place)."""
        return Actions(forward=self.action(START, "start", self._on_start))

    def _on_start(self) -> None:
        self.visit.start()
