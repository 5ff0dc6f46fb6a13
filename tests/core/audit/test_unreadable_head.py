"""``kiosk audit verify`` with a HEAD.json that cannot be read: the file is named, exit 2."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kiosk.audit import TicketIssued, UsageLog
from kiosk.cli import main

from .conftest import JST, JapanClock

DEVICE = "tablet-01"


def _log(directory: Path) -> Path:
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(directory, DEVICE, clock, fsync=False)
    for number in range(5):
        clock.advance(60)
        log.record(TicketIssued(number + 1, "A", 0, slip=True))
    log.close()
    head = directory / DEVICE / "HEAD.json"
    assert head.is_file()
    return head


@pytest.mark.parametrize("content", [
    b"",                                   # cut to nothing (power loss during a copy)
    b'{"file": "2026-04-06", "records": ',  # truncated
    b"\xff\xfe{\x00}\x00",                  # UTF-16 from a Windows editor
    b"[1, 2, 3]",                          # JSON, but not a head
])
def test_audit_verify__unreadable_head_json__names_file_exit_2(tmp_path, capsys, content):
    head = _log(tmp_path)
    head.write_bytes(content)

    code = main(["audit", "verify", str(tmp_path)])

    assert code == 2
    err = capsys.readouterr().err
    assert str(head) in err
    assert "damaged or changed" in err
