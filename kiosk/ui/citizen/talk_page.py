"""Talking with the clerk: the clerk's words as captions in the citizen's language, and answers
by tapping a phrase (with pictures) or typing. Opened from any screen; back returns there.

When the clerk's PC is another machine, the page says whether its screen is connected."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.events import EventBus
from kiosk.i18n import N_
from kiosk.services.captions import Conversation, PeerPresence
from kiosk.services.visit import Stage, Visit
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.caption_panel import CaptionPanel
from kiosk.ui.common.phrasebook import PhrasebookPanel

__all__ = ["TalkPage"]


class TalkPage(QWidget):
    """Captions above, the phrasebook below, built in the visit's current language."""

    def __init__(self, visit: Visit, conversation: Conversation, events: EventBus,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("talk-page")
        tr = visit.tr
        conversation.set_visitor_language(visit.language)
        # The usage records of the conversation (here and on the clerk PC) name this visit.
        conversation.set_session(visit.session_id)
        self._conversation = conversation
        self._tr = tr
        self.peer = QLabel()
        self.peer.setObjectName("talk-peer")
        self.peer.setWordWrap(True)
        self.peer.setVisible(conversation.shared)
        self.captions = CaptionPanel(conversation, events, tr, points=28)
        self.phrasebook = PhrasebookPanel(conversation, tr)
        # The phrases of what the citizen is doing now come first.
        question = visit.current() if visit.stage is Stage.FORMS else None
        procedure = visit.chosen[0] if visit.chosen else None
        self.phrasebook.set_context(procedure, question.field.id if question else None)
        # Shown in the tablet's footer, on the Back place, like every way back.
        self.back_text = tr(N_("Back to my application"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.peer)
        layout.addWidget(self.captions, 3)
        layout.addWidget(self.phrasebook, 2)
        self._update_peer()
        self._bridge = EventBridge(events, PeerPresence, self)
        self._bridge.received.connect(lambda _event: self._update_peer())

    def _update_peer(self) -> None:
        self.peer.setText(self._tr(
            N_("The staff's screen is connected: the staff see what you tap and type.")
            if self._conversation.peer_connected else
            N_("The staff's screen is not connected. Please call the staff.")))
