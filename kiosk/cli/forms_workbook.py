"""``kiosk forms import|export|template``: forms as XLSForm-style workbooks for city staff.

* ``import FORM.xlsx [--out ID.yaml]`` checks the workbook like ``forms check`` (every problem
  as ``FORM.xlsx:survey!C12 (path): F031 error: ...``) and writes the YAML; exit 1 on errors.
* ``export ID --xlsx OUT.xlsx`` writes the workbook of a bundled form or bundle.
* ``template --out X.xlsx`` writes the template workbook (example + 説明 sheet in Japanese).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.paths import forms_dir
from kiosk.procedures.catalog import COMMON_FILE, load_catalog
from kiosk.procedures.issues import errors_of
from kiosk.procedures.schema import CommonLibrary, build_common
from kiosk.procedures.source import parse_yaml

__all__ = ["register_actions"]


def register_actions(actions: Any) -> None:
    """Add the workbook actions to ``kiosk forms``."""
    read = actions.add_parser("import", help="check a workbook and write its YAML")
    read.add_argument("workbook", type=Path)
    read.add_argument("--out", type=Path, default=None, help="YAML file (default: print it)")
    read.set_defaults(handler=_run_import)
    write = actions.add_parser("export", help="write a form or bundle as a workbook")
    write.add_argument("form_id")
    write.add_argument("--xlsx", type=Path, required=True, help="workbook to write")
    write.set_defaults(handler=_run_export)
    template = actions.add_parser("template", help="write the template workbook")
    template.add_argument("--out", type=Path, required=True)
    template.set_defaults(handler=_run_template)


def _common(directory: Path) -> CommonLibrary:
    path = directory / COMMON_FILE
    if not path.exists():
        return CommonLibrary()
    doc, _ = parse_yaml(path.read_text(encoding="utf-8"), f"{directory.name}/{COMMON_FILE}")
    return build_common(doc)[0] if doc.data is not None else CommonLibrary()


def _run_import(args: argparse.Namespace, _config: Config) -> int:
    from kiosk.procedures.workbook_import import import_workbook  # noqa: PLC0415 - openpyxl

    text, issues = import_workbook(args.workbook, _common(args.dir or forms_dir()))
    for issue in issues:
        print(issue)
    errors = errors_of(issues)
    print(f"{args.workbook.name}: {len(errors)} error(s), {len(issues) - len(errors)} warning(s)")
    if text is None or errors:
        return 1
    if args.out is None:
        print(text, end="")
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


def _run_export(args: argparse.Namespace, _config: Config) -> int:
    from kiosk.procedures.workbook_write import write_workbook  # noqa: PLC0415 - openpyxl

    directory = args.dir or forms_dir()
    catalog = load_catalog(directory)
    item = catalog.forms.get(args.form_id) or catalog.bundles.get(args.form_id)
    if item is None:
        print(f"no form or bundle '{args.form_id}' in {directory}")
        return 1
    path = directory / Path(item.file).name
    doc, _ = parse_yaml(path.read_text(encoding="utf-8"), item.file)
    write_workbook(doc.data, args.xlsx)
    print(f"wrote {args.xlsx}")
    return 0


def _run_template(args: argparse.Namespace, _config: Config) -> int:
    from kiosk.procedures.workbook_template import write_template  # noqa: PLC0415 - openpyxl

    write_template((args.dir or forms_dir()) / "templates" / "example.yaml", args.out)
    print(f"wrote {args.out}")
    return 0
