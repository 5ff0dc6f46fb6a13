"""Open JTalk's dictionary installed by IT: lookup order, install, and the kiosk without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.speech import japanese_dictionary as jd
from devices.speech import voices
from devices.speech.reading import OpenJTalkReadings
from kiosk.doctor import Status
from kiosk.errors import DeviceError


def _dictionary(folder: Path, *, complete: bool = True) -> Path:
    folder.mkdir(parents=True)
    for name in jd.REQUIRED_FILES[: None if complete else -1]:
        (folder / name).write_bytes(b"dic")
    (folder / "COPYING").write_text("licence", encoding="utf-8")
    return folder


@pytest.fixture
def no_dictionary(monkeypatch, tmp_path):
    """A process in which pyopenjtalk was never loaded and no dictionary exists (a bundle)."""
    monkeypatch.setattr(jd, "_loaded", None)
    monkeypatch.setattr(jd, "_models_dir", tmp_path / "models")
    monkeypatch.setattr(jd, "_package_dictionary", lambda: None)
    monkeypatch.delenv("OPEN_JTALK_DICT_DIR", raising=False)
    return tmp_path / "models"


@pytest.mark.parametrize(("present", "expected"), [
    (("environment", "installed", "package"), "environment"),
    (("installed", "package"), "installed"),
    (("package",), "package"),
    ((), None),
])
def test_find_dictionary__candidates_present__first_in_order_wins(tmp_path, present, expected):
    folders = {"environment": tmp_path / "env", "installed": jd.installed_dictionary_dir(
        tmp_path / "models"), "package": tmp_path / "package"}
    for name in present:
        _dictionary(folders[name])

    found = jd.find_dictionary(tmp_path / "models",
                               environ={"OPEN_JTALK_DICT_DIR": str(folders["environment"])},
                               package_dir=folders["package"])

    assert found == (folders[expected] if expected else None)


def test_find_dictionary__incomplete_folder__skipped(tmp_path):
    _dictionary(jd.installed_dictionary_dir(tmp_path / "models"), complete=False)

    assert jd.find_dictionary(tmp_path / "models", environ={}, package_dir=tmp_path / "x") is None


def test_install_dictionary__valid_then_newer__replaces_whole(tmp_path):
    first = _dictionary(tmp_path / "one")
    second = _dictionary(tmp_path / "two")
    (second / "sys.dic").write_bytes(b"newer")
    models = tmp_path / "models"

    jd.install_dictionary(first, models)
    target = jd.install_dictionary(second, models)

    assert target == jd.installed_dictionary_dir(models)
    assert (target / "sys.dic").read_bytes() == b"newer"
    assert sorted(p.name for p in target.parent.iterdir()) == ["open_jtalk"]   # no leftovers


def test_install_dictionary__missing_file__refused_naming_it(tmp_path):
    source = _dictionary(tmp_path / "broken", complete=False)

    with pytest.raises(DeviceError) as caught:
        jd.install_dictionary(source, tmp_path / "models")

    assert jd.REQUIRED_FILES[-1] in str(caught.value.params["files"])
    assert not jd.installed_dictionary_dir(tmp_path / "models").exists()


def test_load_pyopenjtalk__no_dictionary__dictionary_missing(no_dictionary):
    with pytest.raises(jd.DictionaryMissing):
        jd.load_pyopenjtalk()


def test_doctor__no_dictionary__japanese_voice_warns_with_install_command(no_dictionary):
    [check] = voices.probe_voices(["ja"])

    assert check.status is Status.WARN
    assert "dictionary not installed" in check.detail
    assert "kiosk models install-japanese" in check.fix


def test_reading__no_dictionary__nothing_proposed(no_dictionary):
    assert OpenJTalkReadings().propose("佐藤\u3000太郎") is None


def test_load_pyopenjtalk__installed_copy__open_jtalk_reads_with_it(monkeypatch, tmp_path):
    package = jd._package_dictionary()
    if package is None or not (package / "sys.dic").is_file():
        pytest.skip("pyopenjtalk-plus with its dictionary is not installed")
    import pyopenjtalk

    models = tmp_path / "models"
    jd.install_dictionary(package, models)
    # Restored after the test: the rest of the suite reads with the package's copy.
    monkeypatch.setattr(pyopenjtalk, "OPEN_JTALK_DICT_DIR", pyopenjtalk.OPEN_JTALK_DICT_DIR)
    monkeypatch.setattr(jd, "_models_dir", jd._models_dir)
    monkeypatch.setattr(jd, "_loaded", None)
    monkeypatch.setattr(jd, "_package_dictionary", lambda: None)
    monkeypatch.delenv("OPEN_JTALK_DICT_DIR", raising=False)
    jd.use_models_dir(models)

    module = jd.load_pyopenjtalk()

    loaded_from = module.OPEN_JTALK_DICT_DIR
    assert loaded_from == str(jd.installed_dictionary_dir(models)).encode()
    own = module.OpenJTalk(dn_mecab=loaded_from)      # not the instance the suite shares
    assert module.g2p("窓口", kana=True, jtalk=own, **jd.FRONTEND_OPTIONS) == "マドグチ"


# A fresh interpreter: onnxruntime must not be loaded by the time pyopenjtalk is.
_LOAD_AND_LIST = """
import sys
from devices.speech.japanese_dictionary import load_pyopenjtalk
from devices.speech.reading import OpenJTalkReadings
load_pyopenjtalk()
OpenJTalkReadings().warm_up()
print(sorted(name for name in sys.modules if name.split(".")[0] == "onnxruntime"))
"""


def test_load_pyopenjtalk__onnxruntime_installed__not_loaded_so_no_telemetry_runs():
    # pyopenjtalk-plus builds an onnxruntime session at import for its 何 model, and onnxruntime
    # then looks up mobile.events.data.microsoft.com (issue 14 §2): the kiosk hides it.
    # (The venvs install onnxruntime with faster-whisper; without it this passes trivially.)
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _LOAD_AND_LIST], capture_output=True,
                            text=True, timeout=120, check=True)

    assert result.stdout.strip().splitlines()[-1] == "[]"
