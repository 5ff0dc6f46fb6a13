"""Building the citizen tablet from the :class:`kiosk.app.Services` of this device."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kiosk.services.visit import Visit
from kiosk.ui.citizen.staff_exit import ExitLock
from kiosk.ui.citizen.tablet import CitizenTablet, TabletWindow
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL
from kiosk.ui.common.touch_size import min_target_px, screen_dpi

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.app import Services

__all__ = ["make_tablet", "make_tablet_window", "make_visit"]

# The variable of the first builds; [ui] staff_exit_pin_hash (KIOSK_UI_STAFF_EXIT_PIN_HASH)
# replaces it, and it is still read when the configuration sets no hash.
EXIT_PIN_HASH_VARIABLE = "KIOSK_STAFF_EXIT_PIN_HASH"


def make_visit(services: Services) -> Visit:
    """A fresh visit wired to the device's services."""
    return services.new_visit()


def make_tablet(services: Services, *, text_scale: int | None = None,
                high_contrast: bool | None = None,
                parent: QWidget | None = None) -> CitizenTablet:
    """The tablet widget (not shown) for ``services``' configuration, in ``parent``."""
    ui = services.config.ui
    contrast = ui.high_contrast if high_contrast is None else high_contrast
    visit = make_visit(services)
    return CitizenTablet(
        visit, services.events, languages=ui.languages,
        target=min_target_px(screen_dpi(ui.screen_dpi)),
        theme=HIGH_CONTRAST if contrast else NORMAL,
        text_scale=text_scale or ui.text_scale,
        slip_printer=services.slip_printer(),
        idle_timeout_s=ui.idle_timeout_s, conversation=services.conversation,
        readings=services.reading, visitor_microphone=services.visitor_speech is not None,
        parent=parent)


def make_tablet_window(services: Services) -> TabletWindow:
    """The tablet in its window; kiosk mode when ``[ui] fullscreen`` is set."""
    pin_hash = services.config.ui.staff_exit_pin_hash or os.environ.get(EXIT_PIN_HASH_VARIABLE, "")
    lock = ExitLock(pin_hash)
    return TabletWindow(lambda parent: make_tablet(services, parent=parent),
                        kiosk_mode=services.config.ui.fullscreen, exit_lock=lock,
                        config_source=services.config.source)
