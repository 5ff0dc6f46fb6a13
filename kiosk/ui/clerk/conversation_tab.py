"""The clerk's conversation tab: live captions of what the clerk says, typed lines, the history.

The clerk speaks Japanese; captions appear here and, translated, on the citizen's side. When
no speech model is installed (``services.captioner`` is ``None``) the clerk types instead.
Everything in a conversation is personal data: it is shown, never logged, and deleted with
the visit (the "delete" button, or the end of the visit). The listen button tells the
conversation when captions start and stop, so the usage log gets the time they ran.

On a shared database the visitor's tablet is another machine: the tab says whether it is
connected, and follows the visitor's language when it is chosen on the tablet, or when the
clerk calls a ticket whose application was made in another language. The called ticket's
procedures go to the conversation too: the captions expect their words.

The visitor speaks too, when a visitor's microphone exists at the counter (on this PC or on
the tablet): the 来庁者のマイク toggle opens and closes it, as the speak button of the
tablet's talk page does, and follows it when it opens or closes elsewhere. What the visitor
says appears here in Japanese, what they said underneath.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.counter_messages import Party
from kiosk.events import EventBus
from kiosk.i18n import LANGUAGES, S_, Translator, translator
from kiosk.ports import Captioner, Utterance
from kiosk.services.conversation import Conversation, VisitorLanguageChanged
from kiosk.services.counter_signals import VisitorMicState
from kiosk.services.presence import PeerPresence
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.caption_panel import CaptionPanel
from kiosk.ui.common.leaded_label import LeadedLabel

__all__ = ["ConversationTab"]


class ConversationTab(QWidget):
    """Captions and typing for the clerk, bound to the visit's :class:`Conversation`."""

    def __init__(self, conversation: Conversation, events: EventBus, captioner: Captioner | None,
                 tr: Translator, parent: QWidget | None = None, *,
                 visitor_microphone: bool = False) -> None:
        super().__init__(parent)
        self._conversation = conversation
        self._captioner = captioner
        self._tr = tr
        self._listening = False
        self.visitor_language = QComboBox()
        self.visitor_language.setObjectName("visitor-language")
        for lang in LANGUAGES:
            self.visitor_language.addItem(lang.native_name, lang.code)
        self.visitor_language.setCurrentIndex(
            max(0, self.visitor_language.findData(conversation.visitor_language)))
        self.visitor_language.currentIndexChanged.connect(self._on_language)
        self.listen = QPushButton()
        self.listen.setObjectName("listen")
        self.listen.setCheckable(True)
        self.listen.setEnabled(captioner is not None)
        self.listen.toggled.connect(self._on_listen)
        # The visitor's microphone: here, or perhaps on the tablet when the counter is shared.
        self.visitor_mic = self._visitor_mic_button(visitor_microphone or conversation.link.shared)
        # What the clerk can do about it; how to install a model is IT's (``kiosk doctor``).
        # Leaded: wrapped, their lines keep the design's pitch (Qt sets them solid).
        self.no_model = LeadedLabel(tr(S_("Captions are not available on this PC: type what "
                                          "you say. (IT sees why in the device check.)"))
                                    if captioner is None else "")
        self.peer = LeadedLabel()
        self.peer.setObjectName("peer-status")
        self.peer.setVisible(conversation.link.shared)
        self.typed = QLineEdit()
        self.typed.setObjectName("clerk-typed")
        self.typed.setPlaceholderText(tr(S_("Type what you want to tell the visitor")))
        self.typed.returnPressed.connect(self._on_send)
        self.send = QPushButton(tr(S_("Send")))
        self.send.setObjectName("clerk-send")
        self.send.clicked.connect(self._on_send)
        # The clerk reads the history in Japanese, with the visitor's words translated.
        self.panel = CaptionPanel(conversation, events, translator("ja"), points=20,
                                  reader=Party.CLERK)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr(S_("Visitor's language"))))
        top.addWidget(self.visitor_language)
        top.addStretch(1)
        top.addWidget(self.visitor_mic)
        top.addWidget(self.listen)
        typing = QHBoxLayout()
        typing.addWidget(self.typed, 1)
        typing.addWidget(self.send)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.no_model)
        layout.addWidget(self.peer)
        layout.addWidget(self.panel, 1)
        layout.addLayout(typing)
        self._update_listen_text()
        self._update_peer()
        self._bridge = EventBridge(events, parent=self)
        self._bridge.received.connect(self._on_event)

    def _visitor_mic_button(self, enabled: bool) -> QPushButton:
        button = QPushButton(self._tr(S_("Visitor's microphone: off")))
        button.setObjectName("visitor-mic")
        button.setCheckable(True)
        button.setEnabled(enabled)
        button.toggled.connect(self._conversation.signals.request_microphone)
        return button

    def _show_visitor_mic(self, listening: bool) -> None:
        # Said in words, not only by the button's pressed look.
        self.visitor_mic.blockSignals(True)
        self.visitor_mic.setChecked(listening)
        self.visitor_mic.blockSignals(False)
        self.visitor_mic.setText(self._tr(S_("Visitor's microphone: on") if listening
                                          else S_("Visitor's microphone: off")))

    def _on_event(self, event: object) -> None:
        if isinstance(event, PeerPresence):
            self._update_peer()
        elif isinstance(event, VisitorLanguageChanged):
            # Chosen on the tablet: show it; setting the same code again sends nothing back.
            self.visitor_language.setCurrentIndex(
                max(0, self.visitor_language.findData(event.language)))
        elif isinstance(event, VisitorMicState):
            # Opened or closed here, from the tablet, or closed by the end of the visit.
            self._show_visitor_mic(event.listening)

    def follow_procedures(self, procedures: list[str]) -> None:
        """The called visitor's procedures (form ids): the captions expect their words."""
        try:
            self._conversation.set_procedures(procedures)
        except ValueError:
            return      # not catalog ids: the captions keep the desk's words

    def follow_visitor(self, code: str) -> None:
        """The called visitor's language (the one they applied in) becomes the visitor's
        language of the conversation, here and on their tablet; an unknown code is ignored."""
        index = self.visitor_language.findData(code)
        if index >= 0:
            self.visitor_language.setCurrentIndex(index)

    def _update_peer(self) -> None:
        self.peer.setText(self._tr(
            S_("The visitor's tablet is connected: it shows what you say and type.")
            if self._conversation.link.connected else
            S_("The visitor's tablet is not connected: what you say and type stays on this "
               "screen.")))

    def _on_language(self, _index: int) -> None:
        self._conversation.set_visitor_language(str(self.visitor_language.currentData()))

    def _on_send(self) -> None:
        text = self.typed.text().strip()
        if text:
            self._conversation.add_clerk_text(text)
            self.typed.clear()

    def _on_listen(self, on: bool) -> None:
        if self._captioner is None:
            return
        if on:
            self._captioner.start(self._on_utterance)
            self._conversation.captions_started()
        else:
            try:
                self._captioner.stop()
            finally:
                # The usage log gets the time the captions ran (a CaptionsUsed), even when
                # the microphone did not close cleanly.
                self._conversation.captions_stopped()
        self._listening = on
        self._update_listen_text()

    def _on_utterance(self, utterance: Utterance) -> None:
        # Called on the captioner's thread: the conversation publishes an event, which the
        # caption panels receive on the GUI thread through their EventBridge.
        self._conversation.add_clerk_speech(utterance)

    def _update_listen_text(self) -> None:
        self.listen.setText(self._tr(S_("Stop captions") if self._listening
                                     else S_("Start captions")))

    def stop(self) -> None:
        """Release the microphone (the desk locks or closes)."""
        if self._listening:
            self.listen.setChecked(False)
        if self.visitor_mic.isChecked():
            self.visitor_mic.setChecked(False)
