"""Build provenance: what a build is, and whether its files are still the ones that were built."""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kiosk import __version__
from kiosk.doctor import Check, Status

__all__ = ["FLAVOURS", "FLAVOUR_FILE", "MANIFEST_NAME", "AboutInfo", "BuildInfo", "about_info",
           "build_flavour", "build_root", "file_checksum", "git_revision", "marker_flavour",
           "probe_build", "read_manifest", "verify_manifest", "write_manifest"]

MANIFEST_NAME = "kiosk-build.json"
# The flavour a bundle was built as, written into it by packaging/pyinstaller/kiosk.spec:
# "full" (clerk PCs, demo: translation engine and speech recognizer included) or "tablet"
# (counter tablets and boards: both left out; the clerk PC of the counter translates and
# captions). Builds from before flavours existed were full builds.
FLAVOURS = ("full", "tablet")
FLAVOUR_FILE = "kiosk-flavour.txt"
_DEFAULT_FLAVOUR = "full"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BuildInfo:
    """A build's identity and the SHA-256 of each of its files (paths relative, ``/``-separated)."""

    version: str
    revision: str
    built_at: str
    files: dict[str, str] = field(default_factory=dict)
    flavour: str = _DEFAULT_FLAVOUR      # one of FLAVOURS


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> dict[str, Path]:
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*"))
            if path.is_file() and path.name != MANIFEST_NAME}


def marker_flavour(root: Path) -> str:
    """The flavour the build at ``root`` says it is (its ``kiosk-flavour.txt``, next to the
    executable or in PyInstaller's ``_internal``); ``full`` when it has none."""
    for marker in (root / "_internal" / FLAVOUR_FILE, root / FLAVOUR_FILE):
        try:
            flavour = marker.read_text(encoding="utf-8").strip()
        except OSError:
            continue
        if flavour in FLAVOURS:
            return flavour
    return _DEFAULT_FLAVOUR


def write_manifest(root: Path, version: str, revision: str, built_at: datetime,
                   flavour: str | None = None) -> BuildInfo:
    """Hash every file under ``root`` and write ``kiosk-build.json`` there.

    ``flavour`` defaults to the one the build's marker file names (:func:`marker_flavour`).
    """
    info = BuildInfo(version, revision, built_at.isoformat(timespec="seconds"),
                     {name: _sha256(path) for name, path in _files(root).items()},
                     flavour or marker_flavour(root))
    (root / MANIFEST_NAME).write_text(json.dumps(info.__dict__, indent=1, sort_keys=True),
                                      encoding="utf-8")
    return info


def read_manifest(root: Path) -> BuildInfo:
    """The manifest of the build at ``root``.

    Raises:
        FileNotFoundError: ``root`` holds no manifest (not a kiosk build).
        ValueError: the manifest is not valid JSON of the expected shape.
    """
    try:
        data = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
        return BuildInfo(str(data["version"]), str(data["revision"]), str(data["built_at"]),
                         {str(k): str(v) for k, v in dict(data["files"]).items()},
                         str(data.get("flavour", _DEFAULT_FLAVOUR)))
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{root / MANIFEST_NAME}: not a valid build manifest ({exc})") from exc


def verify_manifest(root: Path) -> list[str]:
    """Every difference between ``root`` and its manifest: changed, missing and extra files."""
    info = read_manifest(root)
    present = _files(root)
    problems = [f"missing {name}" for name in sorted(info.files.keys() - present.keys())]
    problems += [f"changed {name}" for name in sorted(info.files.keys() & present.keys())
                 if _sha256(present[name]) != info.files[name]]
    # Extra files matter too: a dropped-in module is as dangerous as a changed one.
    problems += [f"unexpected {name}" for name in sorted(present.keys() - info.files.keys())]
    return problems


def git_revision(repository: Path) -> str:
    """The commit the build comes from (``unknown`` outside a git checkout)."""
    try:
        result = subprocess.run(["git", "-C", str(repository), "rev-parse", "HEAD"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    revision = result.stdout.strip()
    if result.returncode != 0 or not revision:
        return "unknown"
    dirty = subprocess.run(["git", "-C", str(repository), "status", "--porcelain"],
                           capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    return revision + ("-dirty" if dirty else "")


def build_root() -> Path | None:
    """The folder of the running bundle (``None`` when running from a source checkout)."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def build_flavour(root: Path | None = None) -> str:
    """The flavour of the running bundle (``root``: another bundle), ``""`` from a checkout.

    Read from the manifest, or from the marker file when the manifest is damaged.
    """
    root = root if root is not None else build_root()
    if root is None:
        return ""
    try:
        return read_manifest(root).flavour
    except (FileNotFoundError, ValueError):
        return marker_flavour(root)


def probe_build(root: Path | None = None) -> list[Check]:
    """Doctor check: the installed files are the ones the build recorded."""
    root = root if root is not None else build_root()
    if root is None:
        return [Check("build.files", Status.OK, "source checkout: no build manifest to verify")]
    try:
        info = read_manifest(root)
    except (FileNotFoundError, ValueError) as exc:
        return [Check("build.files", Status.FAIL, f"no valid {MANIFEST_NAME}: {exc}",
                      "Reinstall this version with `kiosk install BUILD`.")]
    problems = verify_manifest(root)
    if problems:
        return [Check("build.files", Status.FAIL,
                      f"{len(problems)} file(s) differ from build {info.version}: {problems[0]}",
                      "Reinstall this version, or `kiosk rollback` to the previous one.")]
    return [Check("build.files", Status.OK,
                  f"{len(info.files)} files as built ({info.version}, {info.revision[:12]}, "
                  f"{info.flavour} build)")]


def file_checksum(path: Path | None) -> str:
    """Short SHA-256 of a file (the configuration, shown in the staff menu), or ``-``."""
    if path is None or not path.is_file():
        return "-"
    return _sha256(path)[:12]


@dataclass(frozen=True)
class AboutInfo:
    """What the staff menu shows: which software runs here, with which configuration file."""

    version: str
    revision: str            # the git commit the build (or checkout) comes from, or "unknown"
    built_at: str            # "" when running from a source checkout
    config_path: str         # "" when running on the defaults (no configuration file)
    config_checksum: str     # short SHA-256 of the configuration file, as `kiosk doctor` shows
    flavour: str = ""        # "full" or "tablet" for a bundle, "" when running from a checkout


@functools.lru_cache(maxsize=4)
def _checkout_revision(repository: Path) -> str:
    # Asked once per process: `git status` costs tens of milliseconds on every window built.
    return git_revision(repository)


def about_info(config_source: Path | None, *, root: Path | None = None,
               repository: Path | None = None) -> AboutInfo:
    """The :class:`AboutInfo` of this process.

    ``root`` is the bundle folder (default: the running bundle, ``None`` from a checkout);
    ``repository`` the checkout asked for its revision when there is no bundle.
    """
    build = root if root is not None else build_root()
    version, revision, built_at, flavour = __version__, "unknown", "", ""
    if build is not None:
        flavour = marker_flavour(build)
        try:
            info = read_manifest(build)
        except (FileNotFoundError, ValueError):
            pass       # a damaged build still shows its version; doctor names the problem
        else:
            version, revision, built_at, flavour = (info.version, info.revision, info.built_at,
                                                    info.flavour)
    else:
        revision = _checkout_revision(repository or Path(__file__).resolve().parents[2])
    return AboutInfo(version, revision, built_at,
                     str(config_source) if config_source is not None else "",
                     file_checksum(config_source), flavour)
