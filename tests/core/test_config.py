"""Configuration: TOML file + KIOSK_* overrides, validated with messages naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import SCHEMA_VERSION, load_config
from kiosk.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_config__no_file__gives_demo_defaults_with_embedded_sqlite():
    config = load_config(None, environ={})

    assert config.device.role == "demo"
    assert config.card.simulated is True
    assert config.card.allow_my_number is False
    assert config.database_url.startswith("sqlite:///")
    assert config.database_url.endswith("kiosk.sqlite3")


def test_load_config__tablet_file__values_are_typed(tmp_path):
    path = _write(tmp_path, f"""
schema_version = {SCHEMA_VERSION}
[device]
role = "tablet"
id = "tablet-03"
services = ["A", "B"]
data_dir = "{tmp_path / 'data'}"
[database]
url = "postgresql+psycopg://kiosk@db.city.local/kiosk"
[card]
simulated = false
reader = "SCR3310"
[ui]
languages = ["ja", "vi"]
idle_timeout_s = 90
screen_dpi = 160
""")
    config = load_config(path, environ={})

    assert config.device.role == "tablet"
    assert config.device.services == ("A", "B")
    assert config.device.data_dir == tmp_path / "data"
    assert config.database_url == "postgresql+psycopg://kiosk@db.city.local/kiosk"
    assert config.card.simulated is False
    assert config.ui.languages == ("ja", "vi")
    assert config.ui.screen_dpi == 160.0
    assert config.source == path


@pytest.mark.parametrize(("text", "expected_fragments"), [
    ("[device]\nrole = \"kitchen\"\n", ["[device]", "role", "one of 'tablet'"]),
    ("[ui]\nidle_timeout_s = \"long\"\n", ["[ui]", "idle_timeout_s", "a whole number"]),
    ("[card]\nsimulated = 1\n", ["[card]", "simulated", "true or false"]),
    ("[ui]\nlanguages = \"ja\"\n", ["[ui]", "languages", "a list of strings"]),
    ("[device]\nroll = \"tablet\"\n", ["[device] roll", "did you mean role?"]),
    ("[printers]\nkind = \"cups\"\n", ["[printers]", "did you mean [printer]?"]),
    ("schema_version = 99\n", ["schema_version 99", "version 1"]),
    ("[device\nrole = \"tablet\"\n", ["not valid TOML", "line 1"]),
    ("device = 3\n", ["[device] must be a table"]),
])
def test_load_config__invalid_value__error_names_file_key_and_expectation(tmp_path, text,
                                                                          expected_fragments):
    path = _write(tmp_path, text)

    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})

    message = raised.value.english()
    assert str(path) in message
    for fragment in expected_fragments:
        assert fragment in message


def test_load_config__missing_file__error_names_it(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "absent.toml", environ={})

    assert "absent.toml" in raised.value.english()


@pytest.mark.parametrize(("variable", "value", "read"), [
    ("KIOSK_DATABASE_URL", "postgresql+psycopg://x@h/db", lambda c: c.database.url),
    ("KIOSK_CARD_SIMULATED", "false", lambda c: c.card.simulated),
    ("KIOSK_UI_IDLE_TIMEOUT_S", "45", lambda c: c.ui.idle_timeout_s),
    ("KIOSK_UI_LANGUAGES", "ja, en ,vi", lambda c: c.ui.languages),
    ("KIOSK_PRINTER_OUTPUT_DIR", "/srv/printed", lambda c: c.printer.output_dir),
])
def test_load_config__environment_override__wins_over_file(tmp_path, variable, value, read):
    path = _write(tmp_path, "[database]\nurl = \"sqlite:///file.db\"\n[card]\nsimulated = true\n"
                            "[ui]\nidle_timeout_s = 120\n")
    expected = {"KIOSK_DATABASE_URL": "postgresql+psycopg://x@h/db", "KIOSK_CARD_SIMULATED": False,
                "KIOSK_UI_IDLE_TIMEOUT_S": 45, "KIOSK_UI_LANGUAGES": ("ja", "en", "vi"),
                "KIOSK_PRINTER_OUTPUT_DIR": Path("/srv/printed")}[variable]

    config = load_config(path, environ={variable: value})

    assert read(config) == expected


def test_load_config__bad_environment_value__error_names_the_variable(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config(None, environ={"KIOSK_UI_TEXT_SCALE": "huge"})

    assert "KIOSK_UI_TEXT_SCALE" in raised.value.english()
    assert "text_scale" in raised.value.english()


@pytest.mark.parametrize("template", sorted(Path("packaging/config").glob("*.toml")),
                         ids=lambda p: p.name)
def test_packaged_config_templates__load__without_error(template):
    config = load_config(template, environ={})

    assert config.device.role in {"tablet", "clerk", "board", "web"}
