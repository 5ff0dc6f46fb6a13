"""Configuration files IT gets wrong: every unknown key at once, impossible values, bad bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.errors import ConfigError


def _error(tmp_path: Path, content: bytes | str, environ: dict[str, str] | None = None) -> str:
    path = tmp_path / "kiosk.toml"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ=environ or {})
    message = raised.value.english()
    assert str(path) in message or "(environment)" in message
    return message


def test_load_config__three_unknown_keys_in_two_sections__all_named_in_one_error(tmp_path):
    message = _error(tmp_path, "[ui]\nidle_timout_s = 5\ntext_scal = 90\n"
                               "[databse]\nurl = \"\"\n[card]\nzzz = 1\n")

    assert "4 unknown setting(s)" in message
    assert "[ui] idle_timout_s (did you mean idle_timeout_s?)" in message
    assert "[ui] text_scal (did you mean text_scale?)" in message
    assert "[databse] (did you mean [database]?)" in message
    assert "[card] zzz (known: simulated, reader," in message


@pytest.mark.parametrize(("text", "fragment"), [
    ("[ui]\nidle_timeout_s = 0\n", "[ui] idle_timeout_s = 0: must be more than 0"),
    ("[ui]\nidle_timeout_s = -30\n", "[ui] idle_timeout_s = -30: must be more than 0"),
    ("[ui]\ntext_scale = 0\n", "[ui] text_scale = 0: must be more than 0"),
    ("[database]\nretention_hours = -1\n", "[database] retention_hours = -1: must be more"),
    ("[audit]\nretention_days = 0\n", "[audit] retention_days = 0: must be more than 0"),
    ("[models]\nstt_threads = 0\n", "[models] stt_threads = 0: must be more than 0"),
    ("[card]\napdu_delay_ms = -5\n", "[card] apdu_delay_ms = -5: must be 0 or more"),
    ("[ui]\nscreen_dpi = -96.0\n", "[ui] screen_dpi = -96.0: must be 0 or more"),
])
def test_load_config__zero_or_negative_where_positive_needed__error_names_key(tmp_path, text,
                                                                               fragment):
    assert fragment in _error(tmp_path, text)


def test_load_config__negative_value_from_environment__error_names_variable(tmp_path):
    message = _error(tmp_path, "", environ={"KIOSK_UI_TEXT_SCALE": "-3"})

    assert "KIOSK_UI_TEXT_SCALE (environment): [ui] text_scale = -3" in message


@pytest.mark.parametrize("url", [
    "mysql://kiosk:secret@db.city.local/kiosk",
    "mysql+pymysql://kiosk@db/kiosk",
    "postgresql://kiosk@db/kiosk",        # SQLAlchemy's default driver (psycopg2) is not shipped
    "oracle://db/kiosk",
])
def test_load_config__unsupported_database_url__error_lists_supported_ones(tmp_path, url):
    message = _error(tmp_path, f'[database]\nurl = "{url}"\n')

    assert "is not a database this kiosk supports" in message
    assert "sqlite:///PATH" in message
    assert "postgresql+psycopg://" in message
    assert "secret" not in message


@pytest.mark.parametrize("content", [
    "[device]\nid = \"窓口-1\"\n".encode("shift_jis"),
    b"[device]\nid = \"\xff\xfe\"\n",
])
def test_load_config__file_not_utf8__error_says_save_as_utf8(tmp_path, content):
    assert "not UTF-8 text" in _error(tmp_path, content)


def test_load_config__utf8_with_byte_order_mark__is_read(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes("\ufeff[device]\nid = \"窓口-1\"\n".encode())

    assert load_config(path, environ={}).device.id == "窓口-1"
