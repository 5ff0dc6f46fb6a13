"""Creating engines for the configured database URL, and checking that it is reachable."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from kiosk.doctor import Check, Status

__all__ = ["make_engine", "probe_database", "redacted_url"]


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode, a busy timeout and their folder created.

    SQLite runs in WAL mode so that the clerk PC can read while the tablet writes, with a
    busy timeout so that short write bursts wait instead of failing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def redacted_url(url: str) -> str:
    """The URL with any password hidden, safe for logs and doctor output."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable URL)"


def probe_database(url: str) -> list[Check]:
    """Connect and run ``SELECT 1``; report the backend, its version and the round trip."""
    shown = redacted_url(url)
    try:
        engine = make_engine(url)
    except (ArgumentError, SQLAlchemyError, ImportError, OSError) as exc:
        return [Check("database.reachable", Status.FAIL, f"{shown}: {type(exc).__name__}: {exc}",
                      "Check [database] url in the configuration.")]
    try:
        started = time.perf_counter()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            version = engine.dialect.server_version_info
        elapsed = time.perf_counter() - started
    except SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
        return [Check("database.reachable", Status.FAIL, f"{shown}: {reason}",
                      "Is the database server running and reachable from this device? "
                      "Check the LAN, the server and [database] url.", )]
    finally:
        engine.dispose()
    version_text = ".".join(str(part) for part in version or ())
    return [Check("database.reachable", Status.OK,
                  f"{engine.dialect.name} {version_text} at {shown}, {elapsed * 1000:.0f} ms",
                  seconds=elapsed)]
