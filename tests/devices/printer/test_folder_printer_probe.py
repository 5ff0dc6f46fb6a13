"""The file printer's doctor check reads the folder's state and creates nothing."""

from __future__ import annotations

from devices.printer.folder_printer import FolderPrinter
from kiosk.doctor import Status


def test_folder_printer_probe__folder_not_made_yet__ok_and_nothing_created(tmp_path):
    folder = tmp_path / "data" / "printed"

    (check,) = FolderPrinter(folder).probe()

    assert check.status is Status.OK
    assert "made at the first print" in check.detail
    assert list(tmp_path.iterdir()) == []


def test_folder_printer_probe__existing_folder__ok_and_left_as_it_was(tmp_path):
    (check,) = FolderPrinter(tmp_path).probe()

    assert check.status is Status.OK
    assert list(tmp_path.iterdir()) == []


def test_folder_printer_probe__path_under_a_file__fails_naming_it(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")

    (check,) = FolderPrinter(blocker / "printed").probe()

    assert check.status is Status.FAIL
    assert str(blocker) in check.detail
