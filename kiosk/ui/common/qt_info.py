"""Qt version facts for ``kiosk doctor`` (imports PySide6, so it lives under kiosk.ui)."""

from __future__ import annotations

import PySide6
from PySide6 import QtCore


def qt_versions() -> str:
    """``"PySide6 6.x, Qt 6.x"``."""
    return f"PySide6 {PySide6.__version__}, Qt {QtCore.qVersion()}"
