"""The conversation of a visit: captions, typed lines, phrases, translations, wiping."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import pytest

from kiosk.doctor import Check
from kiosk.domain.counter_messages import LineKind, Party
from kiosk.events import EventBus
from kiosk.i18n import translator
from kiosk.ports import Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.caption_vocabulary import counter_vocabulary
from kiosk.services.conversation import CaptionAdded, Conversation, ConversationCleared
from kiosk.services.phrasebook import PHRASES, phrases_for

JST = timezone(timedelta(hours=9))


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 4, 1, 10, 30, tzinfo=JST)


class FakeTranslator:
    """Knows ja<->en and ja<->vi; marks its output so the test sees which direction ran."""

    def __init__(self) -> None:
        self.forgotten = 0

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        known = {"ja", "en", "vi"}
        return (source, target) if {source, target} <= known else None

    def translate(self, text: str, source: str, target: str) -> str | None:
        return f"[{source}>{target}] {text}" if self.route(source, target) else None

    def forget(self) -> None:
        self.forgotten += 1

    def probe(self) -> Sequence[Check]:
        return []


def make(visitor: str = "vi", *, with_translator: bool = True
         ) -> tuple[Conversation, list[object], FakeTranslator]:
    events = EventBus()
    seen: list[object] = []
    events.subscribe(CaptionAdded, seen.append)
    events.subscribe(ConversationCleared, seen.append)
    fake = FakeTranslator()
    return (Conversation(events, FixedClock(), fake if with_translator else None, visitor),
            seen, fake)


@pytest.mark.parametrize(("visitor", "translation", "missing"), [
    ("vi", "[ja>vi] 住民票ですね。", False),
    ("en", "[ja>en] 住民票ですね。", False),
    ("ne", None, True),                      # no model for Nepali: shown in Japanese only
    ("ja", None, False),
    ("ja@easy", None, False),
])
def test_clerk_speech__visitor_language__translation_under_japanese(
        visitor: str, translation: str | None, missing: bool) -> None:
    conversation, seen, _ = make(visitor)

    line = conversation.add_clerk_speech(Utterance("住民票ですね。", "ja"))

    assert (line.party, line.kind, line.text) == (Party.CLERK, LineKind.SPOKEN, "住民票ですね。")
    assert (line.translation, line.missing_model) == (translation, missing)
    assert seen == [CaptionAdded(0)]


def test_citizen_text__vietnamese__translated_into_japanese_for_the_clerk() -> None:
    conversation, _, _ = make("vi")

    line = conversation.add_citizen_text("  Tôi cần giấy chứng nhận.  ")

    assert (line.party, line.language, line.translation_language) == (Party.CITIZEN, "vi", "ja")
    assert line.translation == "[vi>ja] Tôi cần giấy chứng nhận."


@pytest.mark.parametrize("visitor", ["vi", "en", "zh_Hans", "ne", "id", "tl"])
def test_citizen_phrase__any_first_tier_language__catalog_texts_not_machine(visitor: str) -> None:
    conversation, _, _ = make(visitor, with_translator=False)

    line = conversation.add_citizen_phrase("no_card")

    assert line.text == translator(visitor)("I do not have my My Number card with me.")
    assert line.translation == translator("ja")("I do not have my My Number card with me.")
    assert not line.missing_model


def test_citizen_phrase__unknown_id__key_error() -> None:
    conversation, _, _ = make()

    with pytest.raises(KeyError):
        conversation.add_citizen_phrase("nope")


def test_clear__after_lines__everything_wiped_and_cache_forgotten() -> None:
    conversation, seen, fake = make()
    conversation.add_clerk_text("お名前をどうぞ。")
    conversation.add_citizen_text("Nguyen")

    conversation.clear()

    assert conversation.lines() == ()
    assert fake.forgotten == 1
    assert seen[-1] == ConversationCleared()


def test_line_repr__personal_text__masked() -> None:
    conversation, _, _ = make()

    line = conversation.add_citizen_text("Nguyen Van A, 迫町佐沼")

    assert "Nguyen" not in repr(line)
    assert "迫町" not in repr(line)
    assert "Nguyen" not in repr(Utterance("Nguyen", "vi"))


def test_export__conversation__timestamped_in_visitor_language() -> None:
    conversation, _, _ = make("en")
    conversation.add_clerk_text("こんにちは。")
    conversation.add_citizen_phrase("yes")

    text = conversation.export_text()

    assert text.splitlines() == [
        "Conversation at the counter", "",
        "10:30 Staff: こんにちは。", "      [ja>en] こんにちは。",
        "10:30 You: Yes.", "      " + translator("ja")("Yes."),
    ]


@pytest.mark.parametrize(("visitor", "with_translator", "notice"), [
    ("vi", True, False), ("ja", False, False), ("ne", True, True), ("vi", False, True),
])
def test_missing_model_notice__pair__shown_only_without_model(visitor: str, with_translator: bool,
                                                              notice: bool) -> None:
    conversation, _, _ = make(visitor, with_translator=with_translator)

    assert (conversation.missing_model_notice() is not None) == notice


def test_missing_model_notice__clerk_reads__in_japanese_naming_the_visitors_language() -> None:
    conversation, _, _ = make("vi", with_translator=False)

    assert conversation.missing_model_notice("ja") == translator("ja")(
        "No translation model for {language}: captions are shown in Japanese only.",
        language="ベトナム語")
    assert "Tiếng Việt" in (conversation.missing_model_notice() or "")


def test_set_visitor_language__unknown__key_error() -> None:
    conversation, _, _ = make()

    with pytest.raises(KeyError):
        conversation.set_visitor_language("xx")


@pytest.mark.parametrize(("procedure", "field", "first"), [
    (None, None, "yes"),
    ("inkan_toroku", None, "no_seal"),
    ("kokuho", None, "have_insurance"),
    ("juminhyo", "pin", "forgot_pin"),
])
def test_phrases_for__procedure_and_field__tied_phrases_first(procedure: str | None,
                                                              field: str | None, first: str) -> None:
    offered = phrases_for(procedure, field)

    assert offered[0].id == first
    assert {p.id for p in offered} <= {p.id for p in PHRASES}


def test_phrases_for__other_procedure__hides_tied_phrases() -> None:
    assert "no_seal" not in {p.id for p in phrases_for("juminhyo")}


def test_counter_vocabulary__forms__visit_procedures_first_japanese_terms() -> None:
    catalog = load_catalog()
    terms = counter_vocabulary(catalog, ["inkan_shomei"])

    assert terms[0] == catalog.forms["inkan_shomei"].title.get("ja")
    assert catalog.forms["juminhyo"].title.get("ja") in terms
    assert len(terms) == len(set(terms))
