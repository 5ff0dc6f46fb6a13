"""Qt tests run on the offscreen platform with the kiosk's fonts loaded app-wide."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(scope="session")
def qapp_cls():
    """pytest-qt builds its QApplication from our factory so fonts are registered."""
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture(autouse=True, scope="session")
def _kiosk_fonts(qapp):
    from kiosk.ui.common.application import application

    return application()
