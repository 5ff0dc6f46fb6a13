"""The seals' heads off the device: an insert-only role on the real PostgreSQL, and verify
comparing the files with the heads the devices wrote there."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from kiosk.audit import verify_directory
from kiosk.audit.sealing import KEY_FILE
from kiosk.cli import main
from kiosk.storage.audit_heads import AuditHeadStore
from kiosk.storage.database import open_storage
from kiosk.storage.engine import make_engine
from tests.core.audit.sealed_log import DEVICE, rewrite, write_sealed_log

pytestmark = pytest.mark.postgres

# What IT runs once (README, "For auditors"): the devices' role may add heads, never change them.
GRANTS = """
GRANT SELECT, INSERT ON audit_heads TO {role};
GRANT USAGE ON SEQUENCE audit_heads_id_seq TO {role};
"""


@pytest.fixture
def heads_urls(postgres_server: Any, clock: Any) -> Iterator[tuple[str, str]]:
    """(owner URL, insert-only device role URL) of a fresh database upgraded to head."""
    owner_url = str(postgres_server.url(postgres_server.create_database()))
    open_storage(owner_url, clock, auto_upgrade=True).close()
    role = f"kiosk_heads_{uuid.uuid4().hex[:8]}"
    owner = make_engine(owner_url, pool_size=1)
    with owner.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'heads-pw'"))
        for statement in GRANTS.format(role=role).strip().splitlines():
            connection.execute(text(statement))
    device_url = make_url(owner_url).set(username=role, password="heads-pw")
    yield owner_url, device_url.render_as_string(hide_password=False)
    with owner.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))
    owner.dispose()


def _device_engine(url: str) -> Engine:
    return make_engine(url, pool_size=1)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_heads SET hash = repeat('0', 64)",
    "DELETE FROM audit_heads",
    "TRUNCATE audit_heads",
])
def test_audit_heads__device_role_changes_a_head__refused(tmp_path, heads_urls, statement):
    _owner, device_url = heads_urls
    engine = _device_engine(device_url)
    write_sealed_log(tmp_path, records=8, head_sink=AuditHeadStore(engine).add)
    written = AuditHeadStore(engine).heads()[DEVICE]

    with pytest.raises(ProgrammingError, match="permission denied"), engine.begin() as connection:
        connection.execute(text(statement))

    assert AuditHeadStore(engine).heads()[DEVICE] == written
    assert len(written) >= 2
    engine.dispose()


def test_verify_heads__log_cut_back_and_old_key_restored__database_heads_name_it(
        tmp_path, heads_urls, capsys):
    owner_url, device_url = heads_urls
    engine = _device_engine(device_url)
    log = write_sealed_log(tmp_path / "logs", copy_key_after=20,
                           head_sink=AuditHeadStore(engine).add)
    engine.dispose()
    assert log.key_copy is not None
    stolen_epoch = int(json.loads(log.key_copy.read_text(encoding="utf-8"))["epoch"])

    def cut(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        at = next(i for i, r in enumerate(records)
                  if r["kind"] == "log.seal" and r["data"]["next"] == stolen_epoch)
        return records[:at + 1]

    rewrite(log.device_dir, cut)                        # everything after the copy is gone
    shutil.copy(log.key_copy, log.device_dir / KEY_FILE)

    device_only = verify_directory(log.directory, log.keys(), now=log.clock.now())
    code = main(["audit", "verify", "--key", log.key.text(), "--heads-url", owner_url,
                 str(log.directory)])

    out = capsys.readouterr().out
    assert device_only.ok                                # the files alone hold together
    assert code == 1
    assert "the database holds the seal of epoch" in out
    assert "heads from the database compared" in out


def test_verify_heads__honest_log__every_head_found(tmp_path, heads_urls, capsys):
    owner_url, device_url = heads_urls
    engine = _device_engine(device_url)
    log = write_sealed_log(tmp_path, head_sink=AuditHeadStore(engine).add)
    engine.dispose()

    code = main(["audit", "verify", "--key", log.key.text(), "--heads-url", owner_url,
                 str(tmp_path)])

    out = capsys.readouterr().out
    seals = verify_directory(tmp_path, log.keys(), now=log.clock.now()).seals
    assert code == 0
    assert seals > 5
    assert f"\n{seals} heads from the database compared with the files" in out
