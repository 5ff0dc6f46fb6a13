"""Where the answers key comes from: config, key file, OS key store; never the database."""

from __future__ import annotations

import base64

import pytest

from kiosk.errors import ConfigError
from kiosk.storage.sealing import generate_key_text, load_answers_key

KEY = bytes(range(32))
KEY_TEXT = base64.b64encode(KEY).decode()


@pytest.mark.parametrize(("spec", "shared", "expected"), [
    (f"base64:{KEY_TEXT}", True, KEY),
    ("file:{dir}/team.key", True, KEY),
    ("", False, None),                    # embedded: a key file made once in the key folder
])
def test_load_answers_key__valid_sources__32_byte_key(tmp_path, spec, shared, expected):
    (tmp_path / "team.key").write_text(KEY_TEXT + "\n")
    (tmp_path / "team.key").chmod(0o600)

    key = load_answers_key(spec.format(dir=tmp_path), tmp_path / "data", shared_database=shared,
                           key_dir=tmp_path / "keys")

    assert len(key) == 32
    if expected is not None:
        assert key == expected
    else:
        assert load_answers_key("", tmp_path / "data", shared_database=False,
                                key_dir=tmp_path / "keys") == key
        assert (tmp_path / "keys" / "answers.key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(("spec", "shared", "fragment"), [
    ("", True, "required with a shared database"),
    ("base64:c2hvcnQ=", False, "32 bytes"),
    ("file:/nonexistent/kiosk.key", False, "cannot read the key file"),
    ("keyring:kiosk/answers", False, "keyring"),
    ("plain-text-key", False, "must start with"),
])
def test_load_answers_key__bad_source__config_error_without_the_key(tmp_path, spec, shared,
                                                                     fragment):
    with pytest.raises(ConfigError) as raised:
        load_answers_key(spec, tmp_path, shared_database=shared)

    assert fragment in raised.value.english()
    assert "c2hvcnQ" not in raised.value.english()


def test_generate_key_text__twice__different_valid_keys(tmp_path):
    first, second = generate_key_text(), generate_key_text()

    assert first != second
    assert len(load_answers_key(first, tmp_path, shared_database=True)) == 32
