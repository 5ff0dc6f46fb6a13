"""Side-by-side installs: ``<root>/versions/<version>`` and a ``current`` pointer.

An update copies the new build next to the old ones and then switches the pointer in one
atomic rename, so a tablet is never left half-updated; a rollback switches it back. The pointer
is the text file ``current.txt`` (read by the Windows launcher) and, on POSIX, also the symlink
``current`` (used by the systemd unit and the autostart file).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

from kiosk.deploy.provenance import read_manifest, verify_manifest
from kiosk.errors import UserFacingError
from kiosk.i18n import S_

__all__ = ["InstallError", "Installs"]

_SAFE_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")


class InstallError(UserFacingError):
    """A build cannot be installed or activated (the message says why)."""


class Installs:
    """The versions installed under ``root`` and which one is current.

    ``platform`` (``sys.platform``) decides whether the ``current`` symlink is kept too: Windows
    needs administrator rights or developer mode for symlinks, so there only ``current.txt``.
    """

    def __init__(self, root: Path, *, platform: str = sys.platform) -> None:
        self.root = root
        self._symlink = platform != "win32"
        self.versions_dir = root / "versions"
        self._pointer = root / "current.txt"
        self._history = root / "history.json"        # versions that were current, in order
        self._installed = root / "installed.json"    # versions in the order they were installed

    def versions(self) -> list[str]:
        """Installed versions, oldest installation first."""
        if not self.versions_dir.is_dir():
            return []
        present = {p.name for p in self.versions_dir.iterdir()
                   if p.is_dir() and not p.name.endswith(".partial")}
        recorded = [v for v in _read_list(self._installed) if v in present]
        # Folders copied in by hand (not through install) come first, by name.
        return sorted(present - set(recorded)) + recorded

    def current(self) -> str | None:
        """The active version, or ``None`` before the first activation."""
        try:
            return self._pointer.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def path(self, version: str) -> Path:
        """Where ``version`` is installed."""
        return self.versions_dir / version

    def install(self, build: Path, *, activate: bool = True) -> str:
        """Copy the build at ``build`` in as its own version; activate it unless told not to.

        Raises:
            InstallError: the build has no valid manifest, its files do not match it, or the
                version is installed already.
        """
        try:
            info = read_manifest(build)
        except (FileNotFoundError, ValueError) as exc:
            raise InstallError(S_("{path} is not a kiosk build: {reason}"), path=str(build),
                               reason=str(exc)) from exc
        problems = verify_manifest(build)
        if problems:
            raise InstallError(S_("The build at {path} is damaged: {first} ({count} problems)."),
                               path=str(build), first=problems[0], count=len(problems))
        version = info.version
        if not _SAFE_VERSION.match(version):
            raise InstallError(S_("Version '{version}' is not a safe folder name."), version=version)
        target = self.path(version)
        if target.exists():
            raise InstallError(S_("Version {version} is installed already."), version=version)
        staging = target.with_name(version + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        shutil.copytree(build, staging, symlinks=True)
        staging.rename(target)      # the version appears whole or not at all
        _atomic_write(self._installed, json.dumps(
            [v for v in _read_list(self._installed) if v != version] + [version]))
        if activate:
            self.switch(version)
        return version

    def switch(self, version: str) -> None:
        """Make ``version`` current after checking its files against its manifest.

        Raises:
            InstallError: not installed, or its files changed since installation.
        """
        target = self.path(version)
        if not target.is_dir():
            raise InstallError(S_("Version {version} is not installed."), version=version)
        problems = verify_manifest(target)
        if problems:
            raise InstallError(S_("Version {version} is damaged: {first} ({count} problems)."),
                               version=version, first=problems[0], count=len(problems))
        previous = self.current()
        _atomic_write(self._pointer, version + "\n")
        if self._symlink:
            link = self.root / "current"
            temporary = self.root / "current.new"
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(Path("versions") / version, target_is_directory=True)
            os.replace(temporary, link)
        if previous and previous != version:
            history = [v for v in _read_list(self._history) if v != previous] + [previous]
            _atomic_write(self._history, json.dumps(history))

    def rollback(self) -> str:
        """Switch back to the version that was current before; return it.

        Raises:
            InstallError: there is no earlier version to go back to.
        """
        current = self.current()
        for version in reversed(_read_list(self._history)):
            if version != current and self.path(version).is_dir():
                self.switch(version)
                return version
        raise InstallError(S_("There is no earlier version to roll back to."))



def _read_list(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return []
    return [str(v) for v in data] if isinstance(data, list) else []


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
