"""Argos Translate language packs as files: check, install and list, without argospm.

IT copies ``.argosmodel`` files to the device and runs ``kiosk models install``. A pack is a zip
with one top-level directory holding ``metadata.json``, ``sentencepiece.model`` (or
``bpe.model``) and a CTranslate2 ``model/`` directory. Installing unpacks it under
``<models_dir>/translation/<from>_<to>/``, replacing an older pack of the same pair. argospm
and argostranslate's own installer are not used: they keep a global package directory and
reach for the network index (offline that hangs about 19 s and ends in RecursionError).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["PackageInfo", "install_package", "installed_packages", "translation_dir"]


@dataclass(frozen=True)
class PackageInfo:
    """An installed language pack."""

    source: str
    target: str
    version: str
    path: Path

    @property
    def pair(self) -> str:
        """``"ja->en"``, for listings."""
        return f"{self.source}->{self.target}"


def translation_dir(models_dir: Path) -> Path:
    """Where language packs are installed under the models directory."""
    return models_dir / "translation"


def install_package(archive: Path, models_dir: Path) -> PackageInfo:
    """Check ``archive`` and unpack it into the models directory.

    Raises:
        DeviceError: the file is unreadable, not a zip, or not a translation pack.
    """
    try:
        with zipfile.ZipFile(archive) as package:
            top = _top_directory(package, archive)
            metadata = _metadata(package, top, archive)
            _check_members(package, top, archive)
            target_dir = translation_dir(models_dir)
            target_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=target_dir))
            try:
                package.extractall(staging)
                final = target_dir / f"{metadata['from_code']}_{metadata['to_code']}"
                old = final.with_name(final.name + ".old")
                if final.exists():
                    final.rename(old)
                (staging / top).rename(final)
                shutil.rmtree(old, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (OSError, zipfile.BadZipFile) as exc:
        raise DeviceError(S_("{file}: not a readable language pack ({reason})."),
                          file=str(archive), reason=str(exc)) from exc
    return _info(final)


def installed_packages(models_dir: Path) -> list[PackageInfo]:
    """Every installed language pack, sorted by pair; broken directories are skipped."""
    found = []
    root = translation_dir(models_dir)
    if not root.is_dir():
        return []
    for directory in sorted(root.iterdir()):
        if directory.name.startswith(".") or not (directory / "metadata.json").is_file():
            continue
        try:
            found.append(_info(directory))
        except (OSError, ValueError, KeyError):
            continue
    return found


def _info(directory: Path) -> PackageInfo:
    metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    return PackageInfo(str(metadata["from_code"]), str(metadata["to_code"]),
                       str(metadata.get("package_version", "")), directory)


def _top_directory(package: zipfile.ZipFile, archive: Path) -> str:
    tops = {PurePosixPath(name).parts[0] for name in package.namelist() if name.strip("/")}
    if len(tops) != 1:
        raise DeviceError(S_("{file}: a language pack holds exactly one top-level directory."),
                          file=str(archive))
    return tops.pop()


def _metadata(package: zipfile.ZipFile, top: str, archive: Path) -> dict[str, object]:
    try:
        metadata = json.loads(package.read(f"{top}/metadata.json").decode("utf-8"))
    except (KeyError, ValueError) as exc:
        raise DeviceError(S_("{file}: the language pack has no valid metadata.json."),
                          file=str(archive)) from exc
    codes = (metadata.get("from_code"), metadata.get("to_code"))
    if metadata.get("type", "translate") != "translate" or not all(
            isinstance(code, str) and code.isalpha() for code in codes):
        raise DeviceError(S_("{file}: metadata.json does not describe a translation pack."),
                          file=str(archive))
    return dict(metadata)


def _check_members(package: zipfile.ZipFile, top: str, archive: Path) -> None:
    names = set(package.namelist())
    for name in names:
        # A member outside the top directory could overwrite any file: refuse the pack.
        if name.startswith("/") or ".." in PurePosixPath(name).parts:
            raise DeviceError(S_("{file}: the language pack holds an unsafe path."),
                              file=str(archive))
    has_tokenizer = {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & names
    if not has_tokenizer or f"{top}/model/model.bin" not in names:
        raise DeviceError(S_("{file}: the language pack lacks its tokenizer or model/model.bin."),
                          file=str(archive))
