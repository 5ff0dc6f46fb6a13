"""Checkpoints of an SQLite file's write-ahead log, run in the background instead of by a writer.

In WAL mode SQLite copies the log back into the database ("checkpoints") when a commit has
made it longer than ``wal_autocheckpoint`` pages, and it does so in the committing call: two
fsyncs that the tablet's ticket waits for. With the default of 1,000 pages that is one issue in
a hundred, 5–15 ms instead of under one (the p99 of one tablet). Here one thread per process
checkpoints every SQLite file its engines write, once a second, on its own connection; a
checkpoint runs beside the writers (``PASSIVE``: it never waits for them, nor they for it).

Writers keep a far higher threshold of their own (:data:`WRITER_CHECKPOINT_PAGES`): if the
thread cannot keep up, the log still stops growing there, as it did before.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import weakref
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, event

__all__ = ["WRITER_CHECKPOINT_PAGES", "checkpoint_in_background"]

_log = logging.getLogger(__name__)

WRITER_CHECKPOINT_PAGES = 10_000    # 40 MB of log at 4 KiB pages: a writer's last resort
_PERIOD_S = 1.0


def checkpoint_in_background(engine: Engine, path: str) -> None:
    """Have ``path``'s log checkpointed by the background thread while ``engine`` is in use.

    The engine's own connections then checkpoint only past :data:`WRITER_CHECKPOINT_PAGES`.
    The file is taken on with the engine's first connection, dropped when the engine is
    disposed (and taken on again if it connects after that) or garbage-collected.
    """
    engine_ref = weakref.ref(engine)    # the engine's listeners must not keep it alive

    def connected(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}")
        live = engine_ref()
        if live is not None:
            _checkpoints.add(live, path)

    event.listen(engine, "connect", connected)


class _File:
    """One database file, its engines and the checkpointer's connection to it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.engines: weakref.WeakSet[Engine] = weakref.WeakSet()
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()     # checkpoint (thread) against close (disposal)
        self._failed = False

    def checkpoint(self) -> None:
        with self._lock:
            try:
                if self._connection is None:
                    # mode=rw: a file removed meanwhile is not created again, empty. A short
                    # timeout: a busy file is tried again next time, not waited for.
                    self._connection = sqlite3.connect(
                        f"file:{quote(self.path)}?mode=rw", uri=True, isolation_level=None,
                        check_same_thread=False, timeout=0.1)
                self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self._failed = False
            except sqlite3.Error as exc:
                self._close()
                if not self._failed:    # once, not every second
                    _log.warning("background checkpoint of %s failed (%s); writers "
                                 "checkpoint it themselves", self.path, type(exc).__name__)
                self._failed = True

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _Checkpoints:
    """The files of this process's engines, checkpointed by one thread while there are any."""

    def __init__(self, period_s: float = _PERIOD_S) -> None:
        self._period_s = period_s
        self._lock = threading.Lock()
        self._files: dict[str, _File] = {}
        self._engines: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
        self._thread: threading.Thread | None = None

    def add(self, engine: Engine, path: str) -> None:
        if engine in self._engines:
            return
        path = str(Path(path).resolve())
        with self._lock:
            file = self._files.get(path)
            if file is None:
                file = self._files[path] = _File(path)
            file.engines.add(engine)
            self._engines[engine] = path
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="wal-checkpoints",
                                                daemon=True)
                self._thread.start()
        if not event.contains(engine, "engine_disposed", _disposed):
            event.listen(engine, "engine_disposed", _disposed)

    def remove(self, engine: Engine) -> None:
        """``engine`` was disposed: its file's connection closes with the last of its engines."""
        # Closed at once, not at the next tick: the last connection to close checkpoints and
        # removes the log, as it would without this thread.
        with self._lock:
            path = self._engines.pop(engine, None)
            file = self._files.get(path) if path is not None else None
            if path is None or file is None:
                return
            file.engines.discard(engine)
            if file.engines:
                return
            del self._files[path]
        file.close()

    def _run(self) -> None:
        while True:
            time.sleep(self._period_s)
            if not self.run_once():
                return

    def run_once(self) -> bool:
        """Checkpoint every file still in use; False if there is none (the thread ends)."""
        with self._lock:
            unused = [path for path, file in self._files.items() if not file.engines]
            closing = [self._files.pop(path) for path in unused]
            files = list(self._files.values())
            if not files:
                self._thread = None
        for file in closing:
            file.close()
        for file in files:
            file.checkpoint()
        return bool(files)

    def forget_after_fork(self) -> None:
        """In a forked child: start over, with none of the parent's files or threads."""
        # The child must neither use nor close the parent's SQLite connections (closing would
        # drop locks that SQLite thinks the parent holds): they are kept, unused.
        _inherited.extend(self._files.values())
        self._lock = threading.Lock()
        self._files = {}
        self._engines = weakref.WeakKeyDictionary()
        self._thread = None


def _disposed(engine: Engine) -> None:
    _checkpoints.remove(engine)


def _after_fork_in_child() -> None:
    _checkpoints.forget_after_fork()


_checkpoints = _Checkpoints()
_inherited: list[_File] = []
os.register_at_fork(after_in_child=_after_fork_in_child)
