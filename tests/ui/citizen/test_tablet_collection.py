"""``kiosk tablet`` starts with Python's cyclic collector paused: until the tablet has taken
over, then what the start made is set aside (``gc.freeze``) and collections resume."""

from __future__ import annotations

import argparse
import gc

import pytest

from kiosk.cli import tablet as tablet_command
from kiosk.config_sections import UiConfig
from kiosk.ui.citizen import run_tablet

pytestmark = pytest.mark.gui


@pytest.fixture
def collector():
    yield
    gc.unfreeze()       # this test process's objects back where the collector sees them
    gc.enable()


def _args() -> argparse.Namespace:
    return argparse.Namespace(hash_exit_pin=False, quit_after=0.0, report=None)


def test_tablet_command__paused_until_taken_over__then_frozen_and_resumed(
        collector, monkeypatch, tmp_path):
    seen: list[tuple[str, bool, bool]] = []

    def run(ui, build, *, taken_over, **_options):
        seen.append(("starting", gc.isenabled(), gc.get_freeze_count() > 0))
        taken_over()
        seen.append(("taken over", gc.isenabled(), gc.get_freeze_count() > 0))
        return 0

    monkeypatch.setattr(run_tablet, "run_tablet", run)
    gc.unfreeze()

    assert tablet_command._run(_args(), UiConfig(), lambda: None, tmp_path) == 0
    assert seen == [("starting", False, False), ("taken over", True, True)]


def test_tablet_command__collector_off_before__left_off(collector, monkeypatch, tmp_path):
    seen: list[bool] = []

    def run(ui, build, *, taken_over, **_options):
        taken_over()
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(run_tablet, "run_tablet", run)
    gc.disable()

    tablet_command._run(_args(), UiConfig(), lambda: None, tmp_path)

    assert seen == [False]
