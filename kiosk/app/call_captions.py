"""The captions of an opened remote call (リモート窓口), wired: who recognises which voice, and
the sealed channel the call's conversation travels on (:mod:`kiosk.services.remote_captions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from kiosk.audit.recorder import UsageRecorder
from kiosk.config import Config
from kiosk.domain.counter_messages import Party
from kiosk.domain.remote import RemoteTicket
from kiosk.events import EventBus
from kiosk.i18n import language
from kiosk.ports import CallSound, Captioner, Clock, ConversationRelay, RemoteCall, Translator
from kiosk.services.conversation import Conversation
from kiosk.services.presence import LocalRelay
from kiosk.services.remote_captions import CallCaptioner, CallCaptions
from kiosk.storage.database import Storage

if TYPE_CHECKING:
    from devices.audio.live import LiveCaptioner
    from devices.audio.sources import PcmSource

__all__ = ["RemoteCaptionsFactory", "build_remote_captions"]


class RemoteCaptionsFactory(Protocol):
    """Makes the captions of an opened call (:func:`build_remote_captions`)."""

    def __call__(self, ticket: RemoteTicket, call: RemoteCall, sound: CallSound | None, *,
                 office: bool | None = None) -> CallCaptions:
        """The captions of ``call`` (``office``: this end recognises; default: the
        configured side's)."""
        ...


def build_remote_captions(config: Config, storage: Storage, clock: Clock,
                          translator: Translator | None, captioner: Captioner | None,
                          usage: UsageRecorder, answers_key: bytes) -> RemoteCaptionsFactory:
    """How an opened remote call gets its captions (:mod:`kiosk.services.remote_captions`).

    The main office (``[remote] side = "office"``) recognises both voices when it has the
    captions model: the specialist's from the desk's microphone (the call's own capture of
    ``[remote] microphone`` when it has one, so the device is opened once; else ``[models]
    microphone``, as the desk's own captions), the branch's from the call through a
    :class:`~devices.remote.call_voice.CallVoiceTap`, in the visitor's language; both on the
    one Whisper model already loaded. The branch only shows. The call's conversation travels
    on a sealed channel of its own next to the call's signalling (``remote-captions``), or,
    for the simulated call, inside this process (the demo's two windows).
    """
    local: dict[str, LocalRelay] = {}     # simulated calls: both ends are in this process
    at_office = config.remote.side == "office"

    def relay_of(ticket: RemoteTicket) -> ConversationRelay:
        if config.remote.kind != "aiortc":
            return local.setdefault(ticket.call_id, LocalRelay())
        from kiosk.storage.conversation_relay import PostgresConversationRelay  # noqa: PLC0415

        return PostgresConversationRelay(storage.engine, f"remote-captions\0{ticket.call_id}",
                                         answers_key)

    def open_captions(ticket: RemoteTicket, call: RemoteCall, sound: CallSound | None, *,
                      office: bool | None = None) -> CallCaptions:
        events = EventBus()
        conversation = Conversation(events, clock, translator, ticket.language,
                                    relay=relay_of(ticket), usage=usage)
        if (at_office if office is None else office) and captioner is not None:
            from devices.audio.live import LiveCaptioner  # noqa: PLC0415 - only with captions

            if isinstance(captioner, LiveCaptioner):
                return recognised(ticket, call, sound, captioner, conversation, events)
        if sound is not None:
            call.listen(sound)
        return CallCaptions(conversation, events)      # shown only

    def recognised(ticket: RemoteTicket, call: RemoteCall, sound: CallSound | None,
                   captioner: LiveCaptioner, conversation: Conversation,
                   events: EventBus) -> CallCaptions:
        from devices.audio.live import LiveCaptioner  # noqa: PLC0415
        from devices.audio.sources import CommandSource  # noqa: PLC0415
        from devices.remote.call_voice import CallVoiceTap  # noqa: PLC0415

        tap = CallVoiceTap(sound)
        call.listen(tap)
        recognizer = captioner.recognizer
        if config.remote.kind == "aiortc" and config.remote.microphone:
            # The call captures the desk's microphone; the captioner hears that same capture
            # (a raw ALSA device opens once only).
            own = CallVoiceTap()
            call.listen_own(own)
            open_specialist: Callable[[], PcmSource] = own.open_source
        else:
            command = config.models.microphone or None
            open_specialist = lambda: CommandSource(command)  # noqa: E731
        specialist = LiveCaptioner(open_specialist, recognizer)
        specialist.set_vocabulary(captioner.vocabulary)       # the counter's words
        # The branch's voice: the visitor's language, or Japanese when the branch's clerk
        # speaks (Whisper's language identification between the two only).
        visitor_language = language(ticket.language).bcp47
        visitor = LiveCaptioner(tap.open_source, recognizer, language=visitor_language,
                                languages=() if visitor_language.startswith("ja")
                                else (visitor_language, "ja"))
        visitor.set_vocabulary(captioner.vocabulary)     # prompts the Japanese readings only
        return CallCaptions(conversation, events, [CallCaptioner(specialist, Party.CLERK),
                                                   CallCaptioner(visitor, Party.CITIZEN)])

    return open_captions
