"""A word-wrapped label whose lines keep the design's pitch (line height).

Qt lays a word-wrapped ``QLabel`` out at the font's own line spacing, and the UD fonts the
kiosk uses set their lines solid (1 em): two lines of a long English or Nepali option touched,
and stacked accents (Tiếng Việt) ran into the line above. This label lets ``QTextLayout`` find
the line breaks as ``QLabel`` does (Unicode rules, so Thai and word joiners still work) and
places the lines itself, at least ``TYPE.line_height_label`` apart, with the extra room shared
above and below each line as CSS's half-leading does.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QFont, QFontInfo, QPainter, QPaintEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

from kiosk.ui.common.tokens import TYPE

__all__ = ["LeadedLabel", "SelfWrappedLabel", "line_pitch"]

QWIDGETSIZE_MAX = (1 << 24) - 1   # Qt's QWIDGETSIZE_MAX: no width limit


def line_pitch(font: QFont) -> int:
    """The least distance between two baselines of wrapped text in ``font``, in pixels."""
    return round(QFontInfo(font).pixelSize() * TYPE.line_height_label)


class SelfWrappedLabel(QLabel):
    """A word-wrapped label that lays its lines out itself: it answers height-for-width from
    :meth:`lines_height`, inside the frame a style sheet gives it."""

    def lines_height(self, width: int) -> int:
        """The height the wrapped lines need in ``width`` pixels of text."""
        raise NotImplementedError

    def _extra(self) -> tuple[int, int, int, int]:
        # The contents margins hold a style sheet's border and padding (QFrame's frame).
        self.ensurePolished()
        margins, margin = self.contentsMargins(), self.margin()
        return (margins.left() + margin, margins.top() + margin, margins.right() + margin,
                margins.bottom() + margin)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        """The height depends on the width (more lines when narrower)."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        """The height the wrapped lines need at ``width``, with the frame."""
        left, top, right, bottom = self._extra()
        return self.lines_height(width - left - right) + top + bottom


class LeadedLabel(SelfWrappedLabel):
    """A plain-text, word-wrapped label laid out at the design's line pitch."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setProperty("textFormat", "PlainText")   # by name: no Qt enum before the Welcome
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def pitch(self) -> int:
        """The least distance between two baselines, in pixels."""
        return line_pitch(self.font())

    def text_height(self, text: str, width: int) -> int:
        """The height ``text`` would take in ``width`` pixels of this label's room."""
        return self._layout(width, text)[1]

    def _layout(self, width: int, text: str | None = None) -> tuple[QTextLayout, int]:
        """The text laid out in ``width`` pixels, and the height its lines take."""
        layout = QTextLayout(self.text() if text is None else text, self.font())
        option = QTextOption(self.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        pitch, top = self.pitch(), 0.0
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(max(1, width))
            # A line drawn in a fallback font may be taller than the pitch: it keeps its own.
            height = max(line.height(), pitch)
            line.setPosition(QPointF(0, top + (height - line.height()) / 2))
            top += height
        layout.endLayout()
        return layout, round(top)

    def lines_height(self, width: int) -> int:
        """The height the wrapped lines need in ``width`` pixels of text."""
        return self._layout(width)[1]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """As wide as QLabel would be, as high as the lines at the pitch are there."""
        width = super().sizeHint().width()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """QLabel's narrowest width, and the height of one line, as QLabel answers: a layout
        asks heightForWidth for the real height (the narrowest width's height would hold
        the window up to one word a line)."""
        return QSize(super().minimumSizeHint().width(), self.heightForWidth(QWIDGETSIZE_MAX))

    def line_layout(self) -> tuple[int, int]:
        """How many lines the text takes now, and the least distance between them."""
        left, _top, right, _bottom = self._extra()
        return self._layout(self.width() - left - right)[0].lineCount(), self.pitch()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The frame (style sheet border and background), then the lines at the pitch."""
        QFrame.paintEvent(self, event)
        left, top, right, bottom = self._extra()
        layout, height = self._layout(self.width() - left - right)
        spare = max(0, self.height() - top - bottom - height)
        vertical = self.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
        if vertical & Qt.AlignmentFlag.AlignVCenter:    # as QLabel places its lines
            top += spare // 2
        elif vertical & Qt.AlignmentFlag.AlignBottom:
            top += spare
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        layout.draw(painter, QPointF(left, top))
        painter.end()
