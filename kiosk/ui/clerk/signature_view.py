"""The applicant's tablet signature in the clerk's review (or why there is none)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.i18n import S_, Translator

__all__ = ["SignatureView"]

_HEIGHT = 90     # px: large enough to compare with an ID, small beside the answers


class SignatureView(QLabel):
    """The signature image, scaled to a fixed height; a note when the paper will be signed."""

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.setObjectName("review-signature")
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setWordWrap(True)
        self.show_signature(None, needed=False)

    def show_signature(self, png: bytes | None, *, needed: bool) -> None:
        """Show ``png`` (the signature image), or say it will be signed on paper."""
        self.signed = False
        if png is not None:
            pixmap = QPixmap()
            if pixmap.loadFromData(png, "PNG"):
                self.setPixmap(pixmap.scaledToHeight(
                    _HEIGHT, Qt.TransformationMode.SmoothTransformation))
                self.setToolTip(self._tr(S_("Signed by the citizen on the tablet")))
                self.signed = True
                return
        self.clear()
        self.setToolTip("")
        self.setText(self._tr(S_("Not signed on the tablet: the citizen signs the printed "
                                 "form.")) if needed else "")
