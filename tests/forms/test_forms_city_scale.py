"""The forms at city scale (issue 19): forty procedures, eight bundles, shared labels, fees with
their ordinance, おくやみ in depth, and the shared texts of ``_common.yaml``."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.procedures.bundles import applicable_procedures, visit_prefills, visit_sources
from kiosk.procedures.catalog import FormCatalog, load_text
from kiosk.procedures.issues import IssueCode
from kiosk.procedures.model import FormDefinition
from kiosk.procedures.schema import CommonLibrary
from kiosk.procedures.session import FormSession

MOVES = ("idou", "setainushi_henkou", "setai_henkou", "card_kenmen", "card_keizoku",
         "denshi_shomei", "card_pin", "fuhyo", "jyohyo", "mibun", "inkan_haishi")
ELDERLY = ("kouki_shikaku", "kouki_sousai", "kaigo_shikaku", "kaigo_jushochi", "kaigo_nintei",
           "nenkin_shutoku", "nenkin_shubetsu", "nenkin_menjo", "nenkin_mishikyu")
CHILDREN = ("kodomo_iryo", "jifu_teate", "jidou_teate", "jidou_teate_henkou", "hoiku_nintei",
            "ninshin", "tengaku")
TAX = ("nozei_shomei", "hyoka_shomei", "gentsuki_toroku", "gentsuki_haisha")
OKUYAMI = ("kokuho_sousai", "shougai_techo", "sozokunin_daihyo", "suido_meigi", "nochi_sozoku",
           "bochi_meigi")
BUNDLES = ("bundle_tennyu", "bundle_tenkyo", "bundle_shussei", "bundle_shibou", "bundle_kekkon",
           "bundle_tenshutsu", "bundle_card", "bundle_kourei")
TODAY = date(2026, 6, 1)
L = "{ja: あ, ja@easy: あ, en: a, vi: a, zh_Hans: a, ne: a, id: a, tl: a}"


def _all_forms(catalog: FormCatalog) -> list[FormDefinition]:
    return sorted(catalog.forms.values(), key=lambda f: f.id)


def test_catalog__bundled__has_forty_procedures_and_eight_bundles_of_the_issue(
        catalog: FormCatalog) -> None:
    assert set(MOVES + ELDERLY + CHILDREN + TAX + OKUYAMI) <= set(catalog.forms)
    assert set(BUNDLES) <= set(catalog.bundles)
    assert len(catalog.forms) >= 40
    assert len(catalog.bundles) >= 8
    assert catalog.errors() == []


def test_catalog__bundled__labels_one_item_the_same_in_every_form(catalog: FormCatalog) -> None:
    assert [str(i) for i in catalog.issues if i.code is IssueCode.INCONSISTENT_LABEL] == []


def test_catalog__every_procedure__names_department_counter_and_legal_form(
        catalog: FormCatalog) -> None:
    lacking = [f.id for f in _all_forms(catalog)
               if not (f.department.get("ja") and f.counter and f.service and f.legal_form)]
    assert lacking == []


def test_catalog__every_fee__names_its_ordinance_and_waits_for_confirmation(
        catalog: FormCatalog) -> None:
    fees = [(f.id, fee) for f in _all_forms(catalog) for fee in f.fees]
    assert len(fees) >= 12
    assert [fid for fid, fee in fees if "条例" not in fee.basis and "機構" not in fee.basis] == []
    assert [fid for fid, fee in fees if fee.confirmed] == []


def test_card_pin__form__never_asks_the_pin_itself(catalog: FormCatalog) -> None:
    form = catalog.form("card_pin")
    answered = [f.id for _, f in form.walk_fields() if f.type.holds_value]
    assert [name for name in answered
            if name.startswith("pin") and name not in {"pin_kinds", "pin_reason"}] == []
    assert "pin_pad_note" in {f.id for f in form.fields}


def test_bundle_card__locked_pin__sends_to_the_pin_reset(catalog: FormCatalog) -> None:
    applicable = applicable_procedures(catalog.bundles["bundle_card"], {"pin_locked": True},
                                       today=TODAY)
    assert [a.procedure for a in applicable] == ["card_pin"]


def test_bundle_shibou__every_answer_yes__lists_each_procedure_once_with_a_reason(
        catalog: FormCatalog) -> None:
    bundle = catalog.bundles["bundle_shibou"]
    answers = {q.id: True for q in bundle.questions}

    applicable = applicable_procedures(bundle, answers, today=TODAY)

    names = [a.procedure for a in applicable]
    assert len(bundle.questions) >= 25
    assert len(names) == len(set(names)) >= 25
    assert set(names) <= set(catalog.forms)
    assert [a.procedure for a in applicable if a.reason.missing()] == []


@pytest.mark.parametrize(("answers", "expected"), [
    ({}, []),
    ({"deceased_kokuho": True}, ["kokuho"]),
    ({"deceased_kokuho": True, "held_funeral": True}, ["kokuho", "kokuho_sousai"]),
    ({"was_head": True}, []),
    ({"was_head": True, "two_or_more_remain": True}, ["setainushi_henkou"]),
    ({"farmland": True, "city_grave": True}, ["nochi_sozoku", "bochi_meigi"]),
])
def test_bundle_shibou__answers__choose_procedures(catalog: FormCatalog, answers: dict[str, bool],
                                                   expected: list[str]) -> None:
    applicable = applicable_procedures(catalog.bundles["bundle_shibou"], answers, today=TODAY)
    assert [a.procedure for a in applicable] == expected


def test_okuyami_forms__deceased_fields__are_taken_over_from_the_visit(
        catalog: FormCatalog) -> None:
    forms = [f for f in _all_forms(catalog) if "deceased_name" in visit_prefills(f)]
    sources = visit_sources({"deceased_name": "登米\u3000一郎", "deceased_death_date":
                             date(2026, 5, 20), "unused": ""})

    assert len(forms) >= 6
    for form in forms:
        session = FormSession(form, sources, today=TODAY)
        assert session.value("deceased_name") == "登米\u3000一郎"
    assert "visit.unused" not in sources


def _form(department: str, bring: str = "") -> str:
    return (f"kind: procedure\nid: p\nversion: 1.0.0\ntitle: {L}\ndepartment: {department}\n"
            f"counter: '1'\nservice: A\n{bring}fields:\n  - {{id: a, type: text, label: {L}}}\n")


def test_common_texts__use__resolves_to_the_shared_text() -> None:
    common = CommonLibrary(texts={"dept": {"ja": "市民課", "en": "Citizens"}},
                           bring={"id_document": {"label": {"ja": "本人確認書類"}}})
    form, _ = load_text(_form("{use: dept}", "bring:\n  - {use: id_document, when: 'a == 1'}\n"),
                        common=common)
    assert isinstance(form, FormDefinition)
    assert form.department.texts == {"ja": "市民課", "en": "Citizens"}
    assert [(b.id, b.label.get("ja"), b.when is not None) for b in form.bring] == [
        ("id_document", "本人確認書類", True)]


@pytest.mark.parametrize("text", [
    _form("{use: nothing}"),
    _form(L, "bring:\n  - {use: nothing}\n"),
])
def test_common_texts__unknown_use__is_reported_f033(text: str) -> None:
    _, issues = load_text(text, common=CommonLibrary())
    assert IssueCode.UNKNOWN_COMMON in {issue.code for issue in issues}
