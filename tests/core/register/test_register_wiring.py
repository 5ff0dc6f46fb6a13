"""Which register a device builds (never on a tablet, board or web host) and its doctor lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.register.csv_extract import CsvRegister
from devices.register.synthetic import MAPPING_TOML, SyntheticRegister, synthetic_residents, write_extract
from kiosk.app import build_register
from kiosk.config import load_config
from kiosk.errors import ConfigError
from kiosk.probes import register_checks
from kiosk.storage.register_view import SqlViewRegister


def _config(tmp_path: Path, **env: str):
    return load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
                                      **{f"KIOSK_{k.upper()}": v for k, v in env.items()}})


@pytest.fixture
def extract(tmp_path: Path) -> dict[str, str]:
    path, mapping = tmp_path / "extract.csv", tmp_path / "mapping.toml"
    write_extract(synthetic_residents(100), path, "utf-8-sig")
    mapping.write_text(MAPPING_TOML, encoding="utf-8")
    return {"register_kind": "csv", "register_path": str(path), "register_mapping": str(mapping)}


@pytest.mark.parametrize("role", ["tablet", "board", "web"])
def test_build_register__not_a_clerk_pc__none_whatever_the_config(tmp_path: Path, role: str,
                                                                   extract: dict[str, str]
                                                                   ) -> None:
    assert build_register(_config(tmp_path, device_role=role, **extract), demo=True) is None


def test_build_register__each_kind__its_adapter(tmp_path: Path, extract: dict[str, str]) -> None:
    clerk = {"device_role": "clerk"}
    assert isinstance(build_register(_config(tmp_path, **clerk, **extract)), CsvRegister)
    assert isinstance(build_register(_config(tmp_path, **clerk, register_kind="synthetic")),
                      SyntheticRegister)
    assert isinstance(build_register(_config(tmp_path, **clerk, register_kind="sql",
                                              register_url=f"sqlite:///{tmp_path}/c.db")),
                      SqlViewRegister)
    assert build_register(_config(tmp_path, **clerk)) is None
    assert isinstance(build_register(_config(tmp_path), demo=True), SyntheticRegister)


@pytest.mark.parametrize("env", [{"register_kind": "csv"}, {"register_kind": "sql"}])
def test_build_register__kind_without_its_settings__config_error(tmp_path: Path,
                                                                  env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        build_register(_config(tmp_path, device_role="clerk", **env))


def test_doctor__csv_extract__count_and_age_ok(tmp_path: Path, extract: dict[str, str]) -> None:
    checks = register_checks(_config(tmp_path, device_role="clerk", **extract))
    assert [(c.name, c.status.value) for c in checks] == [("register", "ok"),
                                                          ("register.extract", "ok")]
    assert "100 residents" in checks[0].detail


def test_doctor__extract_missing__fail_with_what_to_check(tmp_path: Path,
                                                          extract: dict[str, str]) -> None:
    Path(extract["register_path"]).unlink()
    [check] = register_checks(_config(tmp_path, device_role="clerk", **extract))
    assert check.status.value == "fail"
    assert "kiosk register load" in check.fix


def test_doctor__no_register_or_a_tablet__no_line(tmp_path: Path,
                                                  extract: dict[str, str]) -> None:
    assert register_checks(_config(tmp_path, device_role="clerk")) == []
    assert register_checks(_config(tmp_path, device_role="tablet", **extract)) == []
