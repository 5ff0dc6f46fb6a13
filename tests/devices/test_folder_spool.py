"""The export spool folder: whole files only, private, a manifest last, and exactly once even
when the writer dies between writing and renaming."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import devices.export.folder_spool as spool_module
from devices.export import FolderSpool, MemorySpool
from devices.export.folder_spool import STAGING, ExportBusyError
from kiosk.doctor import Status
from kiosk.ports import ExportBatch, ExportFile

ROOT = Path(__file__).resolve().parents[2]


def _batch(key: str = "juki-41", body: bytes = b'{"items": {}}') -> ExportBatch:
    files = (ExportFile("20260401_idou_00000041.json", body),
             ExportFile("20260401_idou_00000041.csv", b"a,b\r\n1,2\r\n"))
    manifest = {"files": [{"name": f.name, "sha256": hashlib.sha256(f.data).hexdigest()}
                          for f in files]}
    return ExportBatch(key, "juki", files,
                       ExportFile("20260401_idou_00000041.manifest.json",
                                  json.dumps(manifest).encode()))


def _visible(root: Path) -> list[str]:
    target = root / "juki"
    return sorted(p.name for p in target.iterdir()) if target.exists() else []


def _no_half_file(root: Path, batch: ExportBatch) -> None:
    """What the import can see is whole (a data file may wait for its manifest)."""
    expected = {f.name: f.data for f in (*batch.files, batch.manifest)}
    for name in _visible(root):
        assert (root / "juki" / name).read_bytes() == expected[name], name


def _manifests_whole(root: Path) -> None:
    for manifest in (root / "juki").glob("*.manifest.json"):
        for entry in json.loads(manifest.read_text())["files"]:
            data = (root / "juki" / entry["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_deliver__fresh_batch__files_then_manifest_private_and_whole(tmp_path):
    spool = FolderSpool(tmp_path)

    delivery = spool.deliver(_batch())
    spool.forget_all(["juki-41"])

    assert delivery.written
    assert delivery.manifest.endswith(".manifest.json")
    assert _visible(tmp_path) == ["20260401_idou_00000041.csv", "20260401_idou_00000041.json",
                                  "20260401_idou_00000041.manifest.json"]
    _manifests_whole(tmp_path)
    for path in (tmp_path / "juki").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "juki").stat().st_mode) == 0o700
    assert list((tmp_path / STAGING).iterdir()) == []


def test_deliver__same_key_again__nothing_written_twice(tmp_path):
    spool = FolderSpool(tmp_path)
    spool.deliver(_batch())
    (tmp_path / "juki" / "20260401_idou_00000041.manifest.json").unlink()  # imported, moved away

    again = spool.deliver(_batch(body=b"changed"))

    assert not again.written
    assert "20260401_idou_00000041.manifest.json" not in _visible(tmp_path)


@pytest.mark.parametrize("fail_at", [1, 2, 3, 4])
def test_deliver__crash_between_write_and_rename__no_half_file_and_rerun_once(tmp_path,
                                                                             monkeypatch, fail_at):
    # Renames: 1 the staged manifest, 2 and 3 the data files, 4 the manifest (the commit point).
    calls = {"n": 0}
    real_replace = os.replace

    def crashing_replace(source, target):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(5, "simulated crash")
        real_replace(source, target)

    monkeypatch.setattr(spool_module.os, "replace", crashing_replace)
    with pytest.raises(Exception, match="export folder"):
        FolderSpool(tmp_path).deliver(_batch())
    assert "20260401_idou_00000041.manifest.json" not in _visible(tmp_path)
    _no_half_file(tmp_path, _batch())
    monkeypatch.setattr(spool_module.os, "replace", real_replace)

    rerun = FolderSpool(tmp_path, stale_after_s=0).deliver(_batch(body=b"a second attempt"))
    third = FolderSpool(tmp_path, stale_after_s=0).deliver(_batch(body=b"a third attempt"))

    assert rerun.written
    assert not third.written
    assert _visible(tmp_path) == ["20260401_idou_00000041.csv", "20260401_idou_00000041.json",
                                  "20260401_idou_00000041.manifest.json"]
    _manifests_whole(tmp_path)


_KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {tests!r})
    import devices.export.folder_spool as spool_module
    from test_folder_spool import _batch
    real = os.replace
    calls = [0]
    def dying(source, target):
        calls[0] += 1
        if calls[0] == {die_at}:
            os.kill(os.getpid(), signal.SIGKILL)     # no cleanup, no finally: a power cut
        real(source, target)
    spool_module.os.replace = dying
    spool_module.FolderSpool(Path({folder!r})).deliver(_batch())
""")


@pytest.mark.parametrize("die_at", [1, 3, 4])
def test_deliver__writer_killed_mid_export__no_half_file_and_rerun_once(tmp_path, die_at):
    script = _KILLED_WRITER.format(root=str(ROOT), tests=str(Path(__file__).parent),
                                   die_at=die_at, folder=str(tmp_path))

    killed = subprocess.run([sys.executable, "-c", script], check=False, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})

    assert killed.returncode == -signal.SIGKILL
    assert "20260401_idou_00000041.manifest.json" not in _visible(tmp_path)
    _no_half_file(tmp_path, _batch())
    assert FolderSpool(tmp_path, stale_after_s=0).deliver(_batch()).written
    assert not FolderSpool(tmp_path, stale_after_s=0).deliver(_batch()).written
    assert len(_visible(tmp_path)) == 3
    _manifests_whole(tmp_path)


def test_deliver__another_writer_staging_now__busy_and_left_alone(tmp_path):
    marker = tmp_path / STAGING / "juki-41~20260401_idou_00000041.manifest.json.tmp"
    marker.parent.mkdir(parents=True)
    marker.write_bytes(b"")

    with pytest.raises(ExportBusyError):
        FolderSpool(tmp_path, stale_after_s=300).deliver(_batch())

    assert marker.exists()
    assert _visible(tmp_path) == []


def test_probe__unwritable_folder__fails_with_the_fix(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")

    [check] = FolderSpool(blocked).probe()

    assert check.status is Status.FAIL
    assert "[export] folder" in check.fix


def test_memory_spool__same_key_twice__kept_once():
    spool = MemorySpool()

    first, second = spool.deliver(_batch()), spool.deliver(_batch(body=b"again"))

    assert first.written
    assert not second.written
    assert spool.folders["juki"]["20260401_idou_00000041.json"] == b'{"items": {}}'
