"""``kiosk i18n extract|check|compile``: keep the gettext catalogs complete and in step with code.

* ``extract`` rewrites ``locales/<domain>.pot`` from the source and merges new ids into every
  language's ``<domain>.po`` (new entries arrive empty; vanished ones are dropped).
* ``check`` fails when extraction would change a template, when a required language of a domain
  (every first-tier language for ``kiosk``, Japanese for ``staff``) has a missing or fuzzy
  entry, or when a translation's ``{placeholders}`` differ from the English.
* ``compile`` writes ``kiosk.mo`` next to each ``kiosk.po`` (optional: the kiosk compiles in
  memory when the ``.mo`` is missing or older).

Translatable text is marked in code with ``N_("...")`` for citizens and ``S_("...")`` for staff
(see ``kiosk.i18n``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from kiosk.config import Config
from kiosk.i18n import DOMAINS, LANGUAGES, catalog_path, compile_po
from kiosk.paths import bundle_root, locales_dir

_PLURAL_MARKERS = {"plural"}
_SOURCE_DIRS = ("kiosk", "devices")
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")
# A fixed date keeps the template byte-identical between runs, so "no diff" is checkable.
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def register(subparsers: Any) -> None:
    """Add ``i18n`` and its subcommands to the command line."""
    parser = subparsers.add_parser("i18n", help="translation catalogs")
    actions = parser.add_subparsers(dest="i18n_action", metavar="ACTION", required=True)
    actions.add_parser("extract", help="update locales/kiosk.pot and merge into every kiosk.po"
                       ).set_defaults(handler=_run_extract)
    actions.add_parser("check", help="fail on stale template, missing, fuzzy or broken entries"
                       ).set_defaults(handler=_run_check)
    actions.add_parser("compile", help="write kiosk.mo files").set_defaults(handler=_run_compile)


def extract_catalog(domain: str, root: Path | None = None) -> Catalog:
    """Extract the messages of ``domain`` from the kiosk's source into a fresh template."""
    root = root or bundle_root()
    markers, _required = DOMAINS[domain]
    keywords = {name: ((1, 2) if name in _PLURAL_MARKERS else None) for name in markers}
    catalog = Catalog(project="kakanai-kiosk", domain=domain, creation_date=_EPOCH,
                      revision_date=_EPOCH, fuzzy=False)
    for directory in _SOURCE_DIRS:
        for _file, _line, message, comments, context in extract_from_dir(
                str(root / directory), method_map=[("**.py", "python")],
                keywords=keywords, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def problems(root: Path | None = None) -> list[str]:
    """Everything ``kiosk i18n check`` complains about, one line each."""
    catalogs = locales_dir() if root is None else root
    found: list[str] = []
    for domain, (_markers, required) in DOMAINS.items():
        extracted = extract_catalog(domain)
        pot = catalogs / f"{domain}.pot"
        if not pot.exists():
            found.append(f"{pot}: missing; run `kiosk i18n extract`")
            continue
        with pot.open("rb") as handle:
            template = read_po(handle)
        if _ids(extracted) != _ids(template):
            added = sorted(_ids(extracted) - _ids(template))[:5]
            gone = sorted(_ids(template) - _ids(extracted))[:5]
            found.append(f"{pot}: out of date (new: {added}, gone: {gone}); "
                         "run `kiosk i18n extract`")
        for language in LANGUAGES:
            path = catalog_path(language.code, catalogs, domain)
            found.extend(_language_problems(language.code, path, template,
                                            language.code in required))
    return found


def _language_problems(code: str, path: Path, template: Catalog, first_tier: bool
                       ) -> Iterable[str]:
    if not path.exists():
        if first_tier:
            yield f"{path}: missing catalog for a required language"
        return
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = _strings(entry.string) if entry is not None else []
        if first_tier and (entry is None or not all(strings)):
            yield f"{path}: [{code}] missing translation for {_short(message.id)}"
            continue
        if first_tier and entry is not None and entry.fuzzy:
            yield f"{path}: [{code}] fuzzy translation for {_short(message.id)}"
        expected = _placeholders(_strings(message.id)[0])
        for text in strings:
            if text and _placeholders(text) != expected:
                yield (f"{path}: [{code}] placeholders {sorted(_placeholders(text))} differ from "
                       f"{sorted(expected)} in {_short(message.id)}")


def _ids(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(_strings(m.id)[0], m.context) for m in catalog if m.id}


def _strings(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value or "")]


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def _short(message_id: Any) -> str:
    text = _strings(message_id)[0]
    return repr(text if len(text) < 50 else text[:47] + "...")


def _run_extract(_args: argparse.Namespace, _config: Config) -> int:
    root = locales_dir()
    root.mkdir(parents=True, exist_ok=True)
    for domain, (_markers, required) in DOMAINS.items():
        template = extract_catalog(domain)
        with (root / f"{domain}.pot").open("wb") as handle:
            write_po(handle, template, omit_header=False, no_location=True, width=100)
        for language in LANGUAGES:
            path = catalog_path(language.code, root, domain)
            if not path.exists() and language.code not in required:
                continue
            _merge(path, language.code, domain, template)
        print(f"{domain}: {len(template)} messages")
    print(f"catalogs updated under {root}")
    return 0


def _merge(path: Path, code: str, domain: str, template: Catalog) -> None:
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=code, domain=domain, project="kakanai-kiosk",
                          creation_date=_EPOCH, revision_date=_EPOCH, fuzzy=False)
    # No fuzzy matching: a guessed translation of a changed text would reach citizens.
    catalog.update(template, no_fuzzy_matching=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, no_location=True, omit_header=False, width=100,
                 ignore_obsolete=True)


def _run_check(_args: argparse.Namespace, _config: Config) -> int:
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"i18n check: {len(found)} problem(s)", file=sys.stderr)
        return 1
    print("i18n check: catalogs complete")
    return 0


def _run_compile(_args: argparse.Namespace, _config: Config) -> int:
    for domain in DOMAINS:
        for language in LANGUAGES:
            path = catalog_path(language.code, domain=domain)
            if path.exists():
                path.with_suffix(".mo").write_bytes(compile_po(path))
    return 0
