"""Checks of a configuration file beyond types: unknown keys, value ranges, database URLs.

:mod:`kiosk.config` calls these while it reads the file. Each failure is a
:class:`~kiosk.errors.ConfigError` that names the file, the key and what to do, so IT can fix
the file without reading code. Unknown keys are reported all at once (with a did-you-mean for
typos): fixing one typo per start is a morning lost on a fleet of tablets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.errors import ConfigError
from kiosk.markers import S_

__all__ = ["SUPPORTED_DATABASES", "check_unknown_keys", "check_value"]

# Keys that count or measure something and are meaningless at zero or below.
_POSITIVE = frozenset({
    ("ui", "idle_timeout_s"),
    ("ui", "text_scale"),
    ("database", "retention_hours"),
    ("printer", "retention_hours"),
    ("audit", "retention_days"),
    ("models", "stt_threads"),
    ("web", "port"), ("web", "publish_interval_s"), ("web", "stale_after_s"),
    ("web", "rate_per_minute"), ("web", "smtp_port"),
    ("payment", "wait_s"), ("payment", "request_timeout_s"),
    ("remote", "start_kbps"), ("remote", "max_kbps"),
})
# Keys where 0 has a meaning ("none", "ask the screen") but a negative number has none.
_NOT_NEGATIVE = frozenset({
    ("card", "apdu_delay_ms"),
    ("ui", "screen_dpi"),
})

# SQLAlchemy URL schemes the kiosk ships a driver for and is tested on.
SUPPORTED_DATABASES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")


def check_unknown_keys(raw: Mapping[str, Any], known: Mapping[str, Sequence[str]],
                       where: str) -> None:
    """Raise one error naming every unknown section and key of ``raw``.

    Args:
        raw: the parsed TOML file (``schema_version`` already removed).
        known: section name -> its key names.
        where: the file, for the message.

    Raises:
        ConfigError: at least one section or key is unknown.
    """
    lines: list[str] = []
    for section, table in raw.items():
        if section not in known:
            lines.append(f"  [{section}]{_suggestion(section, list(known), '[{}]')}")
        elif isinstance(table, dict):
            lines += [f"  [{section}] {key}{_suggestion(key, known[section], '{}')}"
                      for key in table if key not in known[section]]
    if lines:
        raise ConfigError(
            S_("{file}: {count} unknown setting(s), a typo or a setting this kiosk version "
               "does not have:\n{unknown}\nCorrect or remove them; the templates in "
               "packaging/config/ list every setting."),
            file=where, count=len(lines), unknown="\n".join(lines))


def _suggestion(name: str, candidates: Sequence[str], shape: str) -> str:
    import difflib  # noqa: PLC0415 - only for a typo: every command's start reads the config

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {shape.format(close[0])}?)"
    return " (known: " + ", ".join(shape.format(c) for c in candidates) + ")"


def check_value(section: str, key: str, value: Any, where: str) -> None:
    """Refuse a value of the right type that still cannot work.

    Raises:
        ConfigError: a count or duration is zero or negative, or the database URL names a
            database the kiosk does not support.
    """
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and (section, key) in _POSITIVE and value <= 0:
        raise ConfigError(S_("{file}: [{section}] {key} = {value}: must be more than 0."),
                          file=where, section=section, key=key, value=value)
    if number and (section, key) in _NOT_NEGATIVE and value < 0:
        raise ConfigError(S_("{file}: [{section}] {key} = {value}: must be 0 or more."),
                          file=where, section=section, key=key, value=value)
    if (section, key) == ("database", "url") and isinstance(value, str) and value:
        _check_database_url(value, where)


def _check_database_url(url: str, where: str) -> None:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in SUPPORTED_DATABASES:
        return
    raise ConfigError(
        S_("{file}: [database] url: '{scheme}' is not a database this kiosk supports. Use "
           "sqlite:///PATH (an embedded file on one device) or "
           "postgresql+psycopg://USER@HOST/DATABASE (PostgreSQL shared by the devices)."),
        file=where, scheme=scheme or url.split(":", 1)[0][:20])
