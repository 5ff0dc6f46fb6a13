"""[remote] in the composition root: off builds nothing, simulated needs nothing, aiortc needs the
shared PostgreSQL and this PC's LAN address, each said in a message."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.app import build_remote
from kiosk.config import RemoteConfig, load_config
from kiosk.errors import ConfigError
from kiosk.ports import SystemClock
from kiosk.storage.database import open_storage


@pytest.fixture
def storage(tmp_path: Path):
    opened = open_storage(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", SystemClock(), auto_upgrade=True)
    yield opened
    opened.close()


def _config(**remote: object):
    return replace(load_config(None, environ={}), remote=RemoteConfig(**remote))  # type: ignore[arg-type]


def test_build_remote__off__nothing(storage) -> None:
    assert build_remote(_config(), storage, SystemClock(), None, bytes(32)) == (None, None)  # type: ignore[arg-type]


def test_build_remote__simulated__a_desk_and_a_call_per_ticket(storage) -> None:
    from kiosk.audit.recorder import NULL_USAGE

    desk, open_call = build_remote(_config(kind="simulated"), storage, SystemClock(), NULL_USAGE, bytes(32))
    assert desk is not None
    assert open_call is not None
    storage.queue.add_service("A", "A", "住民票", default_service_seconds=300)
    call = open_call(desk.request("A", "東和総合支所", "ja"))
    assert call.kind == "simulated"


def test_build_remote__aiortc_on_an_embedded_database__a_message(storage) -> None:
    from kiosk.audit.recorder import NULL_USAGE

    with pytest.raises(ConfigError, match="shared PostgreSQL"):
        build_remote(_config(kind="aiortc", host_addresses=("127.0.0.1",)), storage, SystemClock(),
                     NULL_USAGE, bytes(32))


def test_config__remote_section__read_from_toml_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "clerk.toml"
    path.write_text('[remote]\nkind = "aiortc"\nhost_addresses = ["10.20.30.40"]\n'
                    'document_camera = "/dev/video2"\n', encoding="utf-8")
    config = load_config(path, environ={"KIOSK_REMOTE_MICROPHONE": "default"})
    assert config.remote == RemoteConfig(kind="aiortc", host_addresses=("10.20.30.40",),
                                         document_camera="/dev/video2", microphone="default")
    path.write_text('[remote]\nkind = "zoom"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[remote\] kind"):
        load_config(path, environ={})


def test_build_joined_calls__branch_hangs_up__the_office_end_of_the_same_ticket_ends(storage) -> None:
    from kiosk.app import build_joined_calls
    from kiosk.audit.recorder import NULL_USAGE

    desk, _ = build_remote(_config(kind="simulated"), storage, SystemClock(), NULL_USAGE, bytes(32))
    assert desk is not None
    storage.queue.add_service("A", "A", "住民票", default_service_seconds=300)
    ticket, other = desk.request("A", "東和総合支所", "ja"), desk.request("A", "津山総合支所", "ja")
    office_end, branch_end = build_joined_calls()
    office, branch, elsewhere = office_end(ticket), branch_end(ticket), office_end(other)
    for call in (office, branch, elsewhere):
        call.start()

    branch.hang_up()

    assert (office.state, branch.state) == ("ended", "ended")
    assert elsewhere.state in ("connecting", "connected")   # another ticket's call goes on
