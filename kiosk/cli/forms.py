"""``kiosk forms check|outline|print`` (``import|export|template``: forms_workbook): sign forms off.

* ``check`` loads and lints every file of ``forms/``; each problem is printed as
  ``forms/<file>.yaml:<line> (<path>): <code> <severity>: <message>``; exit 1 on any error.
* ``outline ID`` prints a plain-language outline for the clerk who signs a form off.
* ``print ID --sample --lang ja --out X.pdf`` renders the form filled with fictitious sample
  answers (and, with ``--receipt``, the citizen's receipt in ``--lang``).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.domain.signature_image import render_png
from kiosk.file_modes import write_private
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.issues import Severity
from kiosk.procedures.outline import outline
from kiosk.procedures.receipt import build_receipt
from kiosk.procedures.sample import sample_session, sample_signature
from kiosk.procedures.session import FormSession


def register(subparsers: Any) -> None:
    """Add ``forms`` and its subcommands to the command line."""
    parser = subparsers.add_parser("forms", help="procedure definitions in forms/")
    parser.add_argument("--dir", type=Path, default=None, help="forms directory (default: bundled)")
    actions = parser.add_subparsers(dest="forms_action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="load and lint every definition")
    check.add_argument("--quiet-warnings", action="store_true", help="print errors only")
    check.set_defaults(handler=_run_check)
    show = actions.add_parser("outline", help="plain-language outline of a form")
    show.add_argument("form_id")
    show.set_defaults(handler=_run_outline)
    render = actions.add_parser("print", help="render a form filled with sample answers")
    render.add_argument("form_id")
    render.add_argument("--sample", action="store_true", required=True,
                        help="fill with fictitious sample answers (the only mode for now)")
    render.add_argument("--lang", default="ja", help="language of the receipt")
    render.add_argument("--out", type=Path, required=True, help="PDF of the form")
    render.add_argument("--receipt", type=Path, default=None, help="PDF of the receipt")
    render.add_argument("--signed", action="store_true",
                        help="a PDF/A signed as the city ([signing]; a throwaway test "
                             "certificate when none is configured), with a sample signature")
    render.set_defaults(handler=_run_print)
    from kiosk.cli import forms_preview, forms_workbook  # noqa: PLC0415 - keeps start-up lean

    forms_workbook.register_actions(actions)
    forms_preview.register_actions(actions)


def _run_check(args: argparse.Namespace, _config: Config) -> int:
    catalog = load_catalog(args.dir)
    errors = 0
    for issue in sorted(catalog.issues, key=lambda i: (i.location.file, i.location.line)):
        if issue.severity is Severity.ERROR:
            errors += 1
        elif args.quiet_warnings:
            continue
        print(issue)
    warnings = len(catalog.issues) - errors
    print(f"{len(catalog.forms)} forms, {len(catalog.bundles)} bundles: "
          f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def _run_outline(args: argparse.Namespace, _config: Config) -> int:
    catalog = load_catalog(args.dir)
    print(outline(catalog.form(args.form_id)), end="")
    return 0


def _run_print(args: argparse.Namespace, config: Config) -> int:
    from kiosk.app import build_renderer  # noqa: PLC0415 - only app composes devices

    catalog = load_catalog(args.dir)
    session = sample_session(catalog.form(args.form_id))
    if args.signed:
        return _print_signed(session, args.out, config)
    renderer = build_renderer()
    report = renderer.application(session, args.out)
    if args.receipt is not None:
        renderer.receipt(build_receipt([session], language=args.lang,
                                       application_id=session.application_id), args.receipt)
    print(f"wrote {args.out}" + (f" and {args.receipt}" if args.receipt else ""))
    if report.needs_clerk:
        print(f"hand-write boxes in: {', '.join(report.handwrite_fields)}")
    return 0


def _print_signed(session: FormSession, out: Path, config: Config) -> int:
    """The sample as the city-signed PDF/A an approved electronic application becomes."""
    from kiosk.app import build_document_signer, build_renderer  # noqa: PLC0415

    session.signature_png = render_png(sample_signature())
    signer = build_document_signer(config)
    pdf, _pages = build_renderer().signed_application(session, datetime.now(UTC).astimezone())
    signed = signer.sign(pdf, reason=config.signing.reason, location=config.signing.location)
    write_private(out, signed)
    print(f"wrote {out}")
    if signer.test_signature:
        print("signed with a throwaway TEST certificate ([signing] is not configured): "
              "check the chain with `kiosk verify-pdf`, not the city's trust")
    return 0
