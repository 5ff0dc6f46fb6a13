"""The speech recognition model IT installs: a faster-whisper (CTranslate2) model directory.

``kiosk models install-stt DIR`` copies a checked model into ``<models_dir>/stt/whisper``. The
kiosk never names a model on the Hugging Face hub: faster-whisper would download it.
"""

from __future__ import annotations

import json
from pathlib import Path

from devices.model_folder import replace_folder
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["REQUIRED_FILES", "check_stt_model", "install_stt_model", "stt_model_dir"]

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")


def stt_model_dir(models_dir: Path) -> Path:
    """Where the installed recognition model lives."""
    return models_dir / "stt" / "whisper"


def check_stt_model(directory: Path) -> None:
    """Check that ``directory`` holds a faster-whisper model.

    Raises:
        DeviceError: a required file is missing or config.json is not JSON.
    """
    missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
    if not any(directory.glob("vocabulary.*")):
        missing.append("vocabulary.*")
    if missing:
        raise DeviceError(S_("{dir}: not a faster-whisper model; missing {files}."),
                          dir=str(directory), files=", ".join(missing))
    try:
        json.loads((directory / "config.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DeviceError(S_("{dir}: config.json is not valid JSON."), dir=str(directory)) from exc


def install_stt_model(source: Path, models_dir: Path) -> Path:
    """Copy the model in ``source`` into the models directory, replacing the previous one.

    Raises:
        DeviceError: ``source`` is not a model, or the copy failed.
    """
    check_stt_model(source)
    final = stt_model_dir(models_dir)
    files = [path for path in source.iterdir() if path.is_file() and (
        path.name in REQUIRED_FILES or path.name.startswith(("vocabulary.", "preprocessor_config")))]
    try:
        replace_folder(files, final)
    except OSError as exc:
        raise DeviceError(S_("Cannot install the speech model into {dir} ({reason})."),
                          dir=str(final), reason=exc.strerror or str(exc)) from exc
    return final
