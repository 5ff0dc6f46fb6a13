"""Rendering every screen of the tablet to PNG (``kiosk screenshots``)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from kiosk.config import load_config
from kiosk.ui.citizen.tablet import FURIGANA_BY_DEFAULT, FURIGANA_LANGUAGES
from kiosk.ui.citizen.tablet_factory import make_tablet
from kiosk.ui.citizen.tour import tour
from kiosk.ui.common.application import application
from kiosk.ui.common.pilot import KioskPilot

__all__ = ["TABLET_DPI", "TABLET_SIZE", "render_all"]

TABLET_SIZE = (800, 1280)   # a 10-inch tablet in portrait, the pilot tablets' shape
TABLET_DPI = 150            # its density: 1 mm is 5.9 px, so 9 mm targets are drawn as there


def _variants(code: str) -> list[tuple[str, bool]]:
    """Folder names and whether to tap the furigana toggle: Japanese also with furigana on."""
    folder = code.replace("@", "-")
    if code in FURIGANA_LANGUAGES and code not in FURIGANA_BY_DEFAULT:
        return [(folder, False), (f"{folder}-furigana", True)]
    return [(folder, False)]


def render_all(out: Path, *, languages: Sequence[str], scales: Sequence[int]) -> list[Path]:
    """Write ``<scale>/<language>/<nn-screen>.png`` for each language and scale, and
    ``<scale>/ja-furigana/`` with the furigana mode on (やさしい日本語 has it on already)."""
    from kiosk.app import build_services  # noqa: PLC0415 - the composition root, at run time

    application()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as data:
        config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": data,
                                            "KIOSK_UI_SCREEN_DPI": str(TABLET_DPI)})
        services = build_services(config, demo=True)
        try:
            for scale in scales:
                for code in languages:
                    for folder_name, furigana in _variants(code):
                        tablet = make_tablet(services, text_scale=scale)
                        tablet.resize(*TABLET_SIZE)
                        tablet.show()
                        tablet.visit.set_language(code)
                        pilot = KioskPilot(tablet)
                        if furigana:
                            pilot.tap("furigana")
                        folder = out / str(scale) / folder_name
                        folder.mkdir(parents=True, exist_ok=True)
                        for name in tour(tablet, pilot):
                            path = folder / f"{name}.png"
                            tablet.grab().save(str(path), "PNG")
                            written.append(path)
                        tablet.close()
                        tablet.deleteLater()
        finally:
            services.close()
    return written
