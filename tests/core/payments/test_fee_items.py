"""Itemised fees come from the forms' fee table, with the ordinance article."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.fee_items import fee_items, items_total
from kiosk.procedures.sample import sample_session

CATALOG = load_catalog()


def _session(form_id: str, **answers: object):
    session = sample_session(CATALOG.form(form_id), today=date(2026, 12, 5))
    for field_id, value in answers.items():
        session.set(field_id, value)
    return session


@pytest.mark.parametrize(("form_id", "answers", "expected"), [
    ("juminhyo", {"copies": 3}, [("juminhyo", 300, 3)]),
    ("inkan_shomei", {"copies": 1}, [("inkan_shomei", 300, 1)]),
    ("koseki", {"copies_zenbu": 2, "copies_kojin": 0, "copies_joseki": 1},
     [("zenbu", 450, 2), ("joseki", 750, 1)]),
    ("denshi_shomei", {"cert_reason": "reissue", "cert_kinds": ["signature", "user"]},
     [("reissue", 200, 2)]),
    ("denshi_shomei", {"cert_reason": "renewal", "cert_kinds": ["signature", "user"]}, []),
    ("bochi_meigi", {}, []),                                  # 0 yen: no item
])
def test_fee_items__answers__unit_amount_times_quantity(form_id, answers, expected):
    items = fee_items(_session(form_id, **answers))
    assert [(item.kind, item.unit_amount, item.quantity) for item in items] == expected


@pytest.mark.parametrize("form_id", sorted(f.id for f in CATALOG.forms.values() if f.fees))
def test_fee_items__every_form_with_fees__items_add_up_to_the_tablets_total(form_id):
    session = _session(form_id)
    items = fee_items(session)
    assert items_total(items) == session.total_fee()
    assert all(item.basis for item in items)          # every amount names its ordinance


def test_fee_items__denshi_shomei__charged_per_certificate():
    assert CATALOG.form("denshi_shomei").fee("reissue").per == "copy"
