"""The embedded database's key file: kept out of the data folder, private, moved from there
by an older version's place, and refused when others can read it (issue 14 §7)."""

from __future__ import annotations

import base64
import stat

import pytest

from kiosk.errors import ConfigError
from kiosk.paths import default_key_dir
from kiosk.storage.sealing import load_answers_key

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def _key_file(path, key=KEY, mode=0o600):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base64.b64encode(key).decode() + "\n", encoding="ascii")
    path.chmod(mode)
    return path


def test_load_answers_key__embedded_default__key_file_in_config_folder_not_beside_database(
        tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    data = tmp_path / "data"

    load_answers_key("", data, shared_database=False)

    assert not (data / "answers.key").exists()
    key_file = default_key_dir() / "answers.key"
    assert key_file.is_relative_to(tmp_path / "config")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700


def test_load_answers_key__key_left_beside_database__moved_to_key_folder_same_key(tmp_path):
    old = _key_file(tmp_path / "data" / "answers.key")

    key = load_answers_key("", tmp_path / "data", shared_database=False, key_dir=tmp_path / "keys")

    assert key == KEY
    assert not old.exists()
    assert (tmp_path / "keys" / "answers.key").exists()
    assert load_answers_key("", tmp_path / "data", shared_database=False,
                            key_dir=tmp_path / "keys") == KEY


def test_load_answers_key__different_keys_in_both_places__refused_naming_both(tmp_path):
    old = _key_file(tmp_path / "data" / "answers.key")
    new = _key_file(tmp_path / "keys" / "answers.key", OTHER)

    with pytest.raises(ConfigError) as raised:
        load_answers_key("", tmp_path / "data", shared_database=False, key_dir=tmp_path / "keys")

    assert str(old) in raised.value.english()
    assert str(new) in raised.value.english()
    assert old.exists()                                    # nothing deleted on a guess
    assert new.exists()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
@pytest.mark.parametrize("where", ["file", "default"])
def test_load_answers_key__key_file_readable_by_others__refused_with_chmod_fix(
        tmp_path, mode, where):
    path = _key_file(tmp_path / "keys" / ("team.key" if where == "file" else "answers.key"),
                     mode=mode)
    spec = f"file:{path}" if where == "file" else ""

    with pytest.raises(ConfigError) as raised:
        load_answers_key(spec, tmp_path / "data", shared_database=False, key_dir=tmp_path / "keys")

    message = raised.value.english()
    assert f"chmod 600 {path}" in message
    assert base64.b64encode(KEY).decode() not in message
