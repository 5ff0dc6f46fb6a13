"""Scrolling by finger: a page that is taller than the screen moves like paper under a drag.

Without this, a touch screen could scroll a page only through its scroll bar, a strip at the
screen's edge that few visitors find and fewer hit. A tap still presses what is under it; only
a drag longer than the scroller's start distance scrolls.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QScroller, QScrollerProperties

__all__ = ["scroll_by_finger"]

_Metric = QScrollerProperties.ScrollMetric
_Overshoot = QScrollerProperties.OvershootPolicy


def scroll_by_finger(area: QAbstractScrollArea) -> QScroller:
    """Let a finger (or a mouse) drag ``area``'s content; returns its scroller."""
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    # A press reaches the button at once: the default holds it back a quarter of a second,
    # which felt like a missed tap on every key and option.
    properties.setScrollMetric(_Metric.MousePressEventDelay, 0.0)
    # The page stops at its ends instead of springing back: nothing moves that was not dragged.
    properties.setScrollMetric(_Metric.VerticalOvershootPolicy, _Overshoot.OvershootAlwaysOff)
    properties.setScrollMetric(_Metric.HorizontalOvershootPolicy, _Overshoot.OvershootAlwaysOff)
    scroller.setScrollerProperties(properties)
    # The bar keeps its place (a bar that came and went moved every control sideways), but
    # shows a handle only when there is more to see: a full-height grey bar said nothing.
    bar = area.verticalScrollBar()

    def mark(_minimum: int, maximum: int) -> None:
        scrolls = "true" if maximum > 0 else "false"
        if bar.property("scrolls") != scrolls:
            bar.setProperty("scrolls", scrolls)
            bar.style().unpolish(bar)
            bar.style().polish(bar)

    bar.rangeChanged.connect(mark)
    mark(bar.minimum(), bar.maximum())
    return scroller
