"""Welcome: what the kiosk does, the languages each in its own script, and Start on the place
of every later Next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.errors import UserFacingError
from kiosk.i18n import N_
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
        self._check_in_error: UserFacingError | None = None

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
        if self.visit.takes_reservations:
            self._build_check_in(layout)

    def _build_check_in(self, layout: QVBoxLayout) -> None:
        """Reservations (予約): the reader types the QR code into this field, then Enter."""
        layout.addWidget(self.label(self.marked(N_("Reserved on the web?")), role="heading"))
        layout.addWidget(self.label(self.marked(N_(
            "Hold your reservation's QR code under the reader."))))
        field = QLineEdit()
        field.setObjectName("check-in-code")
        field.setMinimumHeight(self.target)
        field.setAccessibleName(self.visit.tr(N_("Reservation code")))
        field.returnPressed.connect(lambda: self._on_check_in(field.text()))
        layout.addWidget(field)
        if self._check_in_error is not None:
            error = self._check_in_error
            layout.addWidget(self.label("⚠ " + self.visit.tr(error.message_id, **error.params),
                                        role="error", name="check-in-error"))
        field.setFocus()
    def footer_actions(self) -> Actions:
        """Start, on the place of every later Next (it teaches the place)."""
        return Actions(forward=self.action(START, "start", self._on_start))

    def _on_start(self) -> None:
        self._check_in_error = None
        self.visit.start()

    def _on_check_in(self, scanned: str) -> None:
        try:
            self.visit.check_in(scanned)     # shows the ticket screen
            self._check_in_error = None
        except UserFacingError as exc:
            self._check_in_error = exc
            self.refresh()
