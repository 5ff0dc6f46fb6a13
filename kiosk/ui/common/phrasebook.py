"""The phrasebook: the citizen answers by tapping a phrase with a picture, or by typing.

Phrases come from :func:`kiosk.services.phrasebook.phrases_for` for the current procedure and
field, in the citizen's language from the catalogs; the clerk reads them in Japanese. Pictures
are drawn with QPainter, so no image file has to ship or be licensed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import N_, Translator
from kiosk.services.conversation import Conversation
from kiosk.services.phrasebook import phrases_for
from kiosk.ui.common.touch_button import TouchButton
from kiosk.ui.common.touch_scroll import scroll_by_finger

__all__ = ["PICTURES", "PhrasebookPanel", "draw_picture"]

_INK = QColor("#1a1a1a")


def _card(p: QPainter, s: float, fill: str) -> None:
    p.setBrush(QColor(fill))
    p.drawRoundedRect(QRectF(s * 0.08, s * 0.22, s * 0.84, s * 0.56), s * 0.06, s * 0.06)


def _my_number_card(p: QPainter, s: float) -> None:
    _card(p, s, "#e8f0ff")
    p.setBrush(QColor("#b0c4de"))
    p.drawEllipse(QRectF(s * 0.62, s * 0.32, s * 0.2, s * 0.26))          # portrait
    for y in (0.34, 0.46, 0.58):
        p.drawLine(QPointF(s * 0.16, s * y), QPointF(s * 0.54, s * y))   # text lines
    p.drawRect(QRectF(s * 0.16, s * 0.64, s * 0.14, s * 0.08))            # IC chip


def _insurance_card(p: QPainter, s: float) -> None:
    _card(p, s, "#eafbea")
    p.setBrush(QColor("#2e8b57"))
    p.drawRect(QRectF(s * 0.22, s * 0.42, s * 0.18, s * 0.06))
    p.drawRect(QRectF(s * 0.28, s * 0.36, s * 0.06, s * 0.18))            # a cross
    for y in (0.38, 0.5, 0.62):
        p.drawLine(QPointF(s * 0.5, s * y), QPointF(s * 0.84, s * y))


def _seal(p: QPainter, s: float) -> None:
    p.setBrush(QColor("#fbe3e3"))
    p.drawRect(QRectF(s * 0.38, s * 0.1, s * 0.24, s * 0.5))             # handle
    p.setPen(QPen(QColor("#c62828"), s * 0.05))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QRectF(s * 0.3, s * 0.6, s * 0.4, s * 0.3))            # red imprint


def _floor_map(p: QPainter, s: float) -> None:
    p.setBrush(QColor("#f5f5dc"))
    p.drawRect(QRectF(s * 0.1, s * 0.1, s * 0.8, s * 0.8))
    p.drawLine(QPointF(s * 0.5, s * 0.1), QPointF(s * 0.5, s * 0.6))
    p.drawLine(QPointF(s * 0.1, s * 0.6), QPointF(s * 0.9, s * 0.6))
    p.setPen(QPen(QColor("#1565c0"), s * 0.06))
    p.drawLine(QPointF(s * 0.25, s * 0.8), QPointF(s * 0.7, s * 0.35))     # the way to go
    p.drawLine(QPointF(s * 0.7, s * 0.35), QPointF(s * 0.55, s * 0.37))
    p.drawLine(QPointF(s * 0.7, s * 0.35), QPointF(s * 0.68, s * 0.5))


def _yes(p: QPainter, s: float) -> None:
    p.setPen(QPen(QColor("#2e7d32"), s * 0.1))
    p.drawEllipse(QRectF(s * 0.2, s * 0.2, s * 0.6, s * 0.6))             # ○


def _no(p: QPainter, s: float) -> None:
    p.setPen(QPen(QColor("#c62828"), s * 0.1))
    p.drawLine(QPointF(s * 0.22, s * 0.22), QPointF(s * 0.78, s * 0.78))   # ×
    p.drawLine(QPointF(s * 0.78, s * 0.22), QPointF(s * 0.22, s * 0.78))


def _text_glyph(text: str) -> Callable[[QPainter, float], None]:
    def draw(p: QPainter, s: float) -> None:
        font = QFont(p.font())
        font.setPixelSize(int(s * 0.6))
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, text)
    return draw


def _clock(p: QPainter, s: float) -> None:
    p.setBrush(QColor("#ffffff"))
    p.drawEllipse(QRectF(s * 0.15, s * 0.15, s * 0.7, s * 0.7))
    p.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.5, s * 0.25))
    p.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.68, s * 0.58))


PICTURES: dict[str, Callable[[QPainter, float], None]] = {
    "my_number_card": _my_number_card, "insurance_card": _insurance_card, "seal": _seal,
    "floor_map": _floor_map, "yes": _yes, "no": _no, "repeat": _text_glyph("?"),
    "slow": _text_glyph("…"), "write": _text_glyph("✎"), "fee": _text_glyph("¥"),
    "clock": _clock,
}


def draw_picture(kind: str, size: int = 96) -> QPixmap:
    """The picture ``kind`` drawn on a transparent square (blank for an unknown kind)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(_INK, max(2.0, size * 0.03)))
    draw = PICTURES.get(kind)
    if draw is not None:
        draw(painter, float(size))
    painter.end()
    return pixmap


class PhrasebookPanel(QWidget):
    """Phrase buttons for the current procedure and field, and a line to type an answer.

    Args:
        conversation: where tapped or typed answers go.
        tr: the citizen's translator.
        columns: buttons per row at most; fewer when the widest phrase leaves no room for
            them (large text), so that none is cut at the edge.
    """

    def __init__(self, conversation: Conversation, tr: Translator, *, columns: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conversation = conversation
        self._tr = tr
        self._columns = columns
        self._laid_columns = columns
        self.buttons: dict[str, QPushButton] = {}
        self._grid = QGridLayout()
        self.typed = QLineEdit()
        self.typed.setPlaceholderText(tr(N_("Type your answer here")))
        self.typed.setMinimumHeight(64)
        self.send = QPushButton(tr(N_("Send")))
        self.send.setMinimumHeight(64)
        self.send.clicked.connect(self._on_send)
        self.typed.returnPressed.connect(self._on_send)
        row = self.typing_row = QHBoxLayout()
        row.addWidget(self.typed, 1)
        row.addWidget(self.send)
        # The phrases scroll as a list when they outnumber the room; the typing line stays put.
        phrases = QWidget()
        phrases.setLayout(self._grid)
        self.phrases = QScrollArea()
        self.phrases.setObjectName("phrases")
        self.phrases.setWidgetResizable(True)
        self.phrases.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.phrases.setFrameShape(QFrame.Shape.NoFrame)
        self.phrases.setWidget(phrases)
        scroll_by_finger(self.phrases)
        self.phrases.viewport().installEventFilter(self)
        phrases.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.phrases, 1)
        layout.addLayout(row)
        self.set_context(None, None)

    def set_context(self, procedure: str | None, field_id: str | None) -> None:
        """Offer the phrases of ``procedure`` and ``field_id`` (those tied to them first)."""
        for button in self.buttons.values():
            self._grid.removeWidget(button)
            button.hide()           # deleted later: it must not show through the new ones
            button.deleteLater()
        self.buttons = {}
        for index, phrase in enumerate(phrases_for(procedure, field_id)):
            # A touch button wraps a long phrase instead of widening the page past the screen.
            button = TouchButton(target=80, name=f"phrase_{phrase.id}")
            button.setIcon(QIcon(draw_picture(phrase.picture)))
            button.setIconSize(QSize(56, 56))
            button.setText(self._tr(phrase.message_id))
            button.clicked.connect(lambda _=False, pid=phrase.id: self._on_phrase(pid))
            self._grid.addWidget(button, index // self._laid_columns,
                                 index % self._laid_columns)
            self.buttons[phrase.id] = button
        self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Fit the columns when the phrases' room changes or their sizes do (the style
        sheet's font arrives when they are first shown, not when they are made)."""
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._fit_columns()
        return False

    def _fit_columns(self) -> None:
        """As many columns as asked, or as the widest phrase lets fit side by side."""
        if not self.buttons:
            return
        margins = self._grid.contentsMargins()
        room = self.phrases.viewport().width() - margins.left() - margins.right()
        spacing = max(0, self._grid.horizontalSpacing())
        widest = max(button.minimumSizeHint().width() for button in self.buttons.values())
        columns = max(1, min(self._columns, (room + spacing) // (widest + spacing)))
        if columns == self._laid_columns:
            return
        self._laid_columns = columns
        for button in self.buttons.values():
            self._grid.removeWidget(button)
        for index, button in enumerate(self.buttons.values()):
            self._grid.addWidget(button, index // columns, index % columns)

    def _on_phrase(self, phrase_id: str) -> None:
        self._conversation.add_citizen_phrase(phrase_id)

    def _on_send(self) -> None:
        text = self.typed.text().strip()
        if text:
            self._conversation.add_citizen_text(text)
        # The field must not keep what was typed: it is personal data.
        self.typed.clear()
