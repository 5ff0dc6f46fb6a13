"""FormSession: prefill with provenance, locks, conditions, validation, fees; bundles."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiosk.procedures.bundles import applicable_procedures
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.session import AnswerLockedError, FormSession, Provenance
from kiosk.procedures.values import InvalidAnswerError, my_number_check_digit

TODAY = date(2026, 4, 1)
CARD: dict[str, Any] = {"card.name": "登米\u3000花子", "card.reading": None,
                        "card.address": "宮城県登米市迫町佐沼字中江二丁目６番地１",
                        "card.birth_date": date(1989, 1, 8), "card.sex": "2"}


def session(catalog: FormCatalog, form_id: str, sources: dict[str, Any] | None = None) -> FormSession:
    return FormSession(catalog.form(form_id), CARD if sources is None else sources, today=TODAY,
                       application_id="T-1")


def test_prefill__card_values__are_marked_card_and_locked(catalog: FormCatalog) -> None:
    s = session(catalog, "juminhyo")
    assert s.provenance("applicant_name") is Provenance.CARD
    assert s.is_readonly("applicant_name")
    assert s.value("birth_date") == date(1989, 1, 8)


def test_prefill__missing_reading__is_asked_not_invented(catalog: FormCatalog) -> None:
    s = session(catalog, "juminhyo")
    assert s.provenance("applicant_reading") is None
    assert any(i.field == "applicant_reading" for i in s.validate())


def test_prefill__visit_value__is_marked_visit_and_editable(catalog: FormCatalog) -> None:
    s = session(catalog, "idou", {**CARD, "visit.household_head": "登米\u3000太郎"})
    assert s.provenance("household_head") is Provenance.VISIT
    assert not s.is_readonly("household_head")


def test_set__citizen_changes_card_value__is_refused(catalog: FormCatalog) -> None:
    s = session(catalog, "juminhyo")
    with pytest.raises(AnswerLockedError):
        s.set("applicant_name", "別人")


@pytest.mark.parametrize(("reason", "allowed"), [("", False), ("  ", False), ("旧字体の誤読", True)])
def test_set__clerk_override__needs_a_reason(catalog: FormCatalog, reason: str,
                                             allowed: bool) -> None:
    s = session(catalog, "juminhyo")
    if not allowed:
        with pytest.raises(AnswerLockedError):
            s.set("applicant_name", "髙橋\u3000花子", by=Provenance.CLERK, reason=reason)
        return
    s.set("applicant_name", "髙橋\u3000花子", by=Provenance.CLERK, reason=reason)
    assert s.provenance("applicant_name") is Provenance.CLERK
    assert s.answers["applicant_name"].reason == reason


def test_answer__repr__hides_value(catalog: FormCatalog) -> None:
    s = session(catalog, "juminhyo")
    assert "花子" not in repr(s.answers["applicant_name"])
    assert "花子" not in repr(s)


@pytest.mark.parametrize(("field", "value", "stored"), [
    ("applicant_reading", "とめ はなこ", "トメ\u3000ハナコ"),
    # The grouping typed is kept (it shows the area code); full-width and spaces normalised.
    ("phone", "０２２０－２２－２１１１", "0220-22-2111"),
    ("phone", "0220 22 1111", "0220-22-1111"),
    ("phone", "0220221111", "0220221111"),
    ("phone", "02-2022-21111", "02202221111"),     # not a phone number's grouping: digits
    ("copies", "２", 2),
    ("birth_date", "平成元年1月8日", date(1989, 1, 8)),
])
def test_set__typed_value__is_normalised(catalog: FormCatalog, field: str, value: Any,
                                         stored: Any) -> None:
    s = session(catalog, "juminhyo", {})
    s.set(field, value)
    assert s.value(field) == stored


@pytest.mark.parametrize(("field", "value"), [
    ("applicant_reading", "登米"), ("phone", "12"), ("copies", 0), ("copies", 21),
    ("copies", "many"), ("birth_date", "平成31年5月1日"), ("purpose", "nonsense"),
    ("include_items", ["head", "ghost"]), ("consent_truth", "はい"),
])
def test_set__invalid_value__raises_without_echoing_it(catalog: FormCatalog, field: str,
                                                       value: Any) -> None:
    s = session(catalog, "juminhyo", {})
    with pytest.raises(InvalidAnswerError) as caught:
        s.set(field, value)
    assert caught.value.field == field
    assert str(value) not in [str(p) for p in caught.value.params.values()]


def test_conditions__proxy__shows_and_requires_proxy_fields(catalog: FormCatalog) -> None:
    s = session(catalog, "juminhyo")
    assert not s.is_visible("proxy_name")
    s.set("relationship", "proxy")
    assert s.is_visible("proxy_name")
    assert s.is_required("proxy_name")
    assert [b.id for b in s.bring()] == ["id_document", "proxy_letter"]


def test_calculate__fee__follows_copies(catalog: FormCatalog) -> None:
    s = session(catalog, "juminhyo")
    s.set("copies", 3)
    assert s.value("fee_total") == 900
    assert s.total_fee() == 900


def test_calculate__koseki_fees__sum_per_kind(catalog: FormCatalog) -> None:
    s = session(catalog, "koseki")
    s.set("copies_zenbu", 1)
    s.set("copies_joseki", 2)
    assert s.total_fee() == 450 + 2 * 750


def test_validate__koseki_without_copies__reports_constraint(catalog: FormCatalog) -> None:
    s = session(catalog, "koseki")
    s.set("copies_joseki", 0)
    issue = next(i for i in s.validate() if i.field == "copies_joseki")
    assert issue.custom is not None
    assert "ja" in issue.custom


def test_options__kokuho_reason__filtered_by_event(catalog: FormCatalog) -> None:
    s = session(catalog, "kokuho")
    s.set("event", "leave")
    assert {c.value for c in s.options("reason")} == {"moved_out", "joined_employee_insurance",
                                                      "death"}


def test_my_number__check_digit__is_verified(catalog: FormCatalog) -> None:
    s = session(catalog, "kokuho")
    s.set("head_my_number", "123456789018")
    assert my_number_check_digit("12345678901") == 8
    with pytest.raises(InvalidAnswerError):
        s.set("head_my_number", "123456789012")


def test_validate__complete_juminhyo__has_no_issue(catalog: FormCatalog) -> None:
    s = session(catalog, "juminhyo")
    for field, value in (("applicant_reading", "とめ はなこ"), ("phone", "0220222111"),
                         ("purpose", "work"), ("consent_truth", True)):
        s.set(field, value)
    assert s.validate() == []


def test_validate__group_member_without_name__names_row(catalog: FormCatalog) -> None:
    s = session(catalog, "idou")
    s.set("members", [{"reading": "とめ はなこ"}])
    assert "members[0].name" in {i.field for i in s.validate()}


@pytest.mark.parametrize(("answers", "expected"), [
    ({"employer_insurance": True, "children": 0, "wants_seal": False}, ["idou"]),
    ({"employer_insurance": False, "children": 2, "wants_seal": True},
     ["idou", "kokuho", "jidou_teate", "inkan_toroku"]),
    ({}, ["idou"]),
])
def test_bundle_tennyu__answers__decide_procedures(catalog: FormCatalog, answers: dict[str, Any],
                                                   expected: list[str]) -> None:
    applicable = applicable_procedures(catalog.bundles["bundle_tennyu"], answers, today=TODAY)
    assert [a.procedure for a in applicable] == expected
    assert all(not a.reason.missing() for a in applicable)


def test_bundle_shussei__public_servant__gets_no_city_allowance(catalog: FormCatalog) -> None:
    applicable = applicable_procedures(catalog.bundles["bundle_shussei"],
                                       {"public_servant": True, "family_kokuho": True},
                                       today=TODAY)
    assert [a.procedure for a in applicable] == ["kokuho"]


@pytest.mark.parametrize(("event", "reason", "accepted"), [
    ("join", "moved_in", True),
    ("join", "death", False),        # a "leave" reason is hidden once the event is "join"
    ("leave", "death", True),
    ("leave", "birth", False),
])
def test_set__choice_hidden_by_filter__is_refused(catalog: FormCatalog, event: str, reason: str,
                                                  accepted: bool) -> None:
    s = session(catalog, "kokuho")
    s.set("event", event)
    if accepted:
        s.set("reason", reason)
        assert s.value("reason") == reason
    else:
        with pytest.raises(InvalidAnswerError):
            s.set("reason", reason)


def test_validate__filter_answer_changed_afterwards__flags_the_hidden_choice(
        catalog: FormCatalog) -> None:
    s = session(catalog, "kokuho")
    s.set("event", "join")
    s.set("reason", "moved_in")
    s.set("event", "leave")

    assert any(i.field == "reason" and i.message_id == "Please choose one of the options."
               for i in s.validate())


GROUP_FORM = """\
kind: procedure
id: household
version: 1.0.0
title: {L}
department: {L}
counter: '1'
service: A
fields:
  - {{id: moving, type: yes_no, label: {L}}}
  - id: members
    type: group
    repeat: {{min: 1, max: 4}}
    label: {L}
    fields:
      - {{id: relation, type: text, label: {L}}}
      - {{id: school, type: text, visible_if: "relation == 'child'", required_if: "moving", label: {L}}}
      - {{id: age_years, type: number, constraint: {{expr: "age_years < 130", message: {L}}}, label: {L}}}
"""


def _group_session() -> FormSession:
    from kiosk.procedures.catalog import load_text

    label = "{ja: あ, ja@easy: あ, en: a, vi: a, zh_Hans: a, ne: a, id: a, tl: a}"
    definition, issues = load_text(GROUP_FORM.format(L=label))
    assert [i for i in issues if i.severity.name == "ERROR"] == []
    assert definition is not None
    return FormSession(definition, {}, today=TODAY)


@pytest.mark.parametrize(("moving", "rows", "flagged"), [
    (True, [{"relation": "child"}], ["members[0].school"]),
    (True, [{"relation": "spouse"}], []),                      # hidden for this row: not asked
    (False, [{"relation": "child"}], []),                      # required only when moving
    (True, [{"relation": "spouse"}, {"relation": "child"}], ["members[1].school"]),
    (True, [{"relation": "child", "school": "佐沼小学校"}], []),
    (False, [{"relation": "x", "age_years": 200}], ["members[0].age_years"]),
])
def test_validate__conditions_inside_a_group__are_evaluated_per_row(
        moving: bool, rows: list[dict[str, Any]], flagged: list[str]) -> None:
    s = _group_session()
    s.set("moving", moving)
    s.set("members", rows)

    assert [i.field for i in s.validate() if i.field.startswith("members[")] == flagged


def test_set__only_spaces__clears_the_answer_as_empty_does(catalog: FormCatalog) -> None:
    """Found by the stored-answers round trip: a blank answer came back from storage as none."""
    s = session(catalog, "kouki_sousai", {})
    s.set("account_holder", "トメ\u3000タロウ")

    s.set("account_holder", " \u3000 ")

    assert s.provenance("account_holder") is None
    assert "account_holder" not in s.answers
