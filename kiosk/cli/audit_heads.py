"""Naming a usage log's ``HEAD.json`` that cannot be read, for ``kiosk audit verify``.

A head that is not UTF-8 JSON (damaged disk, a hand edit, tampering) stops the verifier; the
auditor gets the file and what to do instead of a ``JSONDecodeError`` traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.audit.usage_log import HEAD_FILE
from kiosk.errors import UserFacingError
from kiosk.i18n import S_

__all__ = ["unreadable_head_error"]


def unreadable_head_error(directory: Path) -> UserFacingError | None:
    """The error naming the first ``HEAD.json`` under ``directory`` that does not decode."""
    for path in sorted([directory / HEAD_FILE, *directory.glob(f"*/{HEAD_FILE}")]):
        if not path.is_file():
            continue
        try:
            head = json.loads(path.read_bytes().decode("utf-8"))
        except ValueError as exc:          # UnicodeDecodeError and JSONDecodeError alike
            reason = str(exc).splitlines()[0][:120]
        else:
            if isinstance(head, dict):
                continue
            reason = f"a JSON {type(head).__name__}, not an object"
        return UserFacingError(
            S_("{file} cannot be read ({reason}): the usage log was damaged or changed. Keep "
               "a copy of the whole folder as evidence; its day files can still be read with "
               "'kiosk audit export'."),
            file=str(path), reason=reason)
    return None
