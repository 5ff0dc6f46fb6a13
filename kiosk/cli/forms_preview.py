"""``kiosk forms preview ID --out DIR``: what citizens and clerks will see of one form;
``kiosk forms calibrate ID --out X.pdf``: its 様式 with every placed field's box outlined.

The tablet screens of the form (``DIR/screens/<nn>-<screen>.png``, as ``kiosk screenshots``
makes them) and its printed PDF filled with fictitious sample answers (``DIR/ID.pdf``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.paths import forms_dir
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.sample import sample_session

__all__ = ["register_actions"]


def register_actions(actions: Any) -> None:
    """Add ``preview`` to ``kiosk forms``."""
    preview = actions.add_parser("preview", help="tablet screens and printed PDF of one form")
    preview.add_argument("form_id")
    preview.add_argument("--out", type=Path, required=True, help="folder to write into")
    preview.add_argument("--lang", default="ja", help="language of the tablet screens")
    preview.add_argument("--no-screens", action="store_true", help="only the printed PDF")
    preview.set_defaults(handler=_run_preview)
    calibrate = actions.add_parser("calibrate", help="the 様式 with every field's box outlined")
    calibrate.add_argument("form_id")
    calibrate.add_argument("--out", type=Path, required=True, help="PDF to write")
    calibrate.set_defaults(handler=_run_calibrate)


def _run_preview(args: argparse.Namespace, _config: Config) -> int:
    from kiosk.app import build_renderer  # noqa: PLC0415 - only app composes devices

    catalog = load_catalog(args.dir)
    form = catalog.form(args.form_id)
    args.out.mkdir(parents=True, exist_ok=True)
    pdf = args.out / f"{form.id}.pdf"
    build_renderer().application(sample_session(form), pdf)
    print(f"wrote {pdf}")
    if not args.no_screens:
        from kiosk.ui.citizen.form_preview import render_form_screens  # noqa: PLC0415 - Qt

        screens = render_form_screens(form.id, args.out / "screens", language=args.lang)
        print(f"{len(screens)} screens in {args.out / 'screens'}")
    return 0


def _run_calibrate(args: argparse.Namespace, _config: Config) -> int:
    from kiosk.app import build_renderer  # noqa: PLC0415 - only app composes devices

    directory = args.dir or forms_dir()
    form = load_catalog(directory).form(args.form_id)
    background = directory / form.print.background if form.print.background else None
    if background is None or not background.is_file():
        print(f"{form.id} names no 様式 PDF (print.background) that exists in {directory}")
        return 1
    boxes = build_renderer().calibration(form, background, args.out)
    print(f"wrote {args.out} ({boxes} boxes)")
    return 0
