"""A conversation at the counter: live captions, typed lines, phrasebook answers, translations.

The clerk speaks (recognised by the :class:`~kiosk.ports.Captioner`) or types; the citizen taps
a phrase of the phrasebook (:mod:`kiosk.services.phrasebook`) or types. Each line is shown in
the language it was said in, with its translation for the other side underneath when a model
exists (Japanese for the clerk, the visitor's language for the citizen). Phrases are not
machine-translated: their text comes from the gettext catalogs, written by people.

Everything said or typed is personal data. Lines live only in this object, are never logged,
never put into an event (events carry the line index only) and are wiped by :meth:`clear` at
the end of the visit, together with the translator's sentence cache.

The citizen's tablet and the clerk's PC of one counter are two machines: a
:class:`~kiosk.ports.ConversationRelay` carries each new line, the visitor's language and the
wipe from one to the other as the typed messages of :mod:`kiosk.domain.counter_messages`
(:class:`~kiosk.services.presence.LocalRelay` inside one process, as in the demo;
:class:`~kiosk.storage.conversation_relay.PostgresConversationRelay` between devices sharing the
city's PostgreSQL). The conversation's :class:`~kiosk.services.presence.CounterLink`
(``conversation.link``) is its end of the relay: hello, goodbye, heartbeats and whether the
other device is there; the conversation keeps the transcript and its translation. Each side
counts only the lines said on it, so the usage log's :class:`~kiosk.audit.events.ConversationUsed`
figures add up across devices without doubles.

Usage records (counts and durations, never text), each made by the device where the thing
happened: the time live captions ran (:class:`~kiosk.audit.events.CaptionsUsed`, the clerk PC,
whose microphone it is), the lines machine-translated on this device per language pair
(:class:`~kiosk.audit.events.TranslationUsed`) and the lines said here
(:class:`~kiosk.audit.events.ConversationUsed`), recorded when the conversation is wiped or
the captions stop. They name the visit by the tablet's usage-log session id, which the
tablet's talk page gives the conversation (:meth:`Conversation.set_session`) and the relay
carries to the clerk PC; ``""`` when no visit told it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.audit.events import CaptionsUsed, ConversationUsed, TranslationUsed, UsageEvent
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.domain.counter_messages import (
    Cleared,
    LanguageChosen,
    LineKind,
    LineSaid,
    Party,
    ProceduresChosen,
    RelayMessage,
    SessionTold,
)
from kiosk.events import Event, EventBus
from kiosk.i18n import N_, language, language_name, translator
from kiosk.ports import Clock, ConversationRelay, Forgetful, Translator, Utterance
from kiosk.services.counter_signals import CounterSignals
from kiosk.services.phrasebook import PHRASE_BY_ID
from kiosk.services.presence import CounterLink, LocalRelay

__all__ = [
    "CLERK_LANGUAGE",
    "MAX_LINE_CHARS",
    "TRUNCATION_MARK",
    "CaptionAdded",
    "CaptionLine",
    "Conversation",
    "ConversationCleared",
    "VisitProceduresChanged",
    "VisitorLanguageChanged",
    "speaker_label",
]

_log = logging.getLogger(__name__)

CLERK_LANGUAGE = "ja"
# What a procedure id of the catalog looks like (relayed ids are checked against it).
_PROCEDURE = re.compile(r"[0-9A-Za-z_-]{1,64}")
_MAX_PROCEDURES = 32
# What a usage-log session id looks like (kiosk.audit.new_session_id); "" is "no visit known".
_SESSION = re.compile(r"[0-9A-Za-z_-]{0,64}")
# A line longer than this is cut and marked: nobody reads more at a counter, and it bounds the
# size of a relayed message.
MAX_LINE_CHARS = 2000
TRUNCATION_MARK = " [\u2026]"


@dataclass(frozen=True)
class CaptionLine:
    """One line of the conversation; text and translation are masked in the repr."""

    index: int
    party: Party
    kind: LineKind
    at: datetime
    language: str                          # catalog code of ``text``
    text: str = field(repr=False)
    translation_language: str = ""         # catalog code of ``translation``
    translation: str | None = field(default=None, repr=False)   # None: same language or no model
    missing_model: bool = False            # a translation was wanted but no model exists
    local: bool = True                     # said on this device (False: relayed from the other)
    at_branch: bool = False                # a remote call's branch clerk (not the specialist)


@dataclass(frozen=True, slots=True)
class CaptionAdded(Event):
    """A line was added; read it with :meth:`Conversation.line` (events carry no text)."""

    index: int


@dataclass(frozen=True, slots=True)
class ConversationCleared(Event):
    """The conversation was wiped (end of the visit, or on request)."""


@dataclass(frozen=True, slots=True)
class VisitorLanguageChanged(Event):
    """The visitor's language changed here or on the other device of the counter."""

    language: str


@dataclass(frozen=True, slots=True)
class VisitProceduresChanged(Event):
    """The procedures of the visit (catalog ids) became known here or on the other device;
    the clerk's captions take their words (:mod:`kiosk.services.caption_vocabulary`)."""

    procedures: tuple[str, ...]


class Conversation:
    """The conversation of one visit between the clerk (Japanese) and the visitor.

    Args:
        events: where :class:`CaptionAdded`, :class:`ConversationCleared`,
            :class:`VisitorLanguageChanged` and :class:`PeerPresence` are published.
        clock: timestamps of the lines.
        translator: machine translation, or ``None`` on a device without models.
        visitor_language: catalog code of the visitor's language (``"vi"``, ``"zh_Hans"``).
        relay: carries the conversation to the other device of the counter; default: this
            process only.
        usage: gets, per wipe, the :class:`~kiosk.audit.events.ConversationUsed` and
            :class:`~kiosk.audit.events.TranslationUsed` figures of this device, and a
            :class:`~kiosk.audit.events.CaptionsUsed` whenever captions stop (counts only).
    """

    def __init__(self, events: EventBus, clock: Clock, translator: Translator | None,
                 visitor_language: str = "ja", *, relay: ConversationRelay | None = None,
                 usage: UsageRecorder = NULL_USAGE) -> None:
        self._events = events
        self._clock = clock
        self._translator = translator
        self._visitor = visitor_language
        self._lines: list[CaptionLine] = []
        self._lock = threading.Lock()
        # Counts the wipes: a line translated while its visit ended must not join the next.
        self._generation = 0
        self._usage = usage
        self._session = ""                     # the tablet's usage-log id of the visit
        self._procedures: tuple[str, ...] = ()  # catalog ids the visitor chose
        self._captions_since: datetime | None = None   # live captions running since then
        # Lines machine-translated on this device since the last wipe, by (source, target).
        self._translated: Counter[tuple[str, str]] = Counter()
        self.link = CounterLink(relay if relay is not None else LocalRelay(), events,
                                self._receive)
        self.signals = CounterSignals(self.link, events)   # the visitor's microphone, notices

    @property
    def visitor_language(self) -> str:
        """Catalog code of the visitor's language."""
        return self._visitor

    @property
    def session(self) -> str:
        """The usage-log session id of the visit this conversation serves (``""``: unknown)."""
        with self._lock:
            return self._session

    @property
    def captions_running(self) -> bool:
        """Whether live captions run on this device (between start and stop)."""
        with self._lock:
            return self._captions_since is not None

    def start(self) -> None:
        """Connect to the other device of the counter and say hello (a background job)."""
        self.link.start()

    def stop(self) -> None:
        """Record running captions as stopped, say goodbye and stop relaying (the device
        shuts down)."""
        self.captions_stopped()
        self.link.stop()

    def set_visitor_language(self, code: str) -> None:
        """The visitor chose another language; later lines are translated into it."""
        language(code)          # raises KeyError for an unknown code
        if code == self._visitor:
            return
        self._visitor = code
        self._events.publish(VisitorLanguageChanged(code))
        self.link.send(LanguageChosen(self.link.origin, code))

    def set_session(self, session: str) -> None:
        """The visit this conversation serves: the tablet's usage-log session id.

        Told to the other device of the counter, so the clerk PC's usage records name the same
        visit. A wipe forgets it (the next visit gives its own).

        Raises:
            ValueError: not a session id.
        """
        _check_session(session)
        with self._lock:
            if session == self._session:
                return
            self._session = session
        self.link.send(SessionTold(self.link.origin, session))

    @property
    def procedures(self) -> tuple[str, ...]:
        """The catalog ids of the procedures the visitor chose (``()``: not known yet)."""
        with self._lock:
            return self._procedures

    def set_procedures(self, procedures: Iterable[str]) -> None:
        """The visit's procedures (catalog ids), here and on the other device of the counter:
        the clerk's captions expect their words. A wipe forgets them.

        Raises:
            ValueError: not a procedure id, or too many.
        """
        chosen = _checked_procedures(procedures)
        with self._lock:
            if chosen == self._procedures:
                return
            self._procedures = chosen
        self._events.publish(VisitProceduresChanged(chosen))
        self.link.send(ProceduresChosen(self.link.origin, chosen))

    def captions_started(self) -> None:
        """Live captions started on this device (the clerk opened the microphone)."""
        with self._lock:
            if self._captions_since is None:
                self._captions_since = self._clock.now()

    def captions_stopped(self) -> None:
        """Live captions stopped: records a :class:`CaptionsUsed` for the time they ran."""
        with self._lock:
            since, self._captions_since = self._captions_since, None
            record = self._captions_record(since)
        if record is not None:
            self._usage.record(record)

    def can_translate(self) -> bool:
        """Whether lines can be translated between Japanese and the visitor's language."""
        if _same_language(CLERK_LANGUAGE, self._visitor):
            return True
        if self._translator is None:
            return False
        source, target = language(CLERK_LANGUAGE).bcp47, language(self._visitor).bcp47
        return (self._translator.route(source, target) is not None
                and self._translator.route(target, source) is not None)

    def missing_model_notice(self, reader: str | None = None) -> str | None:
        """What the screens show when no model exists for the visitor's language, else ``None``:
        in the ``reader``'s language (a catalog code; the visitor's by default, on the tablet;
        Japanese at the clerk's desk, which showed it in Vietnamese)."""
        if self.can_translate():
            return None
        code = reader or self._visitor
        name = language(self._visitor).native_name if code == self._visitor \
            else language_name(self._visitor, code)
        return translator(code)(
            N_("No translation model for {language}: captions are shown in Japanese only."),
            language=name)

    def lines(self) -> tuple[CaptionLine, ...]:
        """Every line so far, oldest first."""
        with self._lock:
            return tuple(self._lines)

    def line(self, index: int) -> CaptionLine:
        """Line ``index`` (as announced by :class:`CaptionAdded`)."""
        with self._lock:
            return self._lines[index]

    def add_clerk_speech(self, utterance: Utterance, *, at_branch: bool = False) -> CaptionLine | None:
        """A recognised utterance of the clerk (called on the captioner's thread);
        ``at_branch``: in a remote call, the branch's clerk rather than the specialist.

        Like the other ``add_`` methods, returns the line as shown, or ``None`` when the visit
        ended while it was being translated (the line went with the visit).
        """
        return self._add(Party.CLERK, LineKind.SPOKEN, utterance.text, CLERK_LANGUAGE,
                         at_branch=at_branch)

    def add_citizen_speech(self, utterance: Utterance, english: str = "") -> CaptionLine | None:
        """A recognised utterance of the visitor, in their language (the visitor microphone's
        thread). ``english``: Whisper's own translation into English, used for the clerk's
        Japanese when no model leads straight from the visitor's language to Japanese."""
        source = self._visitor
        if english and not self._routes(source, CLERK_LANGUAGE) and \
                self._routes("en", CLERK_LANGUAGE):
            text, generation = _capped(utterance.text.strip()), self._generation
            translated = self._translate(_capped(english.strip()), "en", CLERK_LANGUAGE)
            return self._relayed(self._append(Party.CITIZEN, LineKind.SPOKEN, text, source,
                                              CLERK_LANGUAGE, translated,
                                              missing=translated is None,
                                              machine=translated is not None,
                                              generation=generation))
        return self._add(Party.CITIZEN, LineKind.SPOKEN, utterance.text, source)

    def needs_english(self) -> bool:
        """Whether the visitor's speech needs Whisper's English to reach Japanese (no model
        leads there from their language, one leads from English)."""
        source = self._visitor
        return (not _same_language(source, CLERK_LANGUAGE)
                and not self._routes(source, CLERK_LANGUAGE) and self._routes("en", CLERK_LANGUAGE))

    def _routes(self, source: str, target: str) -> bool:
        if self._translator is None:
            return False
        return self._translator.route(language(source).bcp47, language(target).bcp47) is not None

    def add_clerk_text(self, text: str) -> CaptionLine | None:
        """The clerk typed instead of speaking."""
        return self._add(Party.CLERK, LineKind.TYPED, text, CLERK_LANGUAGE)

    def add_citizen_text(self, text: str) -> CaptionLine | None:
        """The citizen typed an answer in their language."""
        return self._add(Party.CITIZEN, LineKind.TYPED, text, self._visitor)

    def add_citizen_phrase(self, phrase_id: str) -> CaptionLine | None:
        """The citizen tapped a phrase; both sides read the catalogs' human translation.

        Raises:
            KeyError: no phrase with that id.
        """
        phrase = PHRASE_BY_ID[phrase_id]
        text = translator(self._visitor)(phrase.message_id)
        japanese = translator(CLERK_LANGUAGE)(phrase.message_id)
        same = _same_language(CLERK_LANGUAGE, self._visitor)
        return self._relayed(self._append(Party.CITIZEN, LineKind.PHRASE, text, self._visitor,
                                          CLERK_LANGUAGE, None if same else japanese,
                                          missing=False))

    def export_text(self) -> str:
        """The conversation as plain text for the citizen (shown or printed, in their language)."""
        tr = translator(self._visitor)
        out = [tr(N_("Conversation at the counter")), ""]
        for line in self.lines():
            who = tr(speaker_label(line, reader=Party.CITIZEN))
            out.append(f"{line.at:%H:%M} {who}: {line.text}")
            if line.translation:
                out.append(f"      {line.translation}")
        return "\n".join(out) + "\n"

    def clear(self) -> None:
        """Wipe every line and the translator's cache, here and on the other device."""
        self._wipe()
        self.link.send(Cleared(self.link.origin))

    def _wipe(self) -> None:
        with self._lock:
            said_here = [line for line in self._lines if line.local]
            translated, session = dict(self._translated), self._session
            self._generation += 1
            self._lines.clear()
            self._translated.clear()
            # Captions that keep running serve the next visit: this one's time ends here.
            records = [record for record in [self._captions_record(self._captions_since)]
                       if record is not None]
            if self._captions_since is not None:
                self._captions_since = self._clock.now()
            self._session = ""
            self._procedures = ()
        if self._translator is not None and isinstance(self._translator, Forgetful):
            self._translator.forget()
        records += [TranslationUsed(session, source, target, count)
                    for (source, target), count in sorted(translated.items())]
        if said_here or translated:
            records.append(_usage_of(said_here, self._visitor, sum(translated.values())))
        for record in records:
            self._usage.record(record)
        self._events.publish(ConversationCleared())

    def _captions_record(self, since: datetime | None) -> UsageEvent | None:
        # Called with the lock held.
        if since is None:
            return None
        seconds = round((self._clock.now() - since).total_seconds(), 1)
        # A clock set back (or a start and stop within 50 ms) is no use of captions.
        if seconds <= 0:
            return None
        return CaptionsUsed(self._session, self._visitor, seconds)

    def _add(self, party: Party, kind: LineKind, text: str, source: str, *,
             at_branch: bool = False) -> CaptionLine | None:
        text = _capped(text.strip())
        target = self._visitor if party is Party.CLERK else CLERK_LANGUAGE
        generation = self._generation
        if _same_language(source, target):
            return self._relayed(self._append(party, kind, text, source, "", None,
                                              missing=False, generation=generation,
                                              at_branch=at_branch))
        translated = self._translate(text, source, target)
        return self._relayed(self._append(party, kind, text, source, target, translated,
                                          missing=translated is None,
                                          machine=translated is not None,
                                          generation=generation, at_branch=at_branch))

    def _translate(self, text: str, source: str, target: str) -> str | None:
        if self._translator is None:
            return None
        try:
            return self._translator.translate(text, language(source).bcp47,
                                              language(target).bcp47)
        except Exception as exc:  # the line is still shown, marked untranslated
            # The class only: an engine's message may quote the text.
            _log.warning("conversation: translation failed (%s)", type(exc).__name__)
            return None

    def _append(self, party: Party, kind: LineKind, text: str, source: str, target: str,
                translated: str | None, *, missing: bool, at: datetime | None = None,
                local: bool = True, machine: bool = False,
                generation: int | None = None, at_branch: bool = False) -> CaptionLine | None:
        # ``machine``: ``translated`` was made by this device's translator just now.
        # ``generation``: the wipe count when the line came in; a wipe since then (the visit
        # ended during a slow translation) drops it, so it never reaches the next visitor.
        with self._lock:
            if generation is not None and generation != self._generation:
                return None
            line = CaptionLine(len(self._lines), party, kind, at or self._clock.now(), source,
                               text, target, translated, missing, local, at_branch)
            self._lines.append(line)
            if machine:
                self._translated[(source, target)] += 1
        self._events.publish(CaptionAdded(line.index))
        return line

    # ------------------------------------------------------------ the other device
    def _relayed(self, line: CaptionLine | None) -> CaptionLine | None:
        if line is None:
            return None
        self.link.send(LineSaid(self.link.origin, line.party, line.kind, line.at, line.language,
                            line.text, line.translation_language, line.translation,
                            line.missing_model, line.at_branch))
        return line

    def _receive(self, message: RelayMessage) -> None:
        """Act on what the other device said or changed (its presence is already noted)."""
        if self.signals.receive(message):
            return
        match message:
            case LineSaid():
                self._receive_line(message)
            case Cleared():
                self._wipe()
            case LanguageChosen(language=code):
                language(code)                  # raises KeyError for an unknown code
                if code != self._visitor:
                    self._visitor = code
                    self._events.publish(VisitorLanguageChanged(code))
            case SessionTold(session=session):
                _check_session(session)
                with self._lock:
                    self._session = session
            case ProceduresChosen(procedures=procedures):
                self._receive_procedures(procedures)

    def _receive_line(self, message: LineSaid) -> None:
        source, target = message.language, message.translation_language
        language(source)                        # raises KeyError for an unknown code
        text = _capped(message.text)
        translation, missing = message.translation, message.missing_model
        machine = False
        generation = self._generation
        if missing and target:
            # The other device had no model for this pair; perhaps this one has.
            translation = self._translate(text, source, target)
            machine = translation is not None
            missing = translation is None
        self._append(message.party, message.kind, text, source, target, translation,
                     missing=missing, at=message.at, local=False, machine=machine,
                     generation=generation, at_branch=message.at_branch)

    def _receive_procedures(self, procedures: Iterable[str]) -> None:
        chosen = _checked_procedures(procedures)
        with self._lock:
            if chosen == self._procedures:
                return
            self._procedures = chosen
        self._events.publish(VisitProceduresChanged(chosen))


def speaker_label(line: CaptionLine, *, reader: Party) -> str:
    """The message id naming who said ``line`` on ``reader``'s screen: the staff (in a remote
    call the branch's clerk apart from the specialist), the reader's own side as "You"."""
    if line.party is Party.CLERK:
        return N_("Branch staff") if line.at_branch else N_("Staff")
    return N_("You") if reader is Party.CITIZEN else N_("Visitor")


def _capped(text: str) -> str:
    if len(text) <= MAX_LINE_CHARS:
        return text
    return text[:MAX_LINE_CHARS - len(TRUNCATION_MARK)] + TRUNCATION_MARK


def _checked_procedures(procedures: Iterable[Any]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(str(form_id) for form_id in procedures))
    if len(chosen) > _MAX_PROCEDURES or not all(_PROCEDURE.fullmatch(p) for p in chosen):
        raise ValueError(f"not a list of procedure ids ({len(chosen)} items)")
    return chosen


def _check_session(session: str) -> None:
    if not _SESSION.fullmatch(session):
        # The value is not shown: a mistake could have put anything here.
        raise ValueError(f"not a session id ({len(session)} chars)")


def _usage_of(lines: list[CaptionLine], visitor: str, translated: int) -> ConversationUsed:
    kinds = [line.kind for line in lines]
    return ConversationUsed(language=visitor, captions_lines=kinds.count(LineKind.SPOKEN),
                            typed_lines=kinds.count(LineKind.TYPED),
                            phrase_lines=kinds.count(LineKind.PHRASE), translated=translated)


def _same_language(a: str, b: str) -> bool:
    return language(a).bcp47 == language(b).bcp47
