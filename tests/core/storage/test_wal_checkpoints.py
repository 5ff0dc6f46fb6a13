"""The write-ahead log is checkpointed by a background thread, not by the writer that fills it."""

from __future__ import annotations

import logging
import struct
import time
from pathlib import Path

import pytest

from kiosk.storage import wal_checkpoints
from kiosk.storage.engine import make_engine, transaction

PAGES = 2_000          # past SQLite's default threshold of 1,000 pages


def _wal_frames(database: Path) -> tuple[int, int]:
    """(frames in the log, frames already copied back), read off the wal-index, not changed."""
    header = (database.parent / f"{database.name}-shm").read_bytes()[:136]
    max_frame = struct.unpack_from("=I", header, 16)[0]      # WalIndexHdr.mxFrame
    backfilled = struct.unpack_from("=I", header, 96)[0]     # WalCkptInfo.nBackfill
    return max_frame, backfilled


def _write_pages(engine, pages: int) -> None:
    with transaction(engine, write=True) as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS pages (data BLOB)")
        for _ in range(pages):
            connection.exec_driver_sql("INSERT INTO pages VALUES (zeroblob(4000))")


@pytest.fixture
def checkpoints(monkeypatch):
    """A registry of its own for the test, with the period it asks for."""
    def use(period_s: float) -> wal_checkpoints._Checkpoints:
        registry = wal_checkpoints._Checkpoints(period_s)
        monkeypatch.setattr(wal_checkpoints, "_checkpoints", registry)
        return registry
    return use


def test_commit__log_past_a_thousand_pages__the_writer_does_not_checkpoint_it(
        tmp_path, checkpoints):
    checkpoints(3600)                   # the thread does not come round during the test
    database = tmp_path / "kiosk.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        _write_pages(engine, PAGES)
        frames, backfilled = _wal_frames(database)
    finally:
        engine.dispose()

    assert frames >= PAGES
    assert backfilled == 0, "the committing writer checkpointed the log itself"


def test_background__log_written__copied_back_within_seconds(tmp_path, checkpoints):
    checkpoints(0.05)
    database = tmp_path / "kiosk.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        _write_pages(engine, PAGES)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            frames, backfilled = _wal_frames(database)
            if backfilled == frames:
                break
            time.sleep(0.05)
        # The next write starts the log over (it does not grow past what it was).
        size = (tmp_path / "kiosk.sqlite3-wal").stat().st_size
        _write_pages(engine, 10)
        size_after = (tmp_path / "kiosk.sqlite3-wal").stat().st_size
    finally:
        engine.dispose()

    assert frames >= PAGES
    assert backfilled == frames
    assert size_after == size


def test_dispose__last_engine__log_removed_as_without_the_thread(tmp_path, checkpoints):
    checkpoints(0.05)
    database = tmp_path / "kiosk.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    _write_pages(engine, 10)
    time.sleep(0.3)                     # the thread has opened its own connection by now

    engine.dispose()

    assert not (tmp_path / "kiosk.sqlite3-wal").exists()
    assert not (tmp_path / "kiosk.sqlite3-shm").exists()


def test_background__file_removed__warns_once_no_traceback_not_made_again(
        tmp_path, checkpoints, caplog):
    registry = checkpoints(3600)        # its rounds are run here, one by one
    database = tmp_path / "kiosk.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    _write_pages(engine, 10)
    engine.pool.dispose()               # the pool's connections closed, the engine in use
    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)

    with caplog.at_level(logging.WARNING, logger=wal_checkpoints.__name__):
        rounds = [registry.run_once() for _ in range(3)]
    engine.dispose()

    warnings = [r for r in caplog.records if r.name == wal_checkpoints.__name__]
    assert rounds == [True, True, True]          # the file stays on the list, and is retried
    assert len(warnings) == 1
    assert "kiosk.sqlite3" in warnings[0].getMessage()
    assert warnings[0].exc_info is None
    assert not database.exists(), "the checkpointer made the removed file again"


def test_run_once__engine_disposed__file_dropped_and_the_thread_ends(tmp_path, checkpoints):
    registry = checkpoints(3600)
    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    _write_pages(engine, 10)
    assert registry.run_once() is True

    engine.dispose()

    assert registry.run_once() is False
