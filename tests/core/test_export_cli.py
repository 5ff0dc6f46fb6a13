"""``kiosk export``: --check over the bundled mappings, --date for a day (idempotent), and a
clear message instead of a traceback when [export] is off or the date is not one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.domain.application import ApplicationStatus, Submission
from kiosk.ports import SystemClock
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.applications import SubmissionService
from kiosk.storage.database import open_storage
from kiosk.storage.outbox import Outbox
from kiosk.storage.sealing import AnswerSealer, load_answers_key


def _config(tmp_path: Path, export: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[device]\nid = "clerk-01"\ndata_dir = "{tmp_path / "data"}"\n'
                    f'[audit]\nfsync = false\n{export}', encoding="utf-8")
    return path


def _approve_one(config_path: Path) -> int:
    config = load_config(config_path)
    (config.device.data_dir).mkdir(parents=True, exist_ok=True)
    storage = open_storage(config.database_url, SystemClock())
    key = load_answers_key("", config.device.data_dir, shared_database=False)
    outbox = Outbox(config.device.data_dir / "outbox.sqlite3")
    try:
        form = load_catalog().forms["juminhyo"]
        app_id = SubmissionService(storage.applications, outbox, AnswerSealer(key),
                                   SystemClock()).submit(
            Submission(form.id, form.version, "ja", to_stored(sample_session(form)))
        ).application_id
        for status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED):
            storage.applications.set_status(app_id, status, None)
        return app_id
    finally:
        outbox.close()
        storage.close()


def test_export_check__bundled_mappings__no_problem_exit_0(capsys):
    assert main(["export", "--check"]) == 0

    out = capsys.readouterr().out
    assert "0 problems, 0 not covered" in out


def test_export_date__run_twice__handed_on_once(tmp_path, capsys):
    spool = tmp_path / "spool"
    config = _config(tmp_path, f'[export]\nkind = "folder"\nfolder = "{spool}"\n')
    app_id = _approve_one(config)
    today = date.today().isoformat()

    first = main(["--config", str(config), "export", "--date", today])
    first_out = capsys.readouterr().out
    second = main(["--config", str(config), "export", "--date", today])
    second_out = capsys.readouterr().out

    assert (first, second) == (0, 0)
    assert "1 batches handed on now" in first_out
    assert "0 batches handed on now" in second_out
    assert "1 handed on before" in second_out
    [manifest] = spool.glob("juki/*.manifest.json")
    assert json.loads(manifest.read_text(encoding="utf-8"))["application"] == app_id
    log = "".join(p.read_text(encoding="utf-8")
                  for p in (tmp_path / "data" / "audit" / "clerk-01.cli").glob("*.jsonl"))
    assert log.count('"export.handed_on"') == 1
    assert "登米" not in log
    assert "登米" not in first_out


def test_export_date__export_off__clear_message(tmp_path, capsys):
    config = _config(tmp_path, "")

    code = main(["--config", str(config), "export", "--date", "2026-04-01"])

    err = capsys.readouterr().err
    assert code == 2
    assert "[export] is off" in err
    assert "Traceback" not in err


def test_export_date__not_a_date__usage_error(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["export", "--date", "2026-13-01"])

    assert raised.value.code == 2
    assert "is not a date like 2026-04-01" in capsys.readouterr().err
