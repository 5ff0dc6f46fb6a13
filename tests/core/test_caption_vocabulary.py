"""The clerk's caption vocabulary: visit first, then the counter's and the city's words; it
follows the visit through the conversation (here or relayed) and goes with the wipe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.events import EventBus
from kiosk.procedures.catalog import load_catalog
from kiosk.services.caption_vocabulary import (
    COUNTER_WORDS,
    CaptionVocabulary,
    PlaceNames,
    follow_visits,
    load_place_names,
)
from kiosk.services.conversation import Conversation, VisitProceduresChanged
from kiosk.services.presence import LocalRelay


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 4, 1, 10, 30, tzinfo=UTC)


class Captioner:
    def __init__(self) -> None:
        self.vocabulary: list[str] = []

    def set_vocabulary(self, terms: Sequence[str]) -> None:
        self.vocabulary = list(terms)


def title(form_id: str) -> str:
    return load_catalog().forms[form_id].title.get("ja")


def test_load_place_names__shipped_file__tome_city_towns_and_districts() -> None:
    places = load_place_names()

    assert places.city == "登米市"
    assert {"迫町", "登米町", "津山町"} <= set(places.towns)
    assert {"佐沼", "寺池", "柳津"} <= set(places.districts)


def test_load_place_names__another_citys_file__its_names(tmp_path: Path) -> None:
    path = tmp_path / "place_names.yaml"
    path.write_text("city: 栗原市\ntowns:\n  築館: [薬師]\n  若柳:\n", encoding="utf-8")

    places = load_place_names(path)

    assert (places.city, places.towns, places.districts) == ("栗原市", ("築館", "若柳"), ("薬師",))


@pytest.mark.parametrize("text", ["[a, b]\n", "city: x\ntowns: [a, b]\n", "city: x\n"])
def test_load_place_names__wrong_shape__value_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "place_names.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ValueError, match="towns"):
        load_place_names(path)


def test_load_place_names__no_file__no_names(tmp_path: Path) -> None:
    assert load_place_names(tmp_path / "missing.yaml").towns == ()


def test_terms__visit_procedures__their_titles_first_then_counter_words_then_city() -> None:
    vocabulary = CaptionVocabulary(load_catalog(), PlaceNames("登米市", ["迫町"], ["佐沼"]),
                                   ["A"])

    terms = vocabulary.terms(["kokuho", "no_such_form"])

    assert terms[0] == title("kokuho")
    assert terms[1:1 + len(COUNTER_WORDS)] == list(COUNTER_WORDS)
    assert terms.index("登米市") < terms.index("迫町") < terms.index(title("juminhyo"))
    assert terms[-1] == "佐沼"
    assert len(terms) == len(set(terms))


def test_terms__desk_serves_service_a__other_services_titles_left_out() -> None:
    catalog = load_catalog()
    other = next(form_id for form_id, form in catalog.forms.items() if form.service != "A")

    terms = CaptionVocabulary(catalog, PlaceNames(), ["A"]).terms()

    assert title("juminhyo") in terms
    assert title(other) not in terms


def test_follow_visits__procedures_set_then_wiped__vocabulary_follows() -> None:
    events, captioner = EventBus(), Captioner()
    vocabulary = CaptionVocabulary(load_catalog(), load_place_names(), ["A"])
    conversation = Conversation(events, Clock(), None)
    follow_visits(events, captioner, vocabulary)
    desk = captioner.vocabulary

    conversation.set_procedures(["kokuho"])
    visit = captioner.vocabulary
    conversation.clear()

    assert visit[0] == title("kokuho") != desk[0]
    assert captioner.vocabulary == desk
    assert conversation.procedures == ()


def test_set_procedures__on_the_tablet__clerk_pc_conversation_learns_them() -> None:
    relay = LocalRelay()
    tablet_events, clerk_events = EventBus(), EventBus()
    tablet = Conversation(tablet_events, Clock(), None, relay=relay)
    clerk = Conversation(clerk_events, Clock(), None, relay=relay)
    seen: list[VisitProceduresChanged] = []
    clerk_events.subscribe(VisitProceduresChanged, seen.append)

    tablet.set_procedures(["juminhyo", "inkan_shomei", "juminhyo"])

    assert clerk.procedures == ("juminhyo", "inkan_shomei")
    assert seen == [VisitProceduresChanged(("juminhyo", "inkan_shomei"))]


@pytest.mark.parametrize("procedures", [["juminhyo; DROP"], [f"f{i}" for i in range(40)]])
def test_set_procedures__not_procedure_ids__value_error(procedures: list[str]) -> None:
    with pytest.raises(ValueError, match="procedure ids"):
        Conversation(EventBus(), Clock(), None).set_procedures(procedures)


def test_load_place_names__shipped_file__prefecture_and_local_readings() -> None:
    places = load_place_names()

    assert places.prefecture + places.city == "宮城県登米市"
    assert places.towns == ("迫町", "登米町", "東和町", "中田町", "豊里町", "米山町", "石越町",
                            "南方町", "津山町")     # the address picker's order
    assert places.readings == {"登米": "とめ"}


def test_load_place_names__readings_not_a_mapping__value_error(tmp_path: Path) -> None:
    path = tmp_path / "place_names.yaml"
    path.write_text("city: x\ntowns: {a: []}\nreadings: [登米]\n", encoding="utf-8")

    with pytest.raises(ValueError, match="readings"):
        load_place_names(path)
