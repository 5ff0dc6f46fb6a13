"""Captions of a remote call (リモート窓口): both sides' voices, on both screens, translated.

During a call the specialist (Japanese) and the branch's visitor talk through the call's
voice. Each voice goes through the existing captioner (Whisper, :class:`kiosk.ports.Captioner`)
once, at the main office: the specialist's from the desk's microphone, the branch's as the
call delivers it (:class:`~devices.remote.call_voice.CallVoiceTap`, in the visitor's
language or in Japanese, whichever is heard: Japanese there is the branch clerk's, a clerk's
line translated for the visitor). The branch needs no speech model (a tablet has none) and
no voice is recognised twice. Each line goes into the call's own
:class:`~kiosk.services.conversation.Conversation`, translated there (Japanese -> the visitor's
language, theirs -> Japanese), and that conversation reaches the branch over the call's own
sealed channel, so both screens show both sides: Japanese first at the main office, the
visitor's language first at the branch.

The call's conversation has its own :class:`~kiosk.events.EventBus`: its lines are numbered
apart from the desk's conversation with its local visitor. Like every conversation it is
personal data held in memory only, never logged, and wiped when the call ends, on both sides
(:meth:`CallCaptions.stop`); the usage log gets counts only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.domain.counter_messages import Party
from kiosk.events import EventBus
from kiosk.i18n import language
from kiosk.ports import Captioner, Utterance
from kiosk.services.conversation import Conversation

__all__ = ["CallCaptioner", "CallCaptions"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallCaptioner:
    """One voice of the call and who speaks in it (the specialist: ``Party.CLERK``)."""

    captioner: Captioner
    party: Party


class CallCaptions:
    """The captions of one call (see the module).

    Args:
        conversation: the call's conversation, relayed to the other end of the call, in
            the visitor's language.
        events: the bus ``conversation`` publishes on (the call's own).
        voices: what this end recognises (none at the branch: its lines come from the office).
    """

    def __init__(self, conversation: Conversation, events: EventBus,
                 voices: Sequence[CallCaptioner] = ()) -> None:
        self.conversation = conversation
        self.events = events
        self._voices = tuple(voices)
        self._running = False

    @property
    def recognising(self) -> bool:
        """Whether this end recognises voices (the main office) or only shows (the branch)."""
        return bool(self._voices)

    def start(self) -> None:
        """Join the other end's conversation and start recognising (returns at once)."""
        if self._running:
            return
        self._running = True
        self.conversation.start()
        for voice in self._voices:
            voice.captioner.start(self._clerk if voice.party is Party.CLERK else self._visitor)
        if self._voices:
            self.conversation.captions_started()

    def _clerk(self, utterance: Utterance) -> None:
        # The captioner's thread: the conversation publishes an event, nothing touches a widget.
        self.conversation.add_clerk_speech(utterance)

    def _visitor(self, utterance: Utterance) -> None:
        # The branch's voice read as Japanese where the visitor's language is another: the
        # branch's clerk spoke; a Japanese line, translated for the visitor, and shown as the
        # branch clerk's, not the specialist's.
        if utterance.language.startswith("ja") and \
                not language(self.conversation.visitor_language).bcp47.startswith("ja"):
            self.conversation.add_clerk_speech(utterance, at_branch=True)
            return
        self.conversation.add_citizen_speech(utterance)

    def stop(self) -> None:
        """Stop recognising and wipe the conversation here and at the other end."""
        if not self._running:
            return
        self._running = False
        for voice in self._voices:
            try:
                voice.captioner.stop()
            except (OSError, RuntimeError) as exc:      # the wipe below must happen anyway
                _log.warning("remote call: a captioner did not stop cleanly (%s)",
                             type(exc).__name__)
        if self._voices:
            self.conversation.captions_stopped()
        self.conversation.clear()
        self.conversation.stop()
