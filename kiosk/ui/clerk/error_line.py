"""A panel's error line: a refusal's message, or the plain outage message while the database is away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from kiosk.errors import UserFacingError
from kiosk.i18n import Translator
from kiosk.services.outage import OutageWatch, is_outage
from kiosk.ui.common.message_label import MessageLabel

__all__ = ["ErrorLine"]


class ErrorLine(MessageLabel):
    """Shows errors in the clerk's language; a database outage as one plain message."""

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._tr = tr
        self.outage = OutageWatch()

    def show_error(self, exc: UserFacingError) -> None:
        """Show ``exc`` (the outage message when the database is away)."""
        message_id, params = self.outage.message(exc)
        self.setText(self._tr(message_id, **params))

    def done(self) -> None:
        """An action went through: the database answers and nothing is wrong."""
        self.outage.back()
        self.clear()

    def reload(self, reload: Callable[[], None]) -> None:
        """Run ``reload``; while the database is away the panel keeps what it showed and this
        line says why, and the message goes once the database answers again."""
        try:
            reload()
        except UserFacingError as exc:
            if not is_outage(exc):
                raise
            self.show_error(exc)
            return
        if self.outage.down:
            self.done()
