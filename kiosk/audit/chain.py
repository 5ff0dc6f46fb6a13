"""The byte format of one log record and its hash chain.

A record is one line of compact JSON whose keys come in a fixed order::

    {"prev":"<64 hex>","seq":7,"ts":"2026-04-01T09:00:00.123+09:00","device":"tablet-01",
     "kind":"ticket.issued","data":{...},"hash":"<64 hex>"}

``hash`` is the SHA-256 of the line *without* its ``,"hash":"…"`` tail (the bytes up to it,
plus the closing brace). ``prev`` is the hash of the device's previous record, across days;
``seq`` is the line number within the daily file. Because ``prev`` opens the line and
``hash`` closes it at fixed offsets, :func:`check_line` verifies a record without parsing
its JSON, which keeps ``kiosk audit verify`` fast on a year of logs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from kiosk.audit.json_exact import loads

__all__ = ["GENESIS", "LineFault", "ParsedLine", "check_line", "encode_record", "parse_record"]

GENESIS = "0" * 64
_HEAD = b'{"prev":"'
_SEQ = b'","seq":'
_TAIL = b',"hash":"'
_TAIL_LEN = len(_TAIL) + 64 + 2          # ,"hash":"<64 hex>"}
_SEQ_AT = len(_HEAD) + 64 + len(_SEQ)


def encode_record(prev: str, seq: int, ts: str, device: str, kind: str,
                  data: dict[str, Any]) -> tuple[bytes, str]:
    """The line (with its newline) of one record and the record's hash."""
    body = json.dumps({"prev": prev, "seq": seq, "ts": ts, "device": device, "kind": kind,
                       "data": data}, ensure_ascii=False, separators=(",", ":"))
    raw = body.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    return raw[:-1] + _TAIL + digest.encode("ascii") + b'"}\n', digest


class LineFault(Exception):
    """A line that is not a well-formed record (cut short, or its hash does not match)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind          # "truncated", "malformed" or "modified"


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """What :func:`check_line` reads from a line without parsing its JSON."""

    prev: str
    seq: int
    hash: str


def check_line(line: bytes) -> ParsedLine:
    """Check one line's own hash and read its ``prev``, ``seq`` and ``hash``.

    Raises:
        LineFault: ``truncated`` (no newline: the file ends inside the record),
            ``malformed`` (not in the record format) or ``modified`` (hash mismatch).
    """
    if not line.endswith(b"\n"):
        raise LineFault("truncated")
    line = line[:-1]
    if len(line) < _SEQ_AT + _TAIL_LEN or not line.startswith(_HEAD) or \
            line[len(_HEAD) + 64:_SEQ_AT] != _SEQ or line[-_TAIL_LEN:-66] != _TAIL or \
            not line.endswith(b'"}'):
        raise LineFault("malformed")
    digest = line[-66:-2]
    if hashlib.sha256(line[:-_TAIL_LEN] + b"}").hexdigest().encode("ascii") != digest:
        raise LineFault("modified")
    comma = line.find(b",", _SEQ_AT)
    try:
        seq = int(line[_SEQ_AT:comma])
    except ValueError:
        raise LineFault("malformed") from None
    return ParsedLine(line[len(_HEAD):len(_HEAD) + 64].decode("ascii"), seq,
                      digest.decode("ascii"))


def parse_record(line: bytes | str) -> dict[str, Any]:
    """The record of a line as a dict (``prev``, ``seq``, ``ts``, ``device``, ``kind``,
    ``data``, ``hash``); no hash check (use :func:`check_line` or ``verify`` for that).

    Raises:
        ValueError: not JSON (as ``json.loads``).
    """
    record: dict[str, Any] = loads(line) if isinstance(line, bytes) else json.loads(line)
    return record
