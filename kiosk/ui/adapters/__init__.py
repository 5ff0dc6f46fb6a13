"""Adapters of the ports that need Qt (the Qt printer), chosen by the front end that runs.

The composition root (:mod:`kiosk.app`) imports nothing from ``kiosk.ui``: a front end hands
it what only Qt can do (``build_services(config, qt_printer=qt_printer)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ports import Printer

__all__ = ["qt_printer"]


def qt_printer(name: str) -> Printer:
    """The printer ``name`` through Qt (``[printer] kind = "qt"``, Windows); '' for the
    default one. Qt's printing module loads here, only on a device configured for it."""
    from kiosk.ui.adapters.qt_printer import QtPrinter  # noqa: PLC0415

    return QtPrinter(name)
