"""Reading the configuration file one section at a time, and the two sections a front end needs
before its first screen: ``[device]`` (its role, for ``kiosk start``) and ``[ui]`` (languages
and the look of the screens).

:mod:`kiosk.config` reads every section with :func:`read_section`; ``kiosk tablet`` reads
``[ui]`` alone with :func:`read_ui` to draw its start-up Welcome, and the whole file behind
it. Apart on purpose: the other sections' dataclasses cost the first screen more than the file
itself. A value is read the same way by both (TOML value or ``KIOSK_<SECTION>_<KEY>``,
checked against the field's type and by :mod:`kiosk.config_checks`), so the Welcome and the
tablet that takes over from it can never disagree.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from kiosk.config_checks import check_value
from kiosk.errors import ConfigError
from kiosk.markers import S_
from kiosk.paths import default_config_path, default_data_dir

__all__ = ["DeviceConfig", "Role", "UiConfig", "config_file", "env_variable", "read_device",
           "read_section", "read_toml", "read_ui"]

Role = Literal["tablet", "clerk", "board", "demo", "web"]


@dataclass(frozen=True)
class DeviceConfig:
    """What this device is and where it keeps its files."""

    role: Role = "demo"
    id: str = "demo-01"
    counter: str = "市民課"
    services: tuple[str, ...] = ("A",)
    data_dir: Path = field(default_factory=default_data_dir)


@dataclass(frozen=True)
class UiConfig:
    """Languages and the look of the screens."""

    languages: tuple[str, ...] = ("ja", "ja@easy", "en", "vi", "zh_Hans", "ne", "id", "tl")
    default_language: str = "ja"
    idle_timeout_s: int = 120
    text_scale: int = 100
    high_contrast: bool = False
    fullscreen: bool = False
    screen_dpi: float = 0.0           # 0 = ask the screen; tablets often report it wrongly
    # scrypt hash of the staff PIN that leaves kiosk mode (`kiosk tablet --hash-exit-pin`);
    # empty: kiosk mode cannot be left from the screen. Not secret like a key, but not shown.
    staff_exit_pin_hash: str = field(default="", repr=False)


def config_file(path: Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The file to read: ``path`` (``--config``), else ``$KIOSK_CONFIG``, else the default
    file when it exists; ``None``: defaults only."""
    env = os.environ if environ is None else environ
    if path is None and env.get("KIOSK_CONFIG"):
        path = Path(env["KIOSK_CONFIG"])
    if path is None and default_config_path().exists():
        path = default_config_path()
    return path


def read_toml(path: Path | None) -> dict[str, Any]:
    """The parsed file (``{}`` for ``None``).

    Raises:
        ConfigError: the file is unreadable, not UTF-8 or not TOML.
    """
    if path is None:
        return {}
    import tomllib  # noqa: PLC0415 - a device without a file starts without the parser

    where = str(path)
    try:
        # utf-8-sig: Windows Notepad may start a UTF-8 file with a byte order mark.
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(S_("{file}: not UTF-8 text (byte {offset}; Shift_JIS?). Save it "
                             "as UTF-8 (Notepad: Save as, Encoding UTF-8) and start again."),
                          file=where, offset=exc.start) from exc
    except OSError as exc:
        raise ConfigError(S_("{file}: cannot read the configuration file ({reason})."),
                          file=where, reason=exc.strerror or str(exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(S_("{file}: not valid TOML: {reason}"), file=where,
                          reason=str(exc)) from exc


def read_ui(path: Path | None, environ: Mapping[str, str] | None = None) -> UiConfig:
    """The ``[ui]`` section of ``path`` with its ``KIOSK_UI_*`` overrides, alone.

    Raises:
        ConfigError: the file cannot be read, or a ``[ui]`` value is invalid (the other
            sections are not looked at: :func:`kiosk.config.load_config` checks them).
    """
    ui: UiConfig = _read_alone(UiConfig, "ui", path, environ)
    return ui


def read_device(path: Path | None, environ: Mapping[str, str] | None = None) -> DeviceConfig:
    """The ``[device]`` section of ``path`` with its ``KIOSK_DEVICE_*`` overrides, alone.

    Raises:
        ConfigError: as :func:`read_ui`, for ``[device]``.
    """
    device: DeviceConfig = _read_alone(DeviceConfig, "device", path, environ)
    return device


def _read_alone(cls: type[Any], section: str, path: Path | None,
                environ: Mapping[str, str] | None) -> Any:
    where = str(path) if path is not None else "(defaults)"
    env = os.environ if environ is None else environ
    return read_section(cls, read_toml(path).get(section, {}), section, where, env)


def env_variable(section: str, key: str) -> str:
    """The environment variable that overrides ``[section] key``."""
    return f"KIOSK_{section}_{key}".upper()


def read_section(cls: type[Any], table: Any, section: str, where: str,
                 env: Mapping[str, str]) -> Any:
    """An instance of the dataclass ``cls`` from the TOML ``table`` of ``section`` and the
    environment's overrides; fields given in neither keep their defaults. Unknown keys are
    not checked here (:func:`kiosk.config_checks.check_unknown_keys`).

    Raises:
        ConfigError: ``table`` is not a table, or a value has the wrong type or range.
    """
    if not isinstance(table, dict):
        raise ConfigError(S_("{file}: [{section}] must be a table."), file=where, section=section)
    known = {f.name: f for f in fields(cls)}
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for name in known:
        variable = env_variable(section, name)
        if variable in env:
            values[name] = _coerce(_from_env(env[variable], hints[name]), hints[name],
                                   f"{variable} (environment)", section, name)
        elif name in table:
            values[name] = _coerce(table[name], hints[name], where, section, name)
    return replace(cls(), **values)


def _from_env(text: str, hint: Any) -> Any:
    """Turn an environment string into the TOML value it stands for."""
    base = _without_none(hint)
    if base is bool:
        lowered = text.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        return text
    if base in (int, float):
        try:
            return base(text)
        except ValueError:
            return text
    if get_origin(base) is tuple:
        return [item.strip() for item in text.split(",") if item.strip()]
    return text


def _coerce(value: Any, hint: Any, where: str, section: str, key: str) -> Any:
    """Check ``value`` against the field's type and convert TOML types to Python ones."""
    base = _without_none(hint)
    if value == "" and base is not hint:       # "" clears an optional path
        return None
    ok, converted = _convert(value, base)
    if not ok:
        raise ConfigError(S_("{file}: [{section}] {key}: expected {expected}, got {got!r}."),
                          file=where, section=section, key=key,
                          expected=_describe(base), got=str(value))
    check_value(section, key, converted, where)
    return converted


def _convert(value: Any, base: Any) -> tuple[bool, Any]:
    origin = get_origin(base)
    if origin is Literal:
        return value in get_args(base), value
    if origin is tuple:
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return ok, tuple(value) if ok else value
    if base is Path:
        return isinstance(value, str) and value != "", Path(value).expanduser() if value else value
    if base is bool:
        return isinstance(value, bool), value
    if base is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if base is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    return isinstance(value, base), value


def _without_none(hint: Any) -> Any:
    if isinstance(hint, types.UnionType) or get_origin(hint) is typing.Union:
        args = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _describe(base: Any) -> str:
    origin = get_origin(base)
    if origin is Literal:
        return "one of " + ", ".join(repr(arg) for arg in get_args(base))
    if origin is tuple:
        return "a list of strings"
    names = {bool: "true or false", int: "a whole number", float: "a number",
             str: "a string", Path: "a path"}
    return names.get(base, str(base))
