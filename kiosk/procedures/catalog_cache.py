"""The loaded form catalog kept on disk, so that a start reads it instead of loading 50 forms.

Loading ``forms/`` (YAML, building, lint) takes a quarter of a second of every start; the
result depends only on the form files, the pictogram names the lint checks against, and the
code of this package (and the few modules it reads), so it is cached under a key hashed from
all of them: a changed form, picture or kiosk version makes a new key and the forms are loaded
again. The catalog holds form definitions and their issues, never a visitor's data.

The cache is a pickle, which runs code when read: it is written 0600 in the device's private
data folder and read only when it is still its user's own and nobody else's (the same trust
as the database beside it). A cache that is missing, stale, damaged or not private is ignored
and written afresh.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

import kiosk
from kiosk.file_modes import loose_mode, write_private
from kiosk.paths import forms_dir
from kiosk.procedures.catalog import FormCatalog, load_catalog
from kiosk.procedures.pictures import picture_names

__all__ = ["CACHE_NAME", "cached_catalog", "catalog_key"]

CACHE_NAME = "forms-catalog.cache"
_FORMAT = b"kiosk-forms-catalog 1\n"
_PACKAGE = Path(__file__).resolve().parent
_KIOSK = _PACKAGE.parent
# The modules outside this package whose code goes into a loaded catalog.
_ALSO_READ = ("i18n.py", "ruby.py")

log = logging.getLogger(__name__)


def catalog_key(directory: Path | None = None) -> str:
    """The hash of everything :func:`load_catalog` reads for ``directory`` (default ``forms/``)."""
    directory = directory or forms_dir()
    digest = hashlib.sha256(_FORMAT)
    digest.update(f"{kiosk.__version__}\0{sys.version}\0".encode())
    code = [*sorted(_PACKAGE.glob("*.py")), *(_KIOSK / name for name in _ALSO_READ)]
    for label, paths in (("code", code), ("forms", sorted(directory.glob("*.yaml")))):
        for path in paths:
            data = path.read_bytes()
            digest.update(f"{label}\0{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    digest.update("\0".join(sorted(picture_names())).encode())
    return digest.hexdigest()


def cached_catalog(cache: Path, directory: Path | None = None) -> FormCatalog:
    """The catalog of ``directory``, from the file ``cache`` when it was made from the same
    files, else loaded and written there for the next start."""
    key = catalog_key(directory).encode("ascii")
    catalog = _read(cache, key)
    if catalog is None:
        catalog = load_catalog(directory)
        _write(cache, key, catalog)
    return catalog


def _read(cache: Path, key: bytes) -> FormCatalog | None:
    try:
        if not _private(cache):
            return None
        data = cache.read_bytes()
    except OSError:
        return None                     # none yet, or unreadable: loaded afresh
    header = _FORMAT + key + b"\n"
    if not data.startswith(header):
        return None                     # another kiosk version, or a form changed
    try:
        catalog = pickle.loads(data[len(header):])  # noqa: S301 - our own private file
    except Exception:
        log.warning("the form catalog cache %s is damaged; loading the forms", cache)
        return None
    return catalog if isinstance(catalog, FormCatalog) else None


def _private(path: Path) -> bool:
    """Whether ``path`` is this user's and nobody else's (always so on Windows)."""
    if os.name != "posix":
        return True
    return path.stat().st_uid == os.getuid() and not loose_mode(path)


def _write(cache: Path, key: bytes, catalog: FormCatalog) -> None:
    data = _FORMAT + key + b"\n" + pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL)
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.partial")
    try:
        partial.unlink(missing_ok=True)
        write_private(partial, data)
        os.replace(partial, cache)      # readers see the old file or the new, never half
    except OSError as exc:
        partial.unlink(missing_ok=True)
        log.warning("the form catalog cache %s could not be written (%s)", cache,
                    type(exc).__name__)
