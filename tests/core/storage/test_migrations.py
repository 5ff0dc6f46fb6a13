"""Schema migrations: an old schema with data is upgraded; unknown revisions are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from kiosk.storage.engine import make_engine
from kiosk.storage.migrate import (
    SchemaMismatchError,
    SchemaStatus,
    check_schema,
    ensure_schema,
    head_revision,
    probe_schema,
    upgrade,
)
from kiosk.storage.queue_store import QueueStore
from kiosk.storage.schema import metadata


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _fill_revision_0001(engine) -> None:
    """Data as a kiosk running schema 0001 left it: a service, staff and a called ticket."""
    now = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO services (id, code, prefix, name, default_service_seconds, active) "
            "VALUES (1, 'A', 'A', '住民票', 300, :t)"), {"t": True})
        connection.execute(text(
            "INSERT INTO staff (id, login, display_name, role, password_hash, active, created_at)"
            " VALUES (1, 'sato', '佐藤', 'clerk', 'scrypt$x', :t, :now)"),
            {"t": True, "now": now})
        connection.execute(text(
            "INSERT INTO daily_numbers (service_id, day, last_number) VALUES (1, :day, 2)"),
            {"day": date(2026, 3, 31)})
        for number, state in ((1, "called"), (2, "issued")):
            connection.execute(text(
                "INSERT INTO tickets (service_id, origin_service_id, day, number, label, state,"
                " priority, slip, reserved_at, queued_at, counter, staff_id) VALUES (1, 1, :day,"
                " :n, :label, :state, 0, 'printed', :now, :now, '', NULL)"),
                {"day": date(2026, 3, 31), "n": number, "label": f"A-00{number}",
                 "state": state, "now": now})


def test_upgrade__old_schema_with_data__data_kept_and_usable(engine, clock):
    upgrade(engine, "0001")
    _fill_revision_0001(engine)

    state = upgrade(engine)

    assert state.status is SchemaStatus.CURRENT
    queue = QueueStore(engine, clock)
    day = date(2026, 3, 31)
    assert [(t.label, t.state.value) for t in queue.tickets(day=day)] == [
        ("A-001", "called"), ("A-002", "issued")]
    assert queue.call_next(["A"], counter="1").label == "A-002"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM applications")).scalar() == 0


def test_upgrade__head__matches_the_table_definitions(engine):
    upgrade(engine)

    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    assert differences == []


@pytest.mark.parametrize(("setup", "auto_upgrade", "expected"), [
    ("empty", True, SchemaStatus.CURRENT),
    ("0001", True, SchemaStatus.CURRENT),
    ("head", False, SchemaStatus.CURRENT),
])
def test_ensure_schema__known_states__current_afterwards(engine, setup, auto_upgrade, expected):
    if setup != "empty":
        upgrade(engine, setup)

    assert ensure_schema(engine, auto_upgrade=auto_upgrade).status is expected


@pytest.mark.parametrize(("setup", "message"), [
    ("empty", "Run 'kiosk db upgrade'"),
    ("0001", "Run 'kiosk db upgrade'"),
    ("future", "which this kiosk does not know"),
])
def test_ensure_schema__unknown_or_behind_without_upgrade__refused_clearly(engine, setup,
                                                                             message):
    if setup == "future":
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    elif setup != "empty":
        upgrade(engine, setup)

    with pytest.raises(SchemaMismatchError) as raised:
        ensure_schema(engine, auto_upgrade=False)

    assert message in raised.value.english()
    assert head_revision() in raised.value.english()


def test_upgrade__unknown_revision__refused_and_untouched(engine):
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with pytest.raises(SchemaMismatchError):
        upgrade(engine)

    assert check_schema(engine).found == "9999"


@pytest.mark.parametrize(("setup", "status"), [
    ("head", "ok"),
    ("0001", "warn"),      # embedded SQLite upgrades itself at start-up
    ("future", "fail"),
])
def test_probe_schema__sqlite_states__doctor_status(tmp_path, setup, status):
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, "head" if setup == "future" else setup)
    if setup == "future":
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()

    (check,) = probe_schema(url)

    assert check.name == "database.schema"
    assert check.status.value == status


def test_shipped_revisions__read_without_alembic__same_as_alembic_reads_them():
    from alembic.script import ScriptDirectory

    from kiosk.storage.migrate import alembic_config
    from kiosk.storage.revisions import shipped_revisions

    script = ScriptDirectory.from_config(alembic_config())
    shipped = shipped_revisions()
    assert shipped.known == {revision.revision for revision in script.walk_revisions()}
    assert shipped.heads == tuple(script.get_heads())
    assert head_revision() == script.get_current_head()


def test_shipped_revisions__branches_and_annotations__every_head_found(tmp_path):
    from kiosk.storage.revisions import shipped_revisions

    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (tmp_path / "b.py").write_text('revision: str = "b"\ndown_revision: str | None = "a"\n')
    (tmp_path / "c.py").write_text('revision = "c"\ndown_revision = ("a",)\n')
    shipped = shipped_revisions(tmp_path)
    assert shipped.known == {"a", "b", "c"}
    assert shipped.heads == ("b", "c")


def test_check_schema__two_rows_in_the_version_table__unknown_not_a_crash(engine):
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    assert check_schema(engine).status is SchemaStatus.UNKNOWN


def test_shipped_revisions__set_below_a_function_or_a_docstring_cut__still_read(tmp_path):
    from kiosk.storage.revisions import shipped_revisions

    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n\ndef upgrade():\n'
                                   '    pass\n')
    # Set below the first function: read from the whole file.
    (tmp_path / "b.py").write_text('revision = "b"\n\ndef upgrade():\n    pass\n\n'
                                   'down_revision = "a"\n')
    # A docstring with a line that starts with "def": the part above it is not whole code.
    (tmp_path / "c.py").write_text('"""Adds c.\n\ndef is a keyword.\n"""\nrevision = "c"\n'
                                   'down_revision = "b"\n\ndef upgrade():\n    pass\n')
    shipped = shipped_revisions(tmp_path)

    assert shipped.known == {"a", "b", "c"}
    assert shipped.heads == ("c",)
