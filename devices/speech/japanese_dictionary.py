"""Open JTalk's Japanese dictionary: where it is, installing it, and loading pyopenjtalk on it.

The dictionary (``sys.dic`` and friends, 103 MB) reads kanji for the Japanese voice and for the
proposed name readings. The bundle leaves it out, like the translation and caption models: IT
installs it with ``kiosk models install-japanese DIR`` (DIR = the ``japanese-dictionary`` folder
``make package`` writes next to the bundle) into ``<models_dir>/japanese/open_jtalk``. Without it
the kiosk still runs: Japanese is shown, not spoken, and the citizen types the reading.

Looked up in this order: ``$OPEN_JTALK_DICT_DIR`` (pyopenjtalk's own variable), the installed
copy under the models directory, the copy inside the pyopenjtalk-plus package (a venv).

pyopenjtalk-plus can also correct a few multi-reading kanji with Sudachi, which needs a further
193 MB dictionary. On the kiosk's Japanese catalog and 48 common surnames and given names with
such kanji it changed no reading, so it is switched off (:data:`FRONTEND_OPTIONS`) everywhere and
the bundle leaves ``sudachidict_core`` out: the venv and the bundle read alike.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from devices.model_folder import replace_folder
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["FRONTEND_OPTIONS", "INSTALL_HINT", "REQUIRED_FILES", "DictionaryMissing",
           "check_dictionary",
           "find_dictionary", "install_dictionary", "installed_dictionary_dir",
           "load_pyopenjtalk", "use_models_dir"]

REQUIRED_FILES = ("sys.dic", "unk.dic", "char.bin", "matrix.bin")
# Passed to every pyopenjtalk call: no Sudachi correction (see the module docstring).
FRONTEND_OPTIONS: Mapping[str, Any] = {"use_sudachi_kanji_yomi": False}
INSTALL_HINT = "kiosk models install-japanese DIR (DIR: the japanese-dictionary folder of the build)"

_lock = threading.Lock()
_models_dir: Path | None = None
_loaded: ModuleType | None = None


class DictionaryMissing(ImportError):
    """No Open JTalk dictionary is installed: Japanese cannot be spoken or read aloud."""


def installed_dictionary_dir(models_dir: Path) -> Path:
    """Where ``kiosk models install-japanese`` puts the dictionary."""
    return models_dir / "japanese" / "open_jtalk"


def use_models_dir(models_dir: Path | None) -> None:
    """Look for the installed dictionary under ``models_dir`` from now on (the device's config)."""
    global _models_dir  # noqa: PLW0603 - one dictionary per process, as Open JTalk has
    _models_dir = models_dir


def _package_dictionary() -> Path | None:
    try:
        import importlib.util  # noqa: PLC0415

        spec = importlib.util.find_spec("pyopenjtalk")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "dictionary"


def _complete(directory: Path) -> bool:
    return all((directory / name).is_file() for name in REQUIRED_FILES)


def find_dictionary(models_dir: Path | None = None, *, environ: Mapping[str, str] = os.environ,
                    package_dir: Path | None = None) -> Path | None:
    """The dictionary folder to use, or ``None`` when there is none.

    ``models_dir`` defaults to the one set with :func:`use_models_dir`; ``package_dir`` (tests)
    replaces the copy inside the pyopenjtalk package.
    """
    models_dir = models_dir if models_dir is not None else _models_dir
    candidates = []
    if environ.get("OPEN_JTALK_DICT_DIR"):
        candidates.append(Path(environ["OPEN_JTALK_DICT_DIR"]))
    if models_dir is not None:
        candidates.append(installed_dictionary_dir(models_dir))
    package = package_dir if package_dir is not None else _package_dictionary()
    if package is not None:
        candidates.append(package)
    return next((path for path in candidates if _complete(path)), None)


def check_dictionary(directory: Path) -> None:
    """Check that ``directory`` holds an Open JTalk (MeCab) dictionary.

    Raises:
        DeviceError: a required file is missing.
    """
    missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
    if missing:
        raise DeviceError(S_("{dir}: not an Open JTalk dictionary; missing {files}."),
                          dir=str(directory), files=", ".join(missing))


def install_dictionary(source: Path, models_dir: Path) -> Path:
    """Copy the dictionary in ``source`` into the models directory, replacing an older one.

    Raises:
        DeviceError: ``source`` is not a dictionary, or the copy failed.
    """
    check_dictionary(source)
    final = installed_dictionary_dir(models_dir)
    try:
        replace_folder([path for path in source.iterdir() if path.is_file()], final)
    except OSError as exc:
        raise DeviceError(S_("Cannot install the Japanese dictionary into {dir} ({reason})."),
                          dir=str(final), reason=exc.strerror or str(exc)) from exc
    return final


@contextlib.contextmanager
def _without_onnxruntime() -> Iterator[None]:
    """Make ``import onnxruntime`` fail inside the block, unless it is already loaded."""
    if "onnxruntime" in sys.modules:
        yield
        return
    sys.modules["onnxruntime"] = None  # type: ignore[assignment]  # None: "not installed"
    try:
        yield
    finally:
        if sys.modules.get("onnxruntime", False) is None:
            del sys.modules["onnxruntime"]


def load_pyopenjtalk() -> ModuleType:
    """pyopenjtalk, pointed at the dictionary :func:`find_dictionary` finds (first call wins).

    Raises:
        DictionaryMissing: no dictionary is installed.
        ImportError: pyopenjtalk itself is missing.
    """
    global _loaded  # noqa: PLW0603
    with _lock:
        if _loaded is not None:
            return _loaded
        directory = find_dictionary()
        if directory is None:
            raise DictionaryMissing("no Open JTalk dictionary installed")
        # pyopenjtalk-plus loads onnxruntime at import for its 何 model, and onnxruntime
        # (1.29+) then sends telemetry to mobile.events.data.microsoft.com: the import runs with
        # onnxruntime hidden, as in the bundle (which leaves it out). Without it pyopenjtalk-plus
        # prints a notice on stdout, which would corrupt `kiosk doctor --json`; the notice only
        # means that 何 is always read ナニ, and no kiosk text has 何.
        with contextlib.redirect_stdout(io.StringIO()), _without_onnxruntime():
            import pyopenjtalk  # noqa: PLC0415 - heavy; loaded with the first Japanese phrase
        # Read when the first Open JTalk instance is made (not at import): set it before.
        pyopenjtalk.OPEN_JTALK_DICT_DIR = str(directory).encode("utf-8")
        _loaded = pyopenjtalk
        return pyopenjtalk
