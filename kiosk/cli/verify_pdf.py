"""``kiosk verify-pdf FILE``: is this signed application intact, and signed by whom?

Checks every signature of the file offline with pyHanko's validator against ``[signing]
trust_root`` (or ``--trust PEM``) and prints a short verdict per signature in the clerk's
language (``--lang``, default Japanese). Exit 0 when every signature is intact, valid,
trusted, covers the whole file and is not a test signature; 1 otherwise; 2 when the file is
not a signed PDF (a message, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator, staff_translator

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``verify-pdf`` to the command line."""
    parser = subparsers.add_parser("verify-pdf", help="check the signatures of a signed PDF")
    parser.add_argument("file", type=Path)
    parser.add_argument("--trust", type=Path, default=None,
                        help="PEM of the CA to trust (default: [signing] trust_root)")
    parser.add_argument("--lang", default="ja", help="language of the verdict (ja, en)")
    parser.set_defaults(handler=run)


def _yes(tr: Translator, ok: bool, good: str, bad: str) -> str:
    return ("  ✔ " if ok else "  ✘ ") + tr(good if ok else bad)


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the verdict on every signature of ``args.file``."""
    from kiosk.signature_check import verify_signed_pdf  # noqa: PLC0415 - loads devices

    tr = staff_translator(args.lang)
    if args.trust is not None:
        config = replace(config, signing=replace(config.signing, trust_root=args.trust))
    try:
        data = args.file.read_bytes()
        checks = verify_signed_pdf(config, data)
    except OSError:
        print(tr(S_("{file} cannot be read."), file=str(args.file)), file=sys.stderr)
        return 2
    except UserFacingError as exc:
        print(tr(exc.message_id, **exc.params), file=sys.stderr)
        return 2
    for number, check in enumerate(checks, 1):
        when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "?"
        print(tr(S_("Signature {n} ({field})"), n=number, field=check.field))
        print("  " + tr(S_("Signed by: {signer}"), signer=check.signer))
        print("  " + tr(S_("Signed at: {time}"), time=when))
        print(_yes(tr, check.intact, S_("The document is unchanged since it was signed."),
                   S_("The document was CHANGED after it was signed.")))
        print(_yes(tr, check.valid, S_("The signature is mathematically valid."),
                   S_("The signature is NOT valid.")))
        print(_yes(tr, check.trusted, S_("The signer is trusted (the city's CA)."),
                   S_("The signer is NOT trusted (no trust root given, or another CA).")))
        print(_yes(tr, check.whole_file, S_("It covers the whole file."),
                   S_("Something was added to the file after this signature.")))
        print(_yes(tr, check.timestamped, S_("It has a time stamp."),
                   S_("It has no time stamp.")))
        if check.test_signature:
            print("  ✘ " + tr(S_("TEST SIGNATURE: this is not the city's signature.")))
    ok = all(check.ok for check in checks)
    print(tr(S_("Result: OK")) if ok else tr(S_("Result: NOT OK")))
    return 0 if ok else 1
