"""A finger drags a long page; a tap still chooses; the bar shows a handle only when it scrolls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QScroller

from kiosk.services.visit import Stage

pytestmark = pytest.mark.gui


def _checked(kiosk) -> list[str]:
    return [toggle.objectName() for toggle in kiosk.tablet.findChildren(QAbstractButton)
            if toggle.objectName().startswith("procedure-") and toggle.isChecked()]


def _drag_up(viewport, distance: int) -> None:
    """A finger on the page's lower half moves up by ``distance`` pixels, then lifts."""
    x, y = viewport.width() // 2, viewport.height() - 40
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(x, y))
    for step in range(0, distance + 1, 10):
        QTest.mouseMove(viewport, QPoint(x, y - step))
        QTest.qWait(10)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(x, y - distance))
    QTest.qWait(100)


def _choose_page(kiosk):
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    return kiosk.tablet.stack.currentWidget()


def test_choose_screen__finger_drags_the_list__it_scrolls_and_nothing_is_chosen(make_kiosk):
    kiosk = make_kiosk()
    page = _choose_page(kiosk)

    _drag_up(page.viewport(), 300)

    assert page.verticalScrollBar().value() > 0
    assert _checked(kiosk) == []


def test_choose_screen__tap_after_a_drag__chooses_once(make_kiosk):
    kiosk = make_kiosk()
    page = _choose_page(kiosk)
    _drag_up(page.viewport(), 200)
    QScroller.scroller(page.viewport()).stop()
    option = next(button for button in kiosk.tablet.findChildren(QAbstractButton)
                  if button.objectName().startswith("procedure-")
                  and not button.visibleRegion().isEmpty())

    QTest.mouseClick(option, Qt.MouseButton.LeftButton)

    assert _checked(kiosk) == [option.objectName()]


def test_every_page__scrolls_by_finger__handle_only_where_there_is_more(make_kiosk):
    kiosk = make_kiosk()
    choose = _choose_page(kiosk)
    kiosk.pilot.tap(next(name for name in (b.objectName() for b in
                                            kiosk.tablet.findChildren(QAbstractButton))
                         if name.startswith("procedure-")))
    kiosk.pilot.tap("next")
    kiosk.wait_for(Stage.IDENTIFY)
    identify = kiosk.tablet.stack.currentWidget()

    assert all(QScroller.hasScroller(page.viewport())
               for page in kiosk.tablet._pages.values())
    assert [(bar.property("scrolls"), bar.maximum() > 0)
            for bar in (choose.verticalScrollBar(), identify.verticalScrollBar())] in (
        [("true", True), ("true", True)], [("true", True), ("false", False)])
