"""Checks over every citizen screen (the tour of ``kiosk screenshots``) in every first-tier
language at 100 and 150 % text, on the pilot tablet (800 × 1280, 150 dpi):

1. stability: after each tap, every button there before and after keeps its rectangle unless
   the screen changed; Back and Next sit at the same place on every screen;
2. nothing clipped or elided in any visible text;
3. language purity: no Japanese on a screen in another language, except personal data and
   texts marked as names (``lang`` property: the city's name, language names);
4. every enabled button at least 9 mm on each side at the configured density;
5. nothing scrolls sideways, and no text of several lines is set closer than the design's
   line pitch (crowded);
6. no page scrolls past its last widget (a finger dragged the Welcome a screen's height into
   blank space when a Japanese label asked for the height of one character a line).
"""

from __future__ import annotations

from functools import cache

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QScrollArea, QWidget

from kiosk.config import load_config
from kiosk.i18n import FIRST_TIER
from kiosk.ui.citizen.screenshots import TABLET_DPI, TABLET_SIZE
from kiosk.ui.citizen.tablet_factory import make_tablet
from kiosk.ui.citizen.tour import tour
from kiosk.ui.common.application import application
from kiosk.ui.common.pilot import KioskPilot
from kiosk.ui.common.text_report import visible_texts
from kiosk.ui.common.tokens import SIZES, Density

from .text_checks import crowded_lines, foreign_text

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SCALES = (100, 150)


def _screen_key(tablet) -> tuple[object, ...]:
    question = tablet.visit.flow.current() if tablet.visit.stage.value == "forms" else None
    return (tablet.visit.stage, question.field.id if question else None,
            id(tablet.stack.currentWidget()))


def _rects(tablet) -> dict[str, tuple[int, int, int, int]]:
    """Each shown button's rectangle: in the screen's own coordinates for a button of the
    scrolled content (a finger's scroll is no move), else on the tablet."""
    page = tablet.stack.currentWidget()
    content = page.widget() if isinstance(page, QScrollArea) else None
    rects = {}
    for button in tablet.findChildren(QAbstractButton):
        if button.objectName() and button.isVisible() and not button.visibleRegion().isEmpty():
            inside = content is not None and content.isAncestorOf(button)
            corner = button.mapTo(content, button.rect().topLeft()) if inside else \
                button.mapTo(tablet, button.rect().topLeft())
            rects[button.objectName()] = (corner.x(), corner.y(), button.width(),
                                          button.height())
    return rects


class WatchingPilot(KioskPilot):
    """A pilot that notes every button that moved under a tap that kept the screen."""

    def __init__(self, tablet) -> None:
        super().__init__(tablet)
        self.tablet = tablet
        self.moved: list[str] = []

    def tap(self, name: str) -> None:
        before_key, before = _screen_key(self.tablet), _rects(self.tablet)
        super().tap(name)
        self.settle()
        if _screen_key(self.tablet) != before_key:
            return
        after = _rects(self.tablet)
        for other, rect in before.items():
            if other in after and after[other] != rect:
                self.moved.append(f"tap {name}: {other} {rect} -> {after[other]}")


def _blank_scroll(page: QWidget) -> int:
    """How far ``page`` scrolls past the bottom of its lowest shown widget (and the layout's
    margin below it), in pixels; 0 for a page that does not scroll."""
    if not isinstance(page, QScrollArea) or page.widget() is None:
        return 0
    content = page.widget()
    lowest = max((child.mapTo(content, child.rect().bottomLeft()).y() + 1
                  for child in content.findChildren(QWidget)
                  if child.isVisibleTo(content) and child.height() > 0), default=0)
    margin = content.layout().contentsMargins().bottom() if content.layout() else 0
    needed = max(0, lowest + margin - page.viewport().height())
    return max(0, page.verticalScrollBar().maximum() - needed)


@cache
def _findings(code: str, scale: int) -> dict[str, list[str]]:
    """Walk every screen once and collect what each check finds."""
    from kiosk.app import build_services

    application()
    import tempfile

    findings: dict[str, list[str]] = {"elided": [], "language": [], "size": [], "footer": [],
                                      "sideways": [], "crowded": [], "blank": []}
    floor = Density(TABLET_DPI).mm(SIZES.target_mm) - 1   # rounding: 53.1 px is 9 mm
    # The voice guidance may still be writing its cache when the tour ends.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as data:
        config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": data,
                                            "KIOSK_UI_SCREEN_DPI": str(TABLET_DPI)})
        services = build_services(config, demo=True)
        try:
            tablet = make_tablet(services, text_scale=scale)
            tablet.resize(*TABLET_SIZE)
            tablet.show()
            tablet.visit.set_language(code)
            pilot = WatchingPilot(tablet)
            footer: dict[str, set[tuple[int, int, int, int]]] = {"back": set(), "next": set()}
            for screen in tour(tablet, pilot):
                pilot.settle()
                # A page wider than the screen pans under a dragging finger: never sideways.
                page = tablet.stack.currentWidget()
                overflow = (page.horizontalScrollBar().maximum()
                            if isinstance(page, QAbstractScrollArea) else 0)
                if overflow > 0:
                    findings["sideways"].append(f"{screen} {overflow} px")
                blank = _blank_scroll(page)
                if blank > 2:       # rounding of the wrapped labels' heights
                    findings["blank"].append(f"{screen} scrolls {blank} px past its end")
                findings["crowded"] += [f"{screen} {where}" for where in crowded_lines(tablet)]
                for text in visible_texts(tablet):
                    where = f"{screen} {text['name']} {text['text']!r}"
                    if text["elided"]:
                        findings["elided"].append(where)
                    if foreign_text(text, code):
                        findings["language"].append(where)
                for name, rect in _rects(tablet).items():
                    button = pilot.find(name)
                    if button.isEnabled() and min(rect[2], rect[3]) < floor:
                        findings["size"].append(f"{screen} {name} {rect[2]}×{rect[3]}")
                    if name in footer:
                        footer[name].add(rect)
            findings["stability"] = pilot.moved
            findings["footer"] = [f"{name} at {sorted(rects)}" for name, rects in footer.items()
                                  if len(rects) > 1]
            tablet.close()
        finally:
            services.close()
    return findings


CHECKS = ("stability", "footer", "elided", "language", "size", "sideways", "crowded", "blank")


@pytest.mark.parametrize(("code", "scale", "check"),
                         [pytest.param(code, scale, check, id=f"{code}-{scale}-{check}")
                          for code in FIRST_TIER for scale in SCALES for check in CHECKS])
def test_every_screen__tour__passes_check(code, scale, check, qapp):
    assert _findings(code, scale)[check] == []
