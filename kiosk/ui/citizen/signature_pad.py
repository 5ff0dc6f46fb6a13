"""The signature pad at the end of the check screen: a large box to sign in with a finger.

The canvas keeps no business state: each finished stroke goes to the visit's
:class:`~kiosk.services.signature_capture.SignatureCapture`, which the canvas draws from when
the screen is rebuilt. Nothing is published while the finger is down, so nothing on the
screen moves or is rebuilt under it; the canvas has a fixed height and repaints only the
few pixels around each new segment (the ink must follow the finger, bench/bench_signing.py).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.domain.signature import Point, Signature
from kiosk.i18n import N_
from kiosk.services.signature_capture import SignatureCapture
from kiosk.ui.citizen.screen_base import CitizenScreen
from kiosk.ui.common.tokens import COLOURS, SIZES, TYPE, scaled_target

__all__ = ["PAD_HEIGHT_MM", "SignatureCanvas", "add_signature_pad"]

PAD_HEIGHT_MM = 40.0     # as high as two option cards: room for a name in kanji or in Latin
_PEN_MM = 0.9            # the ink's width: a felt-tip pen's line


class SignatureCanvas(QWidget):
    """The box a finger signs in; strokes go to ``capture`` when the finger lifts."""

    def __init__(self, capture: SignatureCapture, target: int, placeholder: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature-canvas")
        self._capture = capture
        self._placeholder = placeholder
        self._pen_px = max(3.0, target * _PEN_MM / SIZES.target_mm)
        self._stroke: list[Point] = []
        self._cache: QPixmap | None = None      # the finished strokes, drawn once
        self.paints = 0                          # paint events (the latency benchmark counts)
        self.setFixedHeight(scaled_target(target, PAD_HEIGHT_MM))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """As wide as the screen allows; the fixed height."""
        return QSize(self.height() * 3, self.height())

    # ------------------------------------------------------------ input
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Finger down: a new stroke starts."""
        if event.button() is Qt.MouseButton.LeftButton:
            self._stroke = [self._point(event.position())]
            self._repaint_around(self._stroke[-1], self._stroke[-1])
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Finger moves: ink follows it."""
        if self._stroke and event.buttons() & Qt.MouseButton.LeftButton:
            point = self._point(event.position())
            self._stroke.append(point)
            self._repaint_around(self._stroke[-2], point)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Finger up: the stroke joins the visit's signature."""
        if self._stroke:
            self._capture.add_stroke(self._stroke, self.width(), self.height())
            self._stroke = []
            self._cache = None
            self.update()
        event.accept()

    def clear(self) -> None:
        """Wipe the strokes (the visit's and the one being drawn)."""
        self._capture.clear()
        self._stroke = []
        self._cache = None
        self.update()

    def _point(self, position: QPointF) -> Point:
        x = min(max(round(position.x()), 0), self.width() - 1)
        y = min(max(round(position.y()), 0), self.height() - 1)
        return (x, y, self._capture.now_ms())

    def _repaint_around(self, a: Point, b: Point) -> None:
        pad = int(self._pen_px) + 2
        rect = QRect(min(a[0], b[0]) - pad, min(a[1], b[1]) - pad,
                     abs(a[0] - b[0]) + 2 * pad, abs(a[1] - b[1]) + 2 * pad)
        self.update(rect)

    # ------------------------------------------------------------ drawing
    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        """A new width: the finished strokes are drawn again at their place."""
        self._cache = None
        super().resizeEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The box, its "sign here" while empty, the finished strokes and the current one."""
        self.paints += 1
        painter = QPainter(self)
        painter.drawPixmap(event.rect(), self._background(), event.rect())
        if len(self._stroke) > 0:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(self._ink())
            _polyline(painter, self._stroke)
        painter.end()

    def _ink(self) -> QPen:
        pen = QPen(QColor(COLOURS.gray_900), self._pen_px)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _background(self) -> QPixmap:
        if self._cache is not None and self._cache.size() == self.size():
            return self._cache
        pixmap = QPixmap(self.size())
        pixmap.fill(QColor(COLOURS.white))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = QPen(QColor(COLOURS.gray_600), SIZES.border_outline)
        painter.setPen(line)
        painter.drawRect(QRectF(1.5, 1.5, self.width() - 3.0, self.height() - 3.0))
        base = self.height() * 0.72
        painter.setPen(QPen(QColor(COLOURS.gray_200), SIZES.border))
        painter.drawLine(QPointF(self.width() * 0.06, base), QPointF(self.width() * 0.94, base))
        signature = self._capture.signature
        if signature is None or signature.is_empty:
            font = painter.font()
            font.setPixelSize(TYPE.label)
            painter.setFont(font)
            painter.setPen(QColor(COLOURS.gray_700))
            painter.drawText(QRectF(0, 0, self.width(), base), Qt.AlignmentFlag.AlignCenter,
                             self._placeholder)
        else:
            painter.setPen(self._ink())
            for stroke in _fitted(signature, self.width(), self.height()):
                _polyline(painter, list(stroke))
        painter.end()
        self._cache = pixmap
        return pixmap


def _fitted(signature: Signature, width: int, height: int) -> list[list[Point]]:
    """The strokes scaled to a pad of another size (the screen was rebuilt)."""
    sx, sy = width / max(1, signature.width), height / max(1, signature.height)
    return [[(round(x * sx), round(y * sy), t) for x, y, t in stroke.points]
            for stroke in signature.strokes]


def _polyline(painter: QPainter, points: list[Point]) -> None:
    if len(points) == 1:
        painter.drawPoint(QPointF(points[0][0], points[0][1]))
        return
    painter.drawPolyline([QPointF(x, y) for x, y, _ in points])


def add_signature_pad(screen: CitizenScreen, layout: QVBoxLayout) -> SignatureCanvas:
    """Add the heading, the box, Clear and the paper alternative to the check screen."""
    tr = screen.marked
    capture = screen.visit.signature
    layout.addWidget(screen.label(tr(N_("Your signature")), role="heading",
                                  name="signature-heading"))
    canvas = SignatureCanvas(capture, screen.target, screen.visit.tr(N_("Sign here")))
    screen.speak_line(screen.visit.tr(N_("Sign here")))
    box = QVBoxLayout()
    box.setSpacing(0)
    box.addWidget(canvas)
    layout.addLayout(box)
    clear = screen.button(tr(N_("Clear and sign again")), "signature-clear")
    clear.clicked.connect(canvas.clear)
    layout.addWidget(clear, 0, Qt.AlignmentFlag.AlignRight)
    layout.addWidget(screen.label(tr(N_("If you cannot sign here, leave the box empty: you "
                                        "will sign the paper form at the counter.")),
                                  role="muted", name="signature-note"))
    return canvas
