"""Talking with the clerk: the clerk's words as captions in the citizen's language, and answers
by tapping a phrase (with pictures) or typing. Opened from any screen; back returns there.

Where the counter has a visitor's microphone, the speak button opens it: what the visitor says
is recognised in their language, shown here as said and to the clerk in Japanese. The button
follows the microphone when the clerk opens or closes it.

When the clerk's PC is another machine, the page says whether its screen is connected."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.events import EventBus
from kiosk.i18n import N_
from kiosk.services.captions import Conversation, PeerPresence, VisitorMicState
from kiosk.services.visit import Stage, Visit
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.caption_panel import CaptionPanel
from kiosk.ui.common.phrasebook import PhrasebookPanel

__all__ = ["TalkPage"]


class TalkPage(QWidget):
    """Captions above, the phrasebook below, built in the visit's current language."""

    def __init__(self, visit: Visit, conversation: Conversation, events: EventBus,
                 parent: QWidget | None = None, *, can_speak: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("talk-page")
        tr = visit.tr
        conversation.set_visitor_language(visit.language)
        # The usage records of the conversation (here and on the clerk PC) name this visit.
        conversation.set_session(visit.session_id)
        if visit.chosen:
            conversation.set_procedures(visit.chosen)
        self._conversation = conversation
        self._tr = tr
        self.peer = QLabel()
        self.peer.setObjectName("talk-peer")
        self.peer.setWordWrap(True)
        self.peer.setVisible(conversation.shared)
        self.captions = CaptionPanel(conversation, events, tr, points=28)
        self.phrasebook = PhrasebookPanel(conversation, tr)
        self.speak = QPushButton(tr(N_("Speak")))
        self.speak.setObjectName("talk-speak")
        self.speak.setCheckable(True)
        self.speak.setMinimumHeight(72)       # a finger's target, well above 9 mm
        self.speak.setVisible(can_speak)
        self.speak.toggled.connect(conversation.request_visitor_microphone)
        self.speak_hint = QLabel(tr(N_("Press and speak in your language. The staff read it "
                                       "in Japanese. Nothing is recorded.")))
        self.speak_hint.setObjectName("talk-speak-hint")
        self.speak_hint.setWordWrap(True)
        self.speak_hint.setVisible(can_speak)
        # The phrases of what the citizen is doing now come first.
        question = visit.current() if visit.stage is Stage.FORMS else None
        procedure = visit.chosen[0] if visit.chosen else None
        self.phrasebook.set_context(procedure, question.field.id if question else None)
        # Shown in the tablet's footer, on the Back place, like every way back.
        self.back_text = tr(N_("Back to my application"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.peer)
        speak = QHBoxLayout()
        speak.addWidget(self.speak)
        speak.addWidget(self.speak_hint, 1)
        layout.addLayout(speak)
        layout.addWidget(self.captions, 3)
        # Seventeen phrases do not fit under the captions on a landscape screen: they scroll,
        # so the captions keep their share of the page.
        phrases = QScrollArea()
        phrases.setWidget(self.phrasebook)
        phrases.setWidgetResizable(True)
        phrases.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(phrases, 2)
        self._update_peer()
        self._bridge = EventBridge(events, PeerPresence, self)
        self._bridge.received.connect(lambda _event: self._update_peer())
        self._mic_bridge = EventBridge(events, VisitorMicState, self)
        self._mic_bridge.received.connect(self._on_mic)

    def _on_mic(self, event: object) -> None:
        if not isinstance(event, VisitorMicState):
            return
        self.speak.blockSignals(True)
        self.speak.setChecked(event.listening)
        self.speak.blockSignals(False)
        self.speak.setText(self._tr(N_("Stop speaking") if event.listening else N_("Speak")))
        self.speak_hint.setText(self._tr(
            N_("Listening: speak now in your language.") if event.listening else
            N_("Press and speak in your language. The staff read it in Japanese. Nothing is "
               "recorded.")))

    def _update_peer(self) -> None:
        self.peer.setText(self._tr(
            N_("The staff's screen is connected: the staff see what you tap and type.")
            if self._conversation.peer_connected else
            N_("The staff's screen is not connected. Please call the staff.")))
