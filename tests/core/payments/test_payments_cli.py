"""``kiosk payments close|takings|receipt`` on the store, and the [payment] configuration."""

from __future__ import annotations

import openpyxl
import pytest

from kiosk.app import build_payment_terminal
from kiosk.cli import main
from kiosk.config import load_config
from kiosk.errors import ConfigError
from kiosk.probes import doctor_checks

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_payments_cli__close_takings_receipt__files_and_figures(make_pay_world, database_url,
                                                               tmp_path, monkeypatch, capsys):
    world = make_pay_world(kind="simulated")
    paid = world.services.payments.pay_cashless(world.printed(world.application(copies=2)))
    world.services.payments.pay_cash(world.printed(world.application(copies=1)))
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "cli"))
    day = paid.day.isoformat()

    assert main(["payments", "close", "--date", day, "--out", str(tmp_path / "out")]) == 0
    assert main(["payments", "takings", "--date", day]) == 0
    assert main(["payments", "receipt", str(paid.id), "--language", "tl",
                 "--out", str(tmp_path / "r.pdf")]) == 0

    out = capsys.readouterr().out
    assert "cash 300 yen, cashless 600 yen, total 900 yen" in out
    assert "cashless share 66.7%" in out
    sheet = openpyxl.load_workbook(tmp_path / "out" / f"日計_{day}.xlsx").active
    assert sheet["A1"].value == f"手数料 日計表　{day}"
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_payments_cli__bad_date_or_language__clear_message(make_pay_world, database_url,
                                                          monkeypatch, capsys, tmp_path):
    make_pay_world(kind="simulated")
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    with pytest.raises(SystemExit):
        main(["payments", "close", "--date", "5.12.2026"])
    assert main(["payments", "receipt", "1", "--language", "xx",
                 "--out", str(tmp_path / "r.pdf")]) == 2
    assert "not one of the kiosk's languages" in capsys.readouterr().err


def test_payment_config__http_without_url__config_error(database_url):
    config = load_config(None, environ={"KIOSK_PAYMENT_KIND": "http"})
    with pytest.raises(ConfigError):
        build_payment_terminal(config)


@pytest.mark.parametrize(("kind", "status"), [("none", "ok"), ("simulated", "ok")])
def test_payment_doctor__kind__terminal_check(database_url, tmp_path, kind, status):
    config = load_config(None, environ={"KIOSK_PAYMENT_KIND": kind,
                                        "KIOSK_DEVICE_DATA_DIR": str(tmp_path)})
    checks = [c for c in doctor_checks(config) if c.name == "payment.terminal"]
    assert [c.status.value for c in checks] == [status]
