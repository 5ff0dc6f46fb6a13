"""The TOML mapping file that says which column of the city's extract holds what.

Core systems name their columns differently (宛名番号, ATENA_NO, 個人番号 ...), so IT writes one
small file per extract instead of the kiosk guessing::

    # packaging/config/register-mapping.toml
    encoding = "auto"          # auto (UTF-8 with or without BOM, else Shift_JIS/CP932),
                               # "utf-8-sig" or "cp932"
    header = true              # the first line names the columns
    [columns]                  # a header name, or a 1-based column number
    id = "宛名番号"
    household = "世帯番号"
    name = "氏名"
    kana = "氏名カナ"
    birth_date = "生年月日"     # 19930101, 4050101 (住基 era code), 平成5年1月1日, 1993-01-01
    sex = "性別"               # 1/2 or 男/女
    relation = "続柄"
    address = "住所"           # optional
    honseki = "本籍"           # optional
    hittosha = "筆頭者"         # optional
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.errors import ConfigError
from kiosk.i18n import S_

__all__ = ["OPTIONAL", "REQUIRED", "Mapping", "load_mapping"]

REQUIRED = ("id", "household", "name", "kana", "birth_date", "sex", "relation")
OPTIONAL = ("address", "honseki", "hittosha")
Encoding = Literal["auto", "utf-8-sig", "cp932"]


@dataclass(frozen=True)
class Mapping:
    """Which column holds which item (a header name or a 0-based index once resolved)."""

    columns: dict[str, str | int]
    encoding: Encoding = "auto"
    header: bool = True


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file.

    Raises:
        ConfigError: unreadable, not TOML, an unknown item or encoding, or a required item
            missing (the message names the file and the item).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(S_("The register mapping {file} cannot be read as TOML: {reason}"),
                          file=str(path), reason=type(exc).__name__) from exc
    columns = data.get("columns")
    if not isinstance(columns, dict):
        raise ConfigError(S_("The register mapping {file} has no [columns] table."),
                          file=str(path))
    for item, column in columns.items():
        if item not in REQUIRED + OPTIONAL:
            raise ConfigError(S_("The register mapping {file} names an unknown item {item} "
                                 "(known: {known})."), file=str(path), item=str(item),
                              known=", ".join(REQUIRED + OPTIONAL))
        if not isinstance(column, str | int) or isinstance(column, bool):
            raise ConfigError(S_("In the register mapping {file}, {item} must be a column "
                                 "name or number."), file=str(path), item=item)
    missing = [item for item in REQUIRED if item not in columns]
    if missing:
        raise ConfigError(S_("The register mapping {file} does not say which column holds "
                             "{items}."), file=str(path), items=", ".join(missing))
    encoding = data.get("encoding", "auto")
    if encoding not in ("auto", "utf-8-sig", "cp932"):
        raise ConfigError(S_("The register mapping {file} has encoding {encoding}; use auto, "
                             "utf-8-sig or cp932."), file=str(path), encoding=str(encoding))
    return Mapping({str(k): v for k, v in columns.items()}, encoding, bool(data.get("header", True)))
