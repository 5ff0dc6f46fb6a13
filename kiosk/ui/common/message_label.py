"""A message line (an error, a notice) that keeps its room but draws nothing while empty."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.common.leaded_label import LeadedLabel

__all__ = ["MessageLabel"]


class MessageLabel(LeadedLabel):
    """A word-wrapped label styled by ``role`` (``error``, ``notice`` ...) that is hidden while
    it has no text.

    An empty error line used to show as an empty red box under the login fields. Its room is
    kept while hidden, so nothing below it moves when a message comes or goes.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 role: str = "error") -> None:
        super().__init__(text, parent)
        self.setProperty("role", role)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setVisible(bool(text))

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        """Show ``text``; an empty text hides the line (its room stays)."""
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        """Empty and hide the line."""
        super().clear()
        self.setVisible(False)
