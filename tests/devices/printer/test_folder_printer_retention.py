"""The training printer does not keep completed forms: retention, the demo's files, doctor
(issue 14 §7)."""

from __future__ import annotations

import os
import time

import pytest

from devices.printer.folder_printer import FolderPrinter
from kiosk.app import build_printer
from kiosk.config import load_config
from kiosk.doctor import Status
from kiosk.errors import ConfigError


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(b"%PDF-1.4 form of a visitor")
    return path


def _age(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.mark.parametrize(("ages", "retention", "kept"), [
    ((1, 23, 25, 100), 24, 2),
    ((1, 3), 2, 1),
    ((0.5,), 1, 1),
])
def test_folder_printer_purge__printed_files_of_various_ages__older_than_retention_deleted(
        tmp_path, pdf, ages, retention, kept):
    printer = FolderPrinter(tmp_path / "printed", retention_hours=retention)
    for _ in ages:
        printer.print_pdf(pdf, title="application")
    for path, hours in zip(sorted((tmp_path / "printed").iterdir()), ages, strict=True):
        _age(path, hours)

    deleted = printer.purge()

    assert deleted == len(ages) - kept
    assert len(list((tmp_path / "printed").iterdir())) == kept


@pytest.mark.parametrize(("demo", "left"), [(True, 0), (False, 2)])
def test_printer_close__demo_or_not__demo_deletes_what_it_printed(tmp_path, pdf, demo, left):
    (tmp_path / "data").mkdir()
    config = load_config(None, {"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")})
    printer = build_printer(config, demo=demo)
    printer.print_pdf(pdf, title="application", copies=2)

    printer.close()  # type: ignore[attr-defined]

    assert len(list(config.print_dir.iterdir())) == left


@pytest.mark.parametrize(("role", "warned"), [
    ("tablet", True), ("clerk", True), ("board", True), ("demo", False),
])
def test_doctor_printer__file_printer_on_role__warns_unless_demo(tmp_path, role, warned):
    config = load_config(None, {"KIOSK_DEVICE_DATA_DIR": str(tmp_path), "KIOSK_DEVICE_ROLE": role,
                                "KIOSK_PRINTER_KIND": "file"})

    checks = {check.name: check for check in build_printer(config).probe()}

    assert ("printer.kind" in checks) == warned
    if warned:
        assert checks["printer.kind"].status is Status.WARN
        assert 'kind = "cups"' in checks["printer.kind"].fix


@pytest.mark.parametrize("value", ["0", "-3"])
def test_load_config__printer_retention_not_positive__error_names_key(tmp_path, value):
    config = tmp_path / "kiosk.toml"
    config.write_text(f"[printer]\nretention_hours = {value}\n", encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        load_config(config, {})

    assert f"[printer] retention_hours = {value}: must be more than 0" in raised.value.english()
    assert str(config) in raised.value.english()


def test_demo_services_close__form_printed__printed_file_deleted(tmp_path, pdf):
    from kiosk.app import build_services

    config = load_config(None, {"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
                                "KIOSK_SPEECH_KIND": "off"})
    services = build_services(config, demo=True)
    services.printer.print_pdf(pdf, title="application")
    assert list(config.print_dir.iterdir())

    services.close()

    assert list(config.print_dir.iterdir()) == []


def test_build_printer__qt_kind__the_front_ends_printer_or_a_wiring_error(tmp_path):
    # The composition root imports no Qt: the front end hands its Qt printer over.
    config = load_config(None, {"KIOSK_DEVICE_DATA_DIR": str(tmp_path), "KIOSK_PRINTER_KIND": "qt",
                                "KIOSK_PRINTER_NAME": "counter-1"})
    made = FolderPrinter(tmp_path / "printed")

    chosen = build_printer(config, qt_printer=lambda name: {"counter-1": made}[name])

    assert chosen is made
    with pytest.raises(RuntimeError, match="Qt printer"):
        build_printer(config)
