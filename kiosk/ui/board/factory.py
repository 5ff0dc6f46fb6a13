"""Builds the board from the services (the board window of the demo and of ``kiosk board``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.i18n import translator
from kiosk.ports import Warmable
from kiosk.ui.board.board_screen import BoardScreen

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["make_board"]


def make_board(services: Services, *, notices_dir: Path | None = None) -> BoardScreen:
    """A :class:`BoardScreen` for this device's services (all of them when none configured)."""
    announcer = services.announcer()
    if isinstance(services.speaker, Warmable):
        services.speaker.warm_up()   # the first call-out should not wait for Open JTalk's dictionary
    return BoardScreen(translator("ja"), services.clock, services.queue, announcer,
                       services.events, notices_dir=notices_dir)
