"""Where the kiosk finds its bundled data and keeps its own files.

Bundled data (``forms/``, ``locales/``, fonts, migrations) sits next to the package in a
source checkout and under ``sys._MEIPASS`` in a PyInstaller build. The kiosk's own files
(the embedded database, printed PDFs in demo mode, logs) live in the per-user data
directory unless the configuration names another one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# platformdirs is imported by the functions that ask it for a folder, and not at all on Linux,
# where the folders are the XDG base directories (:func:`_xdg`): the tablet's first screen
# looks for the configuration file and its data folder, and the import costs it milliseconds.

APP_NAME = "kakanai-kiosk"

_LINUX = sys.platform.startswith("linux")

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundle_root() -> Path:
    """Return the directory that holds ``forms/`` and ``locales/``.

    In a PyInstaller one-folder build that is the bundle's ``_MEIPASS``; in a checkout it is
    the repository root, one level above the ``kiosk`` package.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root)
    return _PACKAGE_DIR.parent


def forms_dir() -> Path:
    """Directory of the procedure definitions (one YAML file per procedure)."""
    return bundle_root() / "forms"


def locales_dir() -> Path:
    """Directory of the gettext catalogs (``<lang>/LC_MESSAGES/kiosk.po``)."""
    return bundle_root() / "locales"


def fonts_dir() -> Path:
    """Directory of the fonts shipped with the kiosk (BIZ UD Gothic and Mincho, OFL)."""
    return _PACKAGE_DIR / "resources" / "fonts"


def _xdg(variable: str, fallback: str) -> Path:
    """The XDG base directory ``$variable`` (``fallback`` under the home folder when it is unset,
    empty or relative, which the XDG specification says to ignore), as platformdirs gives it on
    Linux, with the kiosk's folder in it."""
    base = os.environ.get(variable, "")
    if not base.strip() or not os.path.isabs(base):
        base = os.path.expanduser(fallback)
    return Path(base) / APP_NAME


def default_data_dir() -> Path:
    """The per-user data directory used when the configuration names none."""
    if _LINUX:
        return _xdg("XDG_DATA_HOME", "~/.local/share")
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_key_dir() -> Path:
    """Where the embedded database's answers key is kept by default: not beside the database.

    A copy or a backup of the data directory then holds sealed answers without their key. On
    Linux that is the user's configuration folder; on Windows, whose configuration and data
    folders are one, a folder of its own beside it.
    """
    if _LINUX:
        return _xdg("XDG_CONFIG_HOME", "~/.config")
    import platformdirs  # noqa: PLC0415

    if sys.platform == "win32":
        return Path(platformdirs.user_data_dir(f"{APP_NAME}-keys", appauthor=False))
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    """The configuration file read when neither ``--config`` nor ``KIOSK_CONFIG`` is given."""
    if _LINUX:
        return _xdg("XDG_CONFIG_HOME", "~/.config") / "kiosk.toml"
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "kiosk.toml"
