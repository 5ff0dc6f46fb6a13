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
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.events import EventBus
from kiosk.i18n import N_
from kiosk.services.conversation import Conversation
from kiosk.services.counter_signals import VisitorMicState
from kiosk.services.presence import PeerPresence
from kiosk.services.visit import Stage, Visit
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.caption_panel import CaptionPanel
from kiosk.ui.common.kana_keyboard import KanaKeyboard
from kiosk.ui.common.latin_keyboard import LatinKeyboard
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.phrasebook import PhrasebookPanel
from kiosk.ui.common.touch_button import TouchButton
from kiosk.ui.common.touch_scroll import scroll_by_finger

__all__ = ["TalkPage"]

_KEY_TARGET = 54   # px: a key of the on-screen keyboards, 9 mm at the pilot tablet's 150 dpi


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
        self.peer = LeadedLabel()
        self.peer.setObjectName("talk-peer")
        self.peer.setVisible(conversation.link.shared)
        self.captions = CaptionPanel(conversation, events, tr, points=28)
        self.phrasebook = PhrasebookPanel(conversation, tr)
        self._make_speak(conversation, can_speak)
        # The phrases of what the citizen is doing now come first.
        question = visit.flow.current() if visit.stage is Stage.FORMS else None
        procedure = visit.chosen[0] if visit.chosen else None
        self.phrasebook.set_context(procedure, question.field.id if question else None)
        # Shown in the tablet's footer, on the Back place, like every way back.
        self.back_text = tr(N_("Back"))   # one line: a longer label grew the footer
        self._make_keyboard(visit.language)
        for panel in (self.captions, self.phrasebook):   # the page's margins are enough
            inner = panel.layout()
            if inner is not None:
                inner.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 4)
        layout.setSpacing(8)
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
        scroll_by_finger(phrases)
        layout.addWidget(phrases, 2)
        layout.addWidget(self.keyboard)
        self.phrasebook.typing_row.insertWidget(0, self.keyboard_button)
        self._update_peer()
        self._bridge = EventBridge(events, PeerPresence, self)
        self._bridge.received.connect(lambda _event: self._update_peer())
        self._mic_bridge = EventBridge(events, VisitorMicState, self)
        self._mic_bridge.received.connect(self._on_mic)

    def _make_speak(self, conversation: Conversation, can_speak: bool) -> None:
        """The visitor's "Speak" button and its hint (shown where a microphone is set)."""
        self.speak = QPushButton(self._tr(N_("Speak")))
        self.speak.setObjectName("talk-speak")
        self.speak.setCheckable(True)
        self.speak.setMinimumHeight(72)       # a finger's target, well above 9 mm
        self.speak.setVisible(can_speak)
        self.speak.toggled.connect(conversation.signals.request_microphone)
        self.speak_hint = LeadedLabel(self._tr(N_("Press and speak in your language. The staff read "
                                             "it in Japanese. Nothing is recorded.")))
        self.speak_hint.setObjectName("talk-speak-hint")
        self.speak_hint.setVisible(can_speak)

    def _make_keyboard(self, language: str) -> None:
        """The on-screen keys for typing to the clerk, and the button that shows them."""
        # The tablet has no keys: typing to the clerk needs keys on the screen, kana for
        # Japanese and Latin letters for the other languages. They take the phrases' place.
        self.keyboard: KanaKeyboard | LatinKeyboard = \
            KanaKeyboard(_KEY_TARGET) if language.startswith("ja") \
            else LatinKeyboard(_KEY_TARGET)
        self.keyboard.setObjectName("talk-keys")
        self.keyboard.setVisible(False)
        self.keyboard.changed.connect(self.phrasebook.typed.setText)
        self.phrasebook.send.clicked.connect(lambda: self.keyboard.set_text(""))
        self.keyboard_button = TouchButton(self._tr(N_("Keyboard")), target=_KEY_TARGET,
                                           name="talk-keyboard")
        self.keyboard_button.setCheckable(True)
        self.keyboard_button.toggled.connect(self._show_keys)

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

    def _show_keys(self, shown: bool) -> None:
        # The keys take the place of the phrases and of the captions' size buttons: all of
        # them would not fit a tablet's height.
        self.phrasebook.phrases.setVisible(not shown)
        for button in (self.captions.smaller, self.captions.larger, self.captions.export,
                       self.captions.delete):
            button.setVisible(not shown)
        self.keyboard.setVisible(shown)

    def _update_peer(self) -> None:
        self.peer.setText(self._tr(
            N_("The staff's screen is connected: the staff see what you tap and type.")
            if self._conversation.link.connected else
            N_("The staff's screen is not connected. Please call the staff.")))
