"""The tablet screens of one form, for staff before publishing it (``kiosk forms preview``).

Like ``kiosk screenshots`` (same demo services, same pilot and simulated card), but the walk
chooses the one procedure and stops at every question of it, then at the review.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kiosk.config import load_config
from kiosk.services.visit import Stage
from kiosk.ui.citizen.screenshots import TABLET_SIZE
from kiosk.ui.citizen.tablet import CitizenTablet
from kiosk.ui.citizen.tablet_factory import make_tablet
from kiosk.ui.citizen.tour import DEMO_PIN, answer_current
from kiosk.ui.common.application import application
from kiosk.ui.common.pilot import KioskPilot

__all__ = ["render_form_screens"]

_MAX_SCREENS = 80


def _walk(tablet: CitizenTablet, pilot: KioskPilot, form_id: str, folder: Path) -> list[Path]:
    written: list[Path] = []

    def shot(name: str) -> None:
        pilot.settle()
        path = folder / f"{len(written) + 1:02d}-{name}.png"
        tablet.grab().save(str(path), "PNG")
        written.append(path)

    pilot.tap("start")
    pilot.wait_until(lambda: tablet.visit.stage is Stage.CHOOSE, "choose")
    tablet.visit.toggle(form_id)
    shot("choose")
    tablet.visit.confirm_procedures()
    pilot.wait_until(lambda: tablet.visit.stage is Stage.IDENTIFY, "identify")
    pilot.tap("use-card")
    pilot.tap_keys("key-", DEMO_PIN)
    pilot.tap("pin-ok")
    pilot.wait_until(lambda: tablet.visit.stage is not Stage.IDENTIFY, "questions")
    while tablet.visit.stage is Stage.FORMS and len(written) < _MAX_SCREENS:
        question = tablet.visit.flow.current()
        shot(f"question-{question.field.id}" if question is not None else "question")
        answer_current(tablet, pilot)
    if tablet.visit.stage is Stage.REVIEW:
        shot("review")
    return written


def render_form_screens(form_id: str, out: Path, *, language: str = "ja") -> list[Path]:
    """Write ``out/<nn>-<screen>.png`` for every tablet screen of ``form_id`` in ``language``."""
    from kiosk.app import build_services  # noqa: PLC0415 - the composition root, at run time

    application()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-preview-") as data:
        config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": data})
        services = build_services(config, demo=True)
        try:
            services.forms.form(form_id)
            tablet = make_tablet(services)
            tablet.resize(*TABLET_SIZE)
            tablet.show()
            tablet.visit.set_language(language)
            try:
                return _walk(tablet, KioskPilot(tablet), form_id, out)
            finally:
                tablet.close()
                tablet.deleteLater()
        finally:
            services.close()
