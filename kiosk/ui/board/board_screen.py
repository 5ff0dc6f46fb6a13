"""The waiting-room board: the number being called, large, and a rotating notice."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.i18n import N_, Translator
from kiosk.ports import Clock

__all__ = ["BoardScreen"]


class BoardScreen(QWidget):
    """Readable from 5 m: the called number fills most of the screen."""

    def __init__(self, tr: Translator, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.heading = QLabel(tr(N_("Now calling")), alignment=Qt.AlignmentFlag.AlignCenter)
        self.heading.setObjectName("board-heading")
        self.heading.setWordWrap(True)
        self.number = QLabel("—", alignment=Qt.AlignmentFlag.AlignCenter)
        self.number.setObjectName("board-number")
        self.waiting = QLabel(tr(N_("No one is waiting.")), alignment=Qt.AlignmentFlag.AlignCenter,
                              wordWrap=True)
        self.notice = QLabel(tr(N_(
            "With your My Number card you can get certificates at convenience stores too.")),
            alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.notice.setProperty("role", "muted")
        self.time = QLabel(alignment=Qt.AlignmentFlag.AlignRight)
        for label, size in ((self.heading, 28), (self.number, 120), (self.waiting, 26),
                            (self.notice, 22), (self.time, 22)):
            font = label.font()
            font.setPointSize(size)
            font.setBold(label is self.number)
            label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.time)
        layout.addWidget(self.heading)
        layout.addWidget(self.number, 1)
        layout.addWidget(self.waiting)
        layout.addWidget(self.notice)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._on_tick)
        self._timer.start()
        self._on_tick()

    def _on_tick(self) -> None:
        self.time.setText(self._clock.now().strftime("%H:%M"))
