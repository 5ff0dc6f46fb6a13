"""The tablet in its window is drawn on the theme's background, as the start-up Welcome and the
design are: the header and the step bar once showed the main window's grey around white
labels (a QWidget subclass paints its style sheet's background only when asked)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.ui.citizen.tablet_factory import EXIT_PIN_HASH_VARIABLE, make_tablet_window
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_tablet_window__header_and_step_bar__on_the_themes_background(
        qtbot, tmp_path, monkeypatch, high_contrast):
    monkeypatch.delenv(EXIT_PIN_HASH_VARIABLE, raising=False)
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
                                        "KIOSK_UI_SCREEN_DPI": "96",
                                        "KIOSK_UI_HIGH_CONTRAST": str(high_contrast).lower(),
                                        "KIOSK_SPEECH_KIND": "off"})
    services = build_services(config, demo=True)
    try:
        window = make_tablet_window(services)
        qtbot.addWidget(window)
        window.resize(800, 1280)
        window.show()
        qtbot.waitExposed(window)
        image = window.grab().toImage()
        tablet = window.tablet
        wanted = QColor((HIGH_CONTRAST if high_contrast else NORMAL).background)

        # The top-left corner of each bar: inside its margins, where no child is drawn.
        for bar in (tablet.header, tablet.step_bar):
            corner = bar.mapTo(window, QPoint(2, 2))
            assert image.pixelColor(corner).name() == wanted.name(), bar.objectName()
    finally:
        services.close()
