"""``kiosk payments``: the daily close (日計) for the accounting office, takings, a receipt."""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.i18n import S_
from kiosk.ports import SystemClock

if TYPE_CHECKING:
    from kiosk.services.payments import PaymentService


def register(subparsers: Any) -> None:
    """Add ``payments close|takings|receipt`` to the command line."""
    parser = subparsers.add_parser("payments", help="fees paid at the counter")
    commands = parser.add_subparsers(dest="payments_command", metavar="ACTION", required=True)
    close = commands.add_parser("close", help="write the day's close (日計) as XLSX and CSV")
    close.add_argument("--date", type=_day, default=None, help="YYYY-MM-DD (default: today)")
    close.add_argument("--out", type=Path, default=Path(), help="folder for the two files")
    close.set_defaults(handler=run_close)
    takings = commands.add_parser("takings", help="print the day's takings per method")
    takings.add_argument("--date", type=_day, default=None, help="YYYY-MM-DD (default: today)")
    takings.set_defaults(handler=run_takings)
    receipt = commands.add_parser("receipt", help="write the receipt (領収書) of a payment as PDF")
    receipt.add_argument("payment", type=int, help="the payment's number")
    receipt.add_argument("--language", default="ja", help="the visitor's language (vi, en...)")
    receipt.add_argument("--out", type=Path, required=True, help="the PDF to write")
    receipt.set_defaults(handler=run_receipt)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-12-05") from None


def _service(config: Config) -> AbstractContextManager[PaymentService]:
    from kiosk.app.commands import open_payments  # noqa: PLC0415 - the composition root

    return open_payments(config)


def run_close(args: argparse.Namespace, config: Config) -> int:
    """Write 日計_<day>.xlsx and .csv."""
    day = args.date or SystemClock().now().date()
    with _service(config) as payments:
        xlsx, csv_path = payments.close_day(day, args.out)
        takings = payments.takings(day)
    print(f"{xlsx}\n{csv_path}\n{_summary(takings)}")
    return 0


def run_takings(args: argparse.Namespace, config: Config) -> int:
    """Print the day's takings per method and the cashless share."""
    day = args.date or SystemClock().now().date()
    with _service(config) as payments:
        print(_summary(payments.takings(day)))
    return 0


def run_receipt(args: argparse.Namespace, config: Config) -> int:
    """Write one paid payment's receipt as PDF."""
    from kiosk.app import build_renderer  # noqa: PLC0415
    from kiosk.i18n import LANGUAGES  # noqa: PLC0415

    if args.language not in {language.code for language in LANGUAGES}:
        raise ConfigError(S_("--language: '{language}' is not one of the kiosk's languages."),
                          language=args.language)
    with _service(config) as payments:
        receipt = payments.receipt(args.payment, args.language)
    build_renderer().receipt(receipt, args.out)
    print(args.out)
    return 0


def _summary(takings: Any) -> str:
    share = takings.cashless_share
    amounts = {method.value: amount for method, amount in takings.amounts.items()}
    return (f"{takings.day}: cash {amounts.get('cash', 0):,} yen, cashless "
            f"{amounts.get('cashless', 0):,} yen, total {takings.total:,} yen, refunds "
            f"{takings.refunds:,} yen, cashless share "
            f"{'-' if share is None else f'{share:.1%}'}")
