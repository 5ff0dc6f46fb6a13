"""A conversation at the counter: live captions, typed lines, phrasebook answers, translations.

The clerk speaks (recognised by the :class:`~kiosk.ports.Captioner`) or types; the citizen taps
a phrase of the phrasebook or types. Each line is shown in the language it was said in, with its
translation for the other side underneath when a model exists (Japanese for the clerk, the
visitor's language for the citizen). Phrases are not machine-translated: their text comes from
the gettext catalogs, written by people.

Everything said or typed is personal data. Lines live only in this object, are never logged,
never put into an event (events carry the line index only) and are wiped by :meth:`clear` at
the end of the visit, together with the translator's sentence cache.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.events import Event, EventBus
from kiosk.i18n import N_, language, translator
from kiosk.ports import Clock, Translator, Utterance
from kiosk.procedures.catalog import FormCatalog

__all__ = [
    "PHRASES",
    "CaptionAdded",
    "CaptionLine",
    "Conversation",
    "ConversationCleared",
    "LineKind",
    "Party",
    "Phrase",
    "counter_vocabulary",
    "phrases_for",
]

CLERK_LANGUAGE = "ja"


class Party(enum.Enum):
    """Who said a line."""

    CLERK = "clerk"
    CITIZEN = "citizen"


class LineKind(enum.Enum):
    """How a line came in."""

    SPOKEN = "spoken"
    TYPED = "typed"
    PHRASE = "phrase"


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


@dataclass(frozen=True, slots=True)
class CaptionAdded(Event):
    """A line was added; read it with :meth:`Conversation.line` (events carry no text)."""

    index: int


@dataclass(frozen=True, slots=True)
class ConversationCleared(Event):
    """The conversation was wiped (end of the visit, or on request)."""


@dataclass(frozen=True)
class Phrase:
    """A canned answer of the phrasebook, translated in the catalogs.

    ``picture`` names a drawing of the phrasebook widget (card, insurance, seal, map, ...);
    ``procedures`` and ``fields`` tie it to where it helps (empty: everywhere).
    """

    id: str
    message_id: str
    picture: str = ""
    procedures: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


PHRASES: tuple[Phrase, ...] = (
    Phrase("yes", N_("Yes."), "yes"),
    Phrase("no", N_("No."), "no"),
    Phrase("again", N_("Could you say that again, please?"), "repeat"),
    Phrase("slowly", N_("Please speak more slowly."), "slow"),
    Phrase("write", N_("Could you write it down, please?"), "write"),
    Phrase("understood", N_("I understand. Thank you."), "yes"),
    Phrase("have_card", N_("I have my My Number card."), "my_number_card"),
    Phrase("no_card", N_("I do not have my My Number card with me."), "my_number_card"),
    Phrase("forgot_pin", N_("I forgot my PIN."), "my_number_card", fields=("pin",)),
    Phrase("have_insurance", N_("Here is my health insurance card."), "insurance_card",
           procedures=("kokuho",)),
    Phrase("no_seal", N_("I do not have a seal (hanko)."), "seal",
           procedures=("inkan_toroku", "inkan_shomei")),
    Phrase("have_seal", N_("I brought my seal (hanko)."), "seal",
           procedures=("inkan_toroku", "inkan_shomei")),
    Phrase("where", N_("Where should I go next?"), "floor_map"),
    Phrase("toilet", N_("Where is the restroom?"), "floor_map"),
    Phrase("how_much", N_("How much is the fee?"), "fee"),
    Phrase("how_long", N_("How long will it take?"), "clock"),
    Phrase("interpreter", N_("I would like an interpreter, please."), "repeat"),
)

_PHRASE_BY_ID = {phrase.id: phrase for phrase in PHRASES}


def phrases_for(procedure: str | None = None, field_id: str | None = None) -> list[Phrase]:
    """The phrases to offer: those tied to the field first, then to the procedure, then the rest."""
    def rank(phrase: Phrase) -> int:
        if field_id and field_id in phrase.fields:
            return 0
        if procedure and procedure in phrase.procedures:
            return 1
        return 2
    offered = [p for p in PHRASES if (not p.procedures or procedure in p.procedures)
               and (not p.fields or field_id in p.fields)]
    return sorted(offered, key=rank)


def counter_vocabulary(catalog: FormCatalog, procedures: Iterable[str] = ()) -> list[str]:
    """Japanese procedure titles and field labels for the recognizer's prompt, visit's first.

    Whisper mishears the counter's words without them ("住民表の映し" for 住民票の写し).
    """
    wanted = list(procedures)
    order = wanted + [form_id for form_id in sorted(catalog.forms) if form_id not in wanted]
    terms: list[str] = []
    for form_id in order:
        form = catalog.forms.get(form_id)
        if form is None:
            continue
        terms.append(form.title.get("ja"))
        terms += [item.label.get("ja") for _, item in form.walk_fields()]
    return list(dict.fromkeys(term for term in terms if term))


class Conversation:
    """The conversation of one visit between the clerk (Japanese) and the visitor.

    Args:
        events: where :class:`CaptionAdded` and :class:`ConversationCleared` are published.
        clock: timestamps of the lines.
        translator: machine translation, or ``None`` on a device without models.
        visitor_language: catalog code of the visitor's language (``"vi"``, ``"zh_Hans"``).
    """

    def __init__(self, events: EventBus, clock: Clock, translator: Translator | None,
                 visitor_language: str = "ja") -> None:
        self._events = events
        self._clock = clock
        self._translator = translator
        self._visitor = visitor_language
        self._lines: list[CaptionLine] = []
        self._lock = threading.Lock()

    @property
    def visitor_language(self) -> str:
        """Catalog code of the visitor's language."""
        return self._visitor

    def set_visitor_language(self, code: str) -> None:
        """The visitor chose another language; later lines are translated into it."""
        language(code)          # raises KeyError for an unknown code
        self._visitor = code

    def can_translate(self) -> bool:
        """Whether lines can be translated between Japanese and the visitor's language."""
        if _same_language(CLERK_LANGUAGE, self._visitor):
            return True
        if self._translator is None:
            return False
        source, target = language(CLERK_LANGUAGE).bcp47, language(self._visitor).bcp47
        return (self._translator.route(source, target) is not None
                and self._translator.route(target, source) is not None)

    def missing_model_notice(self) -> str | None:
        """What the screens show when no model exists for the visitor's language, else ``None``."""
        if self.can_translate():
            return None
        native = language(self._visitor).native_name
        return translator(self._visitor)(
            N_("No translation model for {language}: captions are shown in Japanese only."),
            language=native)

    def lines(self) -> tuple[CaptionLine, ...]:
        """Every line so far, oldest first."""
        with self._lock:
            return tuple(self._lines)

    def line(self, index: int) -> CaptionLine:
        """Line ``index`` (as announced by :class:`CaptionAdded`)."""
        with self._lock:
            return self._lines[index]

    def add_clerk_speech(self, utterance: Utterance) -> CaptionLine:
        """A recognised utterance of the clerk (called on the captioner's thread)."""
        return self._add(Party.CLERK, LineKind.SPOKEN, utterance.text, CLERK_LANGUAGE)

    def add_clerk_text(self, text: str) -> CaptionLine:
        """The clerk typed instead of speaking."""
        return self._add(Party.CLERK, LineKind.TYPED, text, CLERK_LANGUAGE)

    def add_citizen_text(self, text: str) -> CaptionLine:
        """The citizen typed an answer in their language."""
        return self._add(Party.CITIZEN, LineKind.TYPED, text, self._visitor)

    def add_citizen_phrase(self, phrase_id: str) -> CaptionLine:
        """The citizen tapped a phrase; both sides read the catalogs' human translation.

        Raises:
            KeyError: no phrase with that id.
        """
        phrase = _PHRASE_BY_ID[phrase_id]
        text = translator(self._visitor)(phrase.message_id)
        japanese = translator(CLERK_LANGUAGE)(phrase.message_id)
        same = _same_language(CLERK_LANGUAGE, self._visitor)
        return self._append(Party.CITIZEN, LineKind.PHRASE, text, self._visitor,
                            CLERK_LANGUAGE, None if same else japanese, missing=False)

    def export_text(self) -> str:
        """The conversation as plain text for the citizen (shown or printed, in their language)."""
        tr = translator(self._visitor)
        out = [tr(N_("Conversation at the counter")), ""]
        for line in self.lines():
            who = tr(N_("Staff")) if line.party is Party.CLERK else tr(N_("You"))
            out.append(f"{line.at:%H:%M} {who}: {line.text}")
            if line.translation:
                out.append(f"      {line.translation}")
        return "\n".join(out) + "\n"

    def clear(self) -> None:
        """Wipe every line and the translator's cache (end of the visit)."""
        with self._lock:
            self._lines.clear()
        forget = getattr(self._translator, "forget", None)
        if callable(forget):
            forget()
        self._events.publish(ConversationCleared())

    def _add(self, party: Party, kind: LineKind, text: str, source: str) -> CaptionLine:
        text = text.strip()
        target = self._visitor if party is Party.CLERK else CLERK_LANGUAGE
        if _same_language(source, target):
            return self._append(party, kind, text, source, "", None, missing=False)
        translated = None
        if self._translator is not None:
            translated = self._translator.translate(text, language(source).bcp47,
                                                    language(target).bcp47)
        return self._append(party, kind, text, source, target, translated,
                            missing=translated is None)

    def _append(self, party: Party, kind: LineKind, text: str, source: str, target: str,
                translated: str | None, *, missing: bool) -> CaptionLine:
        with self._lock:
            line = CaptionLine(len(self._lines), party, kind, self._clock.now(), source, text,
                               target, translated, missing)
            self._lines.append(line)
        self._events.publish(CaptionAdded(line.index))
        return line


def _same_language(a: str, b: str) -> bool:
    return language(a).bcp47 == language(b).bcp47
