"""The kiosk's files are its user's alone: folders 0700, files 0600, key files refused otherwise.

Every kiosk command runs with umask 0o077 (:mod:`kiosk.process_guard`), so what it creates is
private whatever library writes it. What existed before, or what IT copied in, may not be:
``kiosk doctor`` reports such folders and files with the command that fixes them, and a key file
others can read is refused outright. Windows has no POSIX modes (NTFS ACLs protect the user's
profile), so nothing is checked there.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from kiosk.config import Config
from kiosk.doctor import Check, Status
from kiosk.errors import ConfigError
from kiosk.i18n import S_
from kiosk.paths import default_key_dir

__all__ = ["check_key_file", "kiosk_folders", "loose_mode", "mode_checks", "private_dir",
           "read_secret_file"]

_POSIX = os.name == "posix"
_MAX_NAMED = 3              # offenders named in a check; the fix covers them all
_MAX_FILES = 20_000         # a folder of this many files is walked no further (models)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; a folder the kiosk creates is 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` as a 0600 file (created so, never widened for a moment)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return path


def loose_mode(path: Path) -> int:
    """The group and other permission bits of ``path`` (0 when private, or on Windows)."""
    if not _POSIX:
        return 0
    return stat.S_IMODE(path.stat().st_mode) & 0o077


def check_key_file(path: Path) -> None:
    """Refuse a key file that other users can read or write.

    Raises:
        ConfigError: the file's mode gives group or others any access.
    """
    if _POSIX and path.exists() and loose_mode(path):
        raise ConfigError(S_("{file}: the answers key can be read by other users (mode {mode}); "
                             "the kiosk does not use it. Run: chmod 600 {file}"),
                          file=str(path), mode=oct(stat.S_IMODE(path.stat().st_mode)))


def read_secret_file(path: Path | None, what: str) -> str | None:
    """The first line of a 0600 secret file (a passphrase, a PIN); ``None`` without a file.

    Raises:
        ConfigError: the file can be read by other users, or cannot be read.
    """
    if path is None:
        return None
    if _POSIX and loose_mode(path):
        raise ConfigError(S_("{file}: the {what} can be read by other users; the kiosk does "
                             "not use it. Run: chmod 600 {file}"), file=str(path), what=what)
    try:
        return path.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError, UnicodeDecodeError) as exc:
        raise ConfigError(S_("{file}: the {what} cannot be read."), file=str(path),
                          what=what) from exc


def kiosk_folders(config: Config) -> list[tuple[str, Path]]:
    """The folders whose files hold personal data or keys, labelled for the doctor's checks."""
    key = config.database.answers_key
    key_dir = (Path(key.removeprefix("file:")).expanduser().parent if key.startswith("file:")
               else default_key_dir())
    return [("data", config.device.data_dir), ("audit", config.audit_dir),
            ("printed", config.print_dir), ("speech", config.speech_dir), ("keys", key_dir),
            ("documents", config.document_dir)]


def mode_checks(folders: Iterable[tuple[str, Path]]) -> list[Check]:
    """One check per named folder: the folder and everything in it are its owner's only."""
    if not _POSIX:
        return [Check("files.modes", Status.OK, f"not checked on {sys.platform} (no POSIX modes)")]
    checks: list[Check] = []
    seen: set[Path] = set()
    for label, folder in folders:
        if any(folder.is_relative_to(done) for done in seen) or not folder.exists():
            continue                 # inside a folder checked already (the data directory)
        seen.add(folder)
        loose = _loose_paths(folder)
        name = f"files.{label}"
        if not loose:
            checks.append(Check(name, Status.OK, f"{folder}: private (0700 folders, 0600 files)"))
            continue
        named = ", ".join(f"{path} ({oct(stat.S_IMODE(path.stat().st_mode))})"
                          for path in loose[:_MAX_NAMED])
        more = f" and {len(loose) - _MAX_NAMED} more" if len(loose) > _MAX_NAMED else ""
        checks.append(Check(name, Status.WARN,
                            f"other users may read {named}{more}",
                            f"chmod -R go-rwx {folder}   (as the kiosk's user; new files are "
                            "private already)"))
    return checks


def _loose_paths(folder: Path) -> list[Path]:
    loose = [folder] if loose_mode(folder) else []
    for count, path in enumerate(folder.rglob("*")):
        if count >= _MAX_FILES:
            break
        if not path.is_symlink() and loose_mode(path):
            loose.append(path)
    return loose
