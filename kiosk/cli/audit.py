"""``kiosk audit verify | export | report``: the auditor's commands over the usage logs.

``DIR`` defaults to this device's log directory (``[audit] log_dir``); an auditor copies the
device folders of every tablet and clerk PC into one directory and points the commands at it.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kiosk.audit import build_report, export_csv, form_infos, iter_records, verify_directory
from kiosk.audit.report_csv import write_report_csvs
from kiosk.audit.sealing import KEY_FILE, SealingKey, SealingKeyError, VerificationKey
from kiosk.audit.verify import VerifyResult
from kiosk.cli.audit_heads import unreadable_head_error
from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.i18n import S_


def register(subparsers: Any) -> None:
    """Add ``audit verify``, ``audit export`` and ``audit report`` to the command line."""
    parser = subparsers.add_parser("audit", help="verify, export and report the usage logs")
    commands = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    verify = commands.add_parser(
        "verify", help="check the hash chains and, with --key, the seals; exit 1 on tampering")
    verify.add_argument("directory", nargs="?", type=Path, default=None)
    verify.add_argument("--key", action="append", default=[], metavar="KEY",
                        help="a device's verification key (from init-key); once per device")
    verify.add_argument("--heads-url", default="", metavar="URL",
                        help="database holding the seals the devices sent off (audit_heads)")
    verify.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        metavar="N", help="processes checking devices at once on a large log "
                        "(default: the CPUs this process may use)")
    verify.set_defaults(handler=run_verify)

    init_key = commands.add_parser(
        "init-key", help="create this device's sealing key; prints the auditor's key once")
    init_key.add_argument("--interval", type=int, default=None, metavar="SECONDS",
                          help="sealing epoch (default: [audit] seal_interval_s)")
    init_key.set_defaults(handler=run_init_key)

    export = commands.add_parser("export", help="records of a date range as CSV")
    _range(export)
    export.add_argument("--csv", type=Path, required=True, help="output file ('-' = stdout)")
    export.add_argument("--dir", type=Path, default=None, dest="directory")
    export.set_defaults(handler=run_export)

    report = commands.add_parser("report", help="the yearly effect-verification report")
    report.add_argument("--year", type=int, default=None,
                        help="fiscal year (年度): --year 2026 is FY2026 (令和8年度), "
                             "1 April 2026 to 31 March 2027; the cover says so")
    _range(report)
    report.add_argument("--out", type=Path, required=True, help="folder for the PDF and CSVs")
    report.add_argument("--dir", type=Path, default=None, dest="directory")
    report.add_argument("--no-pdf", action="store_true", help="only the CSV files")
    report.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        metavar="N", help="processes reading the day files at once on a large "
                        "log (default: the CPUs this process may use; same figures)")
    report.set_defaults(handler=run_report)


def _range(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=date.fromisoformat, default=None,
                        help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="last", type=date.fromisoformat, default=None,
                        help="last day (YYYY-MM-DD), inclusive")


def run_verify(args: argparse.Namespace, config: Config) -> int:
    """Verify every device folder; print each finding; exit 1 when one is not a warning."""
    directory = args.directory or config.audit_dir
    keys = {}
    for text in args.key:
        try:
            key = VerificationKey.parse(text)
        except SealingKeyError:
            raise ConfigError(S_("--key: not a verification key; it looks like "
                                 "kiosk-seal-1/DEVICE/SEED/START/INTERVAL.")) from None
        keys[key.device] = key
    heads = None
    if args.heads_url:
        from kiosk.app.commands import audit_heads  # noqa: PLC0415 - the composition root

        heads = audit_heads(args.heads_url)
    result = verify_directory(directory, keys, heads, workers=max(1, args.workers))
    for finding in result.findings:
        print(("warning: " if finding.warning else "") + finding.english())
    _print_sealing(result, bool(args.heads_url))
    unreadable = unreadable_head_error(directory)
    if unreadable is not None:
        raise unreadable    # the findings above, then what to do with a damaged log (exit 2)
    state = "OK" if result.ok else "TAMPERED"
    print(f"{state}: {result.devices} devices, {result.files} files, {result.records} records "
          f"in {directory}")
    return 0 if result.ok else 1


def _print_sealing(result: VerifyResult, heads: bool) -> None:
    for device in result.sealed_devices:
        tail = result.unsealed_tail.get(device, 0)
        print(f"{device}: seals verified with the verification key"
              + (f"; {tail} newest records are not sealed yet (the current epoch)"
                 if tail else ""))
    for device in result.unsealed_devices:
        print(f"{device}: sealing NOT verified (no --key for it): only the hash chain was "
              "checked, which whoever can write the files can recompute")
    if heads:
        print(f"{result.heads_checked} heads from the database compared with the files")
    else:
        print("heads in the database not compared (no --heads-url)")


def run_init_key(args: argparse.Namespace, config: Config) -> int:
    """Create the device's sealing key and print the verification key for the auditor, once."""
    interval = args.interval or config.audit.seal_interval_s
    if interval <= 0:
        raise ConfigError(S_("--interval must be a positive number of seconds."))
    path = config.audit_dir / config.device.id / KEY_FILE
    try:
        _sealing, verification = SealingKey.create(path, config.device.id,
                                                   datetime.now(UTC), interval)
    except FileExistsError:
        raise ConfigError(S_("{path} exists: this device has a sealing key, and an auditor "
                             "holds its verification key."), path=str(path)) from None
    print("Verification key for the auditor of device", config.device.id)
    print("(shown only now: print it or write it down, and keep it off this device)")
    print()
    print("   ", verification.text())
    print()
    print(f"The device keeps only the evolving sealing key ({path}, mode 0600).")
    print(f"Check the log with: kiosk audit verify --key {verification.text()} DIR")
    return 0


def run_export(args: argparse.Namespace, config: Config) -> int:
    """Write the records of the range as CSV."""
    directory = args.directory or config.audit_dir
    if str(args.csv) == "-":
        rows = export_csv(directory, args.first, args.last, sys.stdout)
    else:
        with args.csv.open("w", encoding="utf-8", newline="") as handle:
            rows = export_csv(directory, args.first, args.last, handle)
        print(f"{rows} records written to {args.csv}")
    return 0


def fiscal_year(year: int) -> tuple[date, date]:
    """The Japanese fiscal year (年度) ``year``: April 1 to March 31 of the next year."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def run_report(args: argparse.Namespace, config: Config) -> int:
    """Aggregate the period, write the CSVs and (unless ``--no-pdf``) the PDF."""
    if args.year is not None:
        first, last = fiscal_year(args.year)
    elif args.first is not None and args.last is not None:
        first, last = args.first, args.last
    else:
        raise ConfigError(S_("Give --year, or both --from and --to."))
    from kiosk.procedures.catalog import load_catalog  # noqa: PLC0415 - only this command

    directory = args.directory or config.audit_dir
    from kiosk.handover import load_mappings  # noqa: PLC0415 - only this command

    report = build_report(iter_records(directory, first, last), first, last,
                          form_infos(load_catalog()), workers=max(1, args.workers))
    report.system_titles = {code: system.name
                            for code, system in load_mappings().systems.items()}
    files = write_report_csvs(report, args.out)
    if not args.no_pdf:
        from kiosk.app import build_renderer  # noqa: PLC0415 - the root loads devices

        pdf = args.out / f"usage_report_{first.isoformat()}_{last.isoformat()}.pdf"
        build_renderer().report(report, pdf)
        files.append(pdf)
    for path in files:
        print(path)
    return 0
