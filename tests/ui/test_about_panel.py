"""The staff menu's version and configuration checksum: the panel, the tablet, the clerk desktop."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk import __version__
from kiosk.deploy.provenance import about_info, file_checksum, write_manifest
from kiosk.i18n import staff_translator
from kiosk.ui.common.about_panel import AboutPanel

pytestmark = pytest.mark.gui


def test_about_info__bundle_with_manifest__version_and_revision_of_the_build(tmp_path):
    build = tmp_path / "bundle"
    build.mkdir()
    (build / "kiosk").write_text("x", encoding="utf-8")
    write_manifest(build, "2.3.4", "0123456789abcdef", datetime(2026, 11, 24, 9, tzinfo=UTC))
    config = tmp_path / "kiosk.toml"
    config.write_text("[device]\nrole = 'tablet'\n", encoding="utf-8")

    info = about_info(config, root=build)

    assert (info.version, info.revision) == ("2.3.4", "0123456789abcdef")
    assert info.built_at.startswith("2026-11-24T09:00")
    assert (info.config_path, info.config_checksum) == (str(config), file_checksum(config))


def test_about_info__checkout_without_git_or_config__unknown_revision_and_no_checksum(tmp_path):
    info = about_info(None, repository=tmp_path)

    assert (info.version, info.revision, info.built_at) == (__version__, "unknown", "")
    assert (info.config_path, info.config_checksum) == ("", "-")


def test_about_panel__configuration_changed__refresh_shows_the_new_checksum(qtbot, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text("[ui]\ntext_scale = 1.0\n", encoding="utf-8")
    panel = AboutPanel(staff_translator("ja"), lambda: about_info(config, repository=tmp_path))
    qtbot.addWidget(panel)
    before = panel.checksum.text()

    config.write_text("[ui]\ntext_scale = 1.5\n", encoding="utf-8")
    panel.refresh()

    assert len(before) == 12
    assert panel.checksum.text() == file_checksum(config) != before
    assert panel.version.text() == __version__
    assert panel.config.text() == str(config)
