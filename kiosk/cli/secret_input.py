"""Reading a secret (a staff PIN) for a command without putting it on the command line.

A secret given as an argument is visible to every user in the process list and stays in the
shell's history. Commands read it from the terminal without echo, typed twice, or as the first
line of standard input for scripts (``... < pin-file``).
"""

from __future__ import annotations

import getpass
import sys

from kiosk.errors import UserFacingError
from kiosk.i18n import S_

__all__ = ["read_secret"]


def read_secret(prompt: str) -> str:
    """The secret typed twice at the terminal, or the first line of a redirected stdin.

    Raises:
        UserFacingError: nothing was given, or the two entries at the terminal differ.
    """
    if sys.stdin.isatty():
        secret = getpass.getpass(f"{prompt}: ")
        if getpass.getpass(f"{prompt} (again): ") != secret:
            raise UserFacingError(S_("The two entries differ; nothing was changed. Try again."))
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise UserFacingError(S_("Nothing was entered; type it at the terminal or give it as "
                                 "the first line of standard input."))
    return secret
