"""The staff menu names the build's flavour, so IT sees whether the device translates itself."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.deploy.provenance import FLAVOUR_FILE, about_info, write_manifest
from kiosk.i18n import staff_translator
from kiosk.ui.common.about_panel import AboutPanel

pytestmark = pytest.mark.gui


def test_about_panel__tablet_bundle__version_line_names_the_tablet_build(qtbot, tmp_path):
    build = tmp_path / "kiosk-tablet"
    (build / "_internal").mkdir(parents=True)
    (build / "_internal" / FLAVOUR_FILE).write_text("tablet\n", encoding="utf-8")
    write_manifest(build, "2.3.4", "0123456789abcdef", datetime(2026, 11, 24, 9, tzinfo=UTC))

    panel = AboutPanel(staff_translator("en"), lambda: about_info(None, root=build))
    qtbot.addWidget(panel)

    assert panel.version.text() == "2.3.4 (tablet build)"


def test_about_panel__source_checkout__version_alone(qtbot, tmp_path):
    panel = AboutPanel(staff_translator("en"), lambda: about_info(None, repository=tmp_path))
    qtbot.addWidget(panel)

    assert "build" not in panel.version.text()
