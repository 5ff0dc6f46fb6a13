"""The remote call's loudspeaker on a clerk PC: the other end's voice through QtMultimedia.

A :class:`kiosk.ports.CallSound`. The call hands over 20 ms of sound at a time on its own
thread; a ``QAudioSink`` in push mode lives on the Qt thread and is fed by a timer from a small
queue. The queue holds at most :data:`MAX_QUEUED_MS`: when the sound card falls behind (or
there is none) the oldest sound is dropped, so the voice is never later than the picture by
more than that. Nothing is written anywhere: sound is played, never recorded.
"""

from __future__ import annotations

import threading
from collections import deque

from PySide6.QtCore import QIODevice, QObject, QTimer
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

from kiosk.doctor import Check, Status
from kiosk.ports import CALL_SOUND_RATE

__all__ = ["MAX_QUEUED_MS", "QtCallSound", "probe_sound_output"]

MAX_QUEUED_MS = 200
_FEED_MS = 10
_BYTES_PER_MS = CALL_SOUND_RATE * 2 // 1000


def probe_sound_output() -> list[Check]:
    """Whether this PC has a sound output for the other end's voice (``kiosk doctor``)."""
    device = QMediaDevices.defaultAudioOutput()
    if device.isNull():
        return [Check("remote.loudspeaker", Status.FAIL, "no sound output: the other end is not heard",
                      fix="Connect a headset or loudspeaker and make it the default output.")]
    return [Check("remote.loudspeaker", Status.OK, f"sound output {device.description()}")]


class QtCallSound(QObject):
    """Plays s16le mono sound at :data:`~kiosk.ports.CALL_SOUND_RATE` on the default output.

    Build it on the Qt thread (its timer runs there); :meth:`play` may be called from any
    thread. Without a sound output the sound is dropped (``available`` is ``False``) and the
    call goes on.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._queued: deque[bytes] = deque()
        self._queued_bytes = 0
        self.dropped_bytes = 0
        self._closed = False
        audio_format = QAudioFormat()
        audio_format.setSampleRate(CALL_SOUND_RATE)
        audio_format.setChannelCount(1)
        audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        device = QMediaDevices.defaultAudioOutput()
        self.available = not device.isNull() and device.isFormatSupported(audio_format)
        self._sink: QAudioSink | None = None
        self._out: QIODevice | None = None
        if self.available:
            self._sink = QAudioSink(device, audio_format, self)
            self._sink.setBufferSize(MAX_QUEUED_MS * _BYTES_PER_MS)
            self._out = self._sink.start()
        self._timer = QTimer(self)
        self._timer.setInterval(_FEED_MS)
        self._timer.timeout.connect(self._feed)
        self._timer.start()

    def play(self, pcm: bytes) -> None:
        """Queue ``pcm``; the oldest queued sound goes when more than 200 ms wait."""
        with self._lock:
            if self._closed:
                return
            self._queued.append(pcm)
            self._queued_bytes += len(pcm)
            while self._queued_bytes > MAX_QUEUED_MS * _BYTES_PER_MS:
                old = self._queued.popleft()
                self._queued_bytes -= len(old)
                self.dropped_bytes += len(old)

    def queued_ms(self) -> float:
        """How much sound waits to be handed to the sound card."""
        with self._lock:
            return self._queued_bytes / _BYTES_PER_MS

    def _feed(self) -> None:
        # On the Qt thread: as much as the sink takes now; the rest waits for the next tick.
        sink, out = self._sink, self._out
        with self._lock:
            if sink is None or out is None:
                self.dropped_bytes += self._queued_bytes
                self._queued.clear()
                self._queued_bytes = 0
                return
            room = sink.bytesFree()
            chunks: list[bytes] = []
            while self._queued and len(self._queued[0]) <= room:
                chunk = self._queued.popleft()
                room -= len(chunk)
                self._queued_bytes -= len(chunk)
                chunks.append(chunk)
        for chunk in chunks:
            out.write(chunk)

    def close(self) -> None:
        """Stop the sound card and drop what is queued; later sound is ignored.

        The call closes its output on its own thread after it hung up: the Qt objects are
        stopped on the Qt thread (a queued call), never from the call's.
        """
        with self._lock:
            self._closed = True
            self._queued.clear()
            self._queued_bytes = 0
        if threading.current_thread() is threading.main_thread():
            self._stop()
        else:
            QTimer.singleShot(0, self, self._stop)

    def _stop(self) -> None:
        self._timer.stop()
        if self._sink is not None:
            self._sink.stop()
        self._out = None
