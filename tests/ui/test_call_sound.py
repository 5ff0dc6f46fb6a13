"""The remote call's loudspeaker (QtCallSound): sound handed over on another thread waits at most
200 ms (the oldest goes first), the Qt thread empties the queue, and a closed output plays nothing."""

from __future__ import annotations

import threading

import pytest

from kiosk.doctor import Status
from kiosk.ui.common.call_sound import MAX_QUEUED_MS, QtCallSound, probe_sound_output

pytestmark = pytest.mark.gui

TWENTY_MS = b"\x00\x08" * 960            # 20 ms of s16le mono at 48 kHz


def test_sound_from_the_calls_thread_is_bounded_then_fed_and_closed(qtbot):
    sound = QtCallSound()
    worker = threading.Thread(target=lambda: [sound.play(TWENTY_MS) for _ in range(25)])
    worker.start()
    worker.join()
    # 500 ms arrived while the Qt thread was busy: only the newest 200 ms wait.
    assert sound.queued_ms() == MAX_QUEUED_MS
    assert sound.dropped_bytes == 15 * len(TWENTY_MS)
    qtbot.waitUntil(lambda: sound.queued_ms() == 0)    # played, or dropped without a sound card
    sound.close()
    sound.play(TWENTY_MS)
    assert sound.queued_ms() == 0


def test_probe_names_the_sound_output_or_says_how_to_fix_it(qtbot):
    [check] = probe_sound_output()
    assert check.name == "remote.loudspeaker"
    assert check.status in (Status.OK, Status.FAIL)
    assert check.fix if check.status is Status.FAIL else check.detail.startswith("sound output")
