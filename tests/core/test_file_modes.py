"""``kiosk doctor`` finds kiosk files and folders other users can read and says how to fix them
(issue 14 §7)."""

from __future__ import annotations

import pytest

from kiosk.config import load_config
from kiosk.doctor import Status
from kiosk.file_modes import kiosk_folders, mode_checks


def _tree(root, folder_mode, file_mode):
    (root / "printed").mkdir(parents=True)
    (root / "kiosk.sqlite3").write_bytes(b"db")
    (root / "printed" / "00001-application.pdf").write_bytes(b"pdf")
    (root / "kiosk.sqlite3").chmod(file_mode)
    (root / "printed" / "00001-application.pdf").chmod(file_mode)
    (root / "printed").chmod(folder_mode)
    root.chmod(folder_mode)
    return root


@pytest.mark.parametrize(("folder_mode", "file_mode", "status", "named"), [
    (0o700, 0o600, Status.OK, []),
    (0o755, 0o600, Status.WARN, ["data (0o755)"]),
    (0o700, 0o644, Status.WARN, ["kiosk.sqlite3 (0o644)", "00001-application.pdf (0o644)"]),
    (0o750, 0o640, Status.WARN, ["data (0o750)", "kiosk.sqlite3 (0o640)"]),
])
def test_mode_checks__data_folder_modes__loose_ones_named_with_chmod_fix(
        tmp_path, folder_mode, file_mode, status, named):
    data = _tree(tmp_path / "data", folder_mode, file_mode)
    config = load_config(None, {"KIOSK_DEVICE_DATA_DIR": str(data)})

    checks = mode_checks(kiosk_folders(config))

    by_name = {check.name: check for check in checks}
    assert "files.printed" not in by_name           # inside the data folder: checked there
    assert by_name["files.data"].status is status
    for fragment in named:
        assert fragment in by_name["files.data"].detail
    if status is Status.WARN:
        assert by_name["files.data"].fix.startswith(f"chmod -R go-rwx {data}")


def test_doctor_checks__any_device__include_file_mode_checks(tmp_path):
    from kiosk.probes import doctor_checks

    config = load_config(None, {"KIOSK_DEVICE_DATA_DIR": str(_tree(tmp_path / "d", 0o755, 0o600)),
                                "KIOSK_SPEECH_KIND": "off"})

    checks = {check.name: check for check in doctor_checks(config)}

    assert checks["files.data"].status is Status.WARN
