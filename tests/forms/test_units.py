"""A number reads with its unit in the form the count takes ("1 copy", not "1 copies")."""

from __future__ import annotations

import pytest

from kiosk.procedures.units import with_unit


@pytest.mark.parametrize(("shown", "count", "unit", "expected"), [
    ("1", 1, "copy|copies", "1 copy"),
    ("2", 2, "copy|copies", "2 copies"),
    ("0", 0, "copy|copies", "0 copies"),
    ("1,000", 1000, "property|properties", "1,000 properties"),
    ("1", 1, "通", "1 通"),
    ("3", 3, "bản", "3 bản"),
    ("1", "1", "copy|copies", "1 copy"),
])
def test_with_unit__count__singular_for_one_else_plural(shown, count, unit, expected):
    assert with_unit(shown, count, unit) == expected


def test_bundled_forms__english_units__one_and_many_never_the_same_plural(catalog):
    # Every English unit of a counted thing says how one reads: "1 copies" was on the check
    # screen. Yen do not change.
    units = {item.unit.get("en") for form in catalog.forms.values()
             for _path, item in form.walk_fields() if item.unit is not None}
    assert sorted(unit for unit in units if "|" not in unit and unit.endswith("s")) == []
