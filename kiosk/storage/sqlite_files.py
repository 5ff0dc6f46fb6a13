"""The embedded SQLite file: checked without changing it, and named when it is damaged.

``kiosk doctor`` must never create or change what it checks: a typo in ``[database] url``
must not become an empty database that "works". The probe here opens an existing file
read-only (``mode=ro``, no pragmas, no folder made) and reads every page header with
``PRAGMA quick_check``. A file that is not a database or is truncated becomes a
:class:`DamagedDatabaseError` that says which file and what to do, instead of a traceback.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from kiosk.doctor import Check, Status
from kiosk.errors import StorageError
from kiosk.i18n import S_

__all__ = [
    "DamagedDatabaseError",
    "damaged_database_error",
    "probe_sqlite_file",
    "readonly_engine",
    "sqlite_file",
]

# sqlite3 error names of a file that is not a SQLite database or has broken pages.
_DAMAGED = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})


class DamagedDatabaseError(StorageError):
    """The embedded database file is not a SQLite database, or its pages are broken."""


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; ``None`` for another database or an in-memory one."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def damaged_database_error(exc: BaseException, path: str | None) -> DamagedDatabaseError | None:
    """The staff error for ``exc`` when it says the SQLite file ``path`` is damaged, else None."""
    original = getattr(exc, "orig", exc)
    if not isinstance(original, sqlite3.DatabaseError):
        return None
    if getattr(original, "sqlite_errorname", "") not in _DAMAGED:
        return None
    return DamagedDatabaseError(
        S_("{file} is damaged or is not a kiosk database (SQLite: {reason}). Stop the kiosk, "
           "move the file aside (keep it for the vendor) and restore the last backup; without "
           "a backup the kiosk starts with an empty database and the tickets and unsent "
           "applications in the file are lost."),
        file=path or "(embedded database)", reason=str(original))


def readonly_engine(path: Path) -> Engine:
    """An engine that reads ``path`` and can neither create nor change it.

    A WAL database opened read-only still makes its ``-shm`` and ``-wal`` files when they are
    missing; when no kiosk has it open (no ``-shm``), ``immutable=1`` reads it as it is.
    """
    immutable = "" if Path(f"{path}-shm").exists() else "&immutable=1"
    return create_engine(f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro{immutable}&uri=true")


def probe_sqlite_file(path: Path) -> list[Check]:
    """``database.reachable`` for an embedded database: it exists and is whole."""
    if not path.exists():
        return [_missing(path)]
    engine = readonly_engine(path)
    try:
        started = time.perf_counter()
        with engine.connect() as connection:
            result = str(connection.execute(text("PRAGMA quick_check(1)")).scalar_one())
            version = connection.execute(text("SELECT sqlite_version()")).scalar_one()
        elapsed = time.perf_counter() - started
    except SQLAlchemyError as exc:
        damaged = damaged_database_error(exc, str(path))
        if damaged is not None:
            return [Check("database.reachable", Status.FAIL, damaged.english(),
                          "Restore the file from a backup (see the message).")]
        return [Check("database.reachable", Status.FAIL,
                      f"{path}: {str(getattr(exc, 'orig', exc)).splitlines()[0]}",
                      "Check that the kiosk's user may read the file and its folder.")]
    finally:
        engine.dispose()
    if result != "ok":
        return [Check("database.reachable", Status.FAIL, f"{path}: damaged ({result[:120]})",
                      "Stop the kiosk, move the file aside and restore the last backup.")]
    return [Check("database.reachable", Status.OK,
                  f"sqlite {version} at {path}, whole, {elapsed * 1000:.0f} ms", seconds=elapsed)]


def _missing(path: Path) -> Check:
    folder = path.parent
    if not folder.is_dir():
        return Check("database.reachable", Status.FAIL,
                     f"no database at {path}: the folder {folder} does not exist",
                     "Check [database] url (a typo?). A new device gets its database at the "
                     "first start or with 'kiosk db upgrade'.")
    return Check("database.reachable", Status.WARN,
                 f"no database at {path} yet (the folder exists)",
                 "Normal before the first start of a new device ('kiosk db upgrade' makes it "
                 "now); otherwise check [database] url and restore the file from a backup.")
