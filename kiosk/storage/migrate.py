"""Schema versions: upgrading with the shipped Alembic migrations and checking at start-up.

A kiosk refuses to run on a database whose schema revision it does not know (a newer kiosk
upgraded the shared database): writing with an old idea of the tables could lose data. An
older schema is upgraded by ``kiosk db upgrade``; the embedded SQLite of a single device may
upgrade itself at start-up. Alembic is imported only to migrate: the start-up check reads the
revisions from the migration files (:mod:`kiosk.storage.revisions`) and the database's from
Alembic's own table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from kiosk.doctor import Check, Status
from kiosk.errors import StorageError
from kiosk.i18n import S_
from kiosk.storage.engine import make_engine, redacted_url, transaction
from kiosk.storage.revisions import shipped_revisions
from kiosk.storage.sqlite_files import readonly_engine, sqlite_file

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

__all__ = [
    "SchemaMismatchError",
    "SchemaState",
    "SchemaStatus",
    "alembic_config",
    "check_schema",
    "ensure_schema",
    "head_revision",
    "probe_schema",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_VERSION_TABLE = "alembic_version"      # Alembic's default, which env.py keeps


class SchemaMismatchError(StorageError):
    """The database schema is not the one this kiosk was built for."""


class SchemaStatus(enum.Enum):
    """How the database's schema compares with this kiosk's migrations."""

    CURRENT = "current"
    EMPTY = "empty"        # no tables yet
    BEHIND = "behind"      # older revision: `kiosk db upgrade`
    UNKNOWN = "unknown"    # a revision this kiosk does not ship (newer software upgraded it)


@dataclass(frozen=True)
class SchemaState:
    """The revision found in the database and the one this kiosk expects."""

    status: SchemaStatus
    found: str
    head: str


def alembic_config(engine: Engine | None = None) -> AlembicConfig:
    """An Alembic configuration built in code (no ``alembic.ini`` needed on disk)."""
    from alembic.config import Config as AlembicConfig  # noqa: PLC0415 - only to migrate

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision shipped with this kiosk."""
    heads = shipped_revisions().heads
    assert len(heads) == 1, f"the shipped migrations have {len(heads)} heads"  # the tests' job
    return heads[0]


def check_schema(engine: Engine) -> SchemaState:
    """Compare the database's revision with this kiosk's migrations."""
    head = head_revision()
    with transaction(engine) as connection:
        found = _current_revision(connection)
    if found is None:
        return SchemaState(SchemaStatus.EMPTY, "", head)
    if found == head:
        return SchemaState(SchemaStatus.CURRENT, found, head)
    if found in shipped_revisions().known:
        return SchemaState(SchemaStatus.BEHIND, found, head)
    return SchemaState(SchemaStatus.UNKNOWN, found, head)


def _current_revision(connection: Connection) -> str | None:
    """The revision in Alembic's version table (``None``: no table or no row, as Alembic).

    Several rows (branches this kiosk never makes) come back joined, a revision it does not
    know.
    """
    if not inspect(connection).has_table(_VERSION_TABLE):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return ",".join(sorted(str(row[0]) for row in rows)) or None


def upgrade(engine: Engine, revision: str = "head") -> SchemaState:
    """Apply the shipped migrations up to ``revision``; refuses an unknown revision."""
    from alembic import command  # noqa: PLC0415 - Alembic only to migrate

    state = check_schema(engine)
    if state.status is SchemaStatus.UNKNOWN:
        raise _unknown(state)
    with transaction(engine, write=True) as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return check_schema(engine)


def ensure_schema(engine: Engine, *, auto_upgrade: bool) -> SchemaState:
    """The start-up check: refuse an unknown schema; upgrade or refuse an older one.

    Args:
        auto_upgrade: upgrade an empty or older schema (the embedded SQLite of one device);
            a shared PostgreSQL is upgraded on purpose by IT with ``kiosk db upgrade``.

    Raises:
        SchemaMismatchError: the schema is unknown, or older and ``auto_upgrade`` is off.
    """
    state = check_schema(engine)
    if state.status is SchemaStatus.CURRENT:
        return state
    if state.status is SchemaStatus.UNKNOWN:
        raise _unknown(state)
    if not auto_upgrade:
        raise SchemaMismatchError(
            S_("The database schema is at revision '{found}' but this kiosk needs '{head}'. "
               "Run 'kiosk db upgrade' once from one device, then start again."),
            found=state.found or "(empty)", head=state.head)
    return upgrade(engine)


def _unknown(state: SchemaState) -> SchemaMismatchError:
    return SchemaMismatchError(
        S_("The database schema is at revision '{found}', which this kiosk does not know "
           "(it knows up to '{head}'). A newer kiosk version has upgraded the database: "
           "install the same kiosk version on this device."),
        found=state.found, head=state.head)


def probe_schema(url: str) -> list[Check]:
    """The doctor check: is the schema current? (An embedded file is only read, never made.)"""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return [Check("database.schema", Status.WARN, f"no database at {path}",
                      "Fix database.reachable first.")]
    engine = make_engine(url) if path is None else readonly_engine(path)
    try:
        state = check_schema(engine)
    except (StorageError, SQLAlchemyError) as exc:
        return [Check("database.schema", Status.FAIL,
                      f"{redacted_url(url)}: cannot read the schema version ({type(exc).__name__})",
                      "Fix database.reachable first.")]
    finally:
        engine.dispose()
    if state.status is SchemaStatus.CURRENT:
        return [Check("database.schema", Status.OK, f"revision {state.found} (current)")]
    if state.status is SchemaStatus.UNKNOWN:
        return [Check("database.schema", Status.FAIL,
                      f"revision {state.found} is unknown to this kiosk (knows {state.head})",
                      "Install the kiosk version that upgraded the database.")]
    status = Status.WARN if _is_embedded(url) else Status.FAIL
    return [Check("database.schema", status,
                  f"revision {state.found or '(empty)'}, needs {state.head}",
                  "Run 'kiosk db upgrade'.")]


def _is_embedded(url: str) -> bool:
    """Whether ``url`` names an embedded SQLite database (which upgrades itself at start-up)."""
    return url.startswith("sqlite")
