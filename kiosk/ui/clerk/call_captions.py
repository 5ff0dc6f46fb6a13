"""The captions of a remote call on a desk's screen (:mod:`kiosk.services.remote_captions`).

:class:`CallCaptionArea` holds the call's :class:`~kiosk.ui.common.caption_panel.CaptionPanel`
while the call is on: at the main office in Japanese with the visitor's words translated, at
the branch in the visitor's language with the specialist's Japanese underneath. When the call
ends the captions stop, the conversation is wiped on both sides and the panel is destroyed:
nothing of it stays on the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.counter_messages import Party
from kiosk.domain.remote import RemoteTicket
from kiosk.i18n import translator
from kiosk.ports import CallSound, RemoteCall
from kiosk.services.remote_captions import CallCaptions
from kiosk.ui.common.caption_panel import CaptionPanel

__all__ = ["CallCaptionArea", "CaptionsFactory"]

CaptionsFactory = Callable[[RemoteTicket, RemoteCall, CallSound | None], CallCaptions]


class CallCaptionArea(QWidget):
    """Where the call's captions show; empty (hidden) between calls.

    Args:
        make: the captions of an opened call (``Services.remote_captions``); ``None``: no
            captions, the call only gets its loudspeaker.
        reader: whose screen this is (``Party.CLERK`` at the main office, ``Party.CITIZEN``
            at the branch, where the visitor reads).
        points: the captions' text size.
    """

    def __init__(self, make: CaptionsFactory | None, reader: Party, *, points: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remote-captions")
        self._make = make
        self._reader = reader
        self._points = points
        self.captions: CallCaptions | None = None
        self.panel: CaptionPanel | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.hide()

    def open(self, ticket: RemoteTicket, call: RemoteCall, sound: CallSound | None) -> None:
        """Give ``call`` its loudspeaker and, with captions, make them (before ``call.start``)."""
        if self._make is None:
            if sound is not None:
                call.listen(sound)
            return
        self.captions = self._make(ticket, call, sound)

    def start(self) -> None:
        """Start the captions (after ``call.start``) and show them."""
        captions = self.captions
        if captions is None:
            return
        # The specialist reads Japanese; the branch's screen is the visitor's language.
        language = "ja" if self._reader is Party.CLERK else captions.conversation.visitor_language
        self.panel = CaptionPanel(captions.conversation, captions.events, translator(language),
                                  points=self._points, reader=self._reader)
        # Beside the call only the text size: nothing to show the conversation on, and the
        # call's end wipes it (a row of touch buttons less under the picture).
        self.panel.export.hide()
        self.panel.delete.hide()
        self._layout.addWidget(self.panel)
        self.show()
        captions.start()

    def close_captions(self) -> None:
        """Stop the captions, wipe them on both sides and take them off the screen."""
        captions, self.captions = self.captions, None
        if captions is not None:
            captions.stop()
        panel, self.panel = self.panel, None
        if panel is not None:
            self._layout.removeWidget(panel)
            panel.history.clear()
            panel.deleteLater()
        self.hide()

    def latest_text(self) -> str:
        """The latest line as shown (tests), ``""`` without captions."""
        return self.panel.latest_text() if self.panel is not None else ""
