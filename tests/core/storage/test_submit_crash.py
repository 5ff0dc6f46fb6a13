"""Crash: a tablet process killed with SIGKILL mid-submission stores each application once or not at all."""

from __future__ import annotations

import os
import random
import select
import signal
import time

import pytest
from sqlalchemy import text

from kiosk.domain.application import Provenance, StoredAnswer, Submission
from kiosk.ports import SystemClock
from kiosk.services.applications import SubmissionService
from kiosk.storage.database import open_storage
from kiosk.storage.outbox import Outbox
from kiosk.storage.sealing import AnswerSealer

KILLS = 50


def _submission(key: str) -> Submission:
    return Submission("juminhyo", "2026.1", "ja",
                      {"name": StoredAnswer(f"登米 太郎 {key}", Provenance.CARD),
                       "copies": StoredAnswer("1", Provenance.CITIZEN)}, None, idempotency_key=key)


def _tablet(url: str, outbox_path, key: bytes, round_: int, acks: int) -> None:
    """The child: restart like a tablet (deliver what waits), then submit until killed."""
    try:
        storage = open_storage(url, SystemClock(), auto_upgrade=False, pool_size=1)
        service = SubmissionService(storage.applications, Outbox(outbox_path),
                                    AnswerSealer(key), SystemClock())
        service.deliver_pending()
        for n in range(10_000):
            result = service.submit(_submission(f"r{round_:02d}-{n:05d}"))
            os.write(acks, f"{result.idempotency_key}\n".encode())
    finally:
        os._exit(0)


def _read_acks(fd: int, timeout: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], timeout)
    return os.read(fd, 1 << 16) if ready else b""


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Python 3.12+: fork with threads
def test_submit__killed_50_times_at_random_points__each_stored_once_or_not(
        storage, sealer, tmp_path):
    outbox_path = tmp_path / "outbox.sqlite3"
    url = storage.engine.url.render_as_string(hide_password=False)
    key = bytes(range(32))
    acked: set[str] = set()
    rng = random.Random(5)
    for round_ in range(KILLS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _tablet(url, outbox_path, key, round_, write_end)
        os.close(write_end)
        received = _read_acks(read_end, 30)      # it runs: at least one submission went by
        time.sleep(rng.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := _read_acks(read_end, 0):
            received += chunk
        os.close(read_end)
        acked |= {line for line in received.decode().split("\n")[:-1]}

    # The tablet starts once more and its courier delivers what waits.
    outbox = Outbox(outbox_path)
    SubmissionService(storage.applications, outbox, sealer, SystemClock()).deliver_pending()
    with storage.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT a.id, a.idempotency_key, count(e.id) AS events FROM applications a "
            "JOIN application_events e ON e.application_id = a.id "
            "GROUP BY a.id, a.idempotency_key")).all()

    stored = [row.idempotency_key for row in rows]
    assert len(acked) >= KILLS
    assert len(stored) == len(set(stored))                 # never twice
    assert acked <= set(stored)                            # every acknowledged one is there
    assert all(row.events == 1 for row in rows)            # inserted whole, once
    for row in rows:                                       # and complete
        answers = storage.applications.get(row.id, AnswerSealer(key)).answers
        assert answers["name"].value == f"登米 太郎 {row.idempotency_key}"
    assert outbox.pending() == 0
    outbox.close()
