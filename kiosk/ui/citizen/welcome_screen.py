"""Welcome: what the kiosk does, the languages each in its own script, and Start on the place
of every later Next."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.services.visit import Visit
from kiosk.ui.citizen import welcome_parts as parts
from kiosk.ui.citizen.screen_base import Actions, CitizenScreen

__all__ = ["WelcomeScreen"]


class WelcomeScreen(CitizenScreen):
    """The first screen of the tablet."""

    def __init__(self, visit: Visit, target: int, languages: tuple[str, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(visit, target, parent)
        parts.page_margins(self._layout)
        self.languages = languages
        self._check_in_error: UserFacingError | None = None

    def build(self, layout: QVBoxLayout) -> None:
        """The welcome panel (title, one sentence, the three steps), the language buttons and
        the note on written and signed help."""
        tr = self.marked       # furigana markup kept: the labels draw it in furigana mode
        ratio = self.devicePixelRatioF()
        self.title = self.label(tr(parts.TITLE), role="title", name="welcome-title")
        steps = [self.label(tr(text)) for text, _picture in parts.STEPS] \
            if parts.shows_steps(self.text_scale) else []
        layout.addWidget(parts.welcome_panel(
            self.title, self.label(tr(parts.SUBTITLE), role="muted"), steps, theme=self.theme,
            ratio=ratio))
        if self.languages:
            layout.addWidget(self.label(tr(parts.LANGUAGE_HEADING), role="heading"))
            grid, _buttons = parts.language_grid(self.languages, target=self.target,
                                                 current=self.visit.language,
                                                 on_language=self.visit.set_language)
            layout.addLayout(grid)
        if self.visit.takes_reservations:
            self._build_check_in(layout)
        support = self.label(tr(parts.SUPPORT, talk=self.visit.tr(parts.TALK)))
        layout.addWidget(parts.support_note(support, theme=self.theme, ratio=ratio))

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
        return Actions(forward=self.action(parts.START, "start", self._on_start,
                                                   mark="forward"))

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
