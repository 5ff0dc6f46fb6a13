"""The errors the clerk's review shows are in the usage log, once each; the clerk's input is not.

(A failed print: see test_review_usage.py.)
"""

from __future__ import annotations

import pytest

from kiosk.audit import ErrorOccurred, ListUsage
from kiosk.services.review import ReviewError
from kiosk.storage.engine import DatabaseUnavailableError


def _errors(usage: ListUsage) -> list[ErrorOccurred]:
    return [event for event in usage.events if isinstance(event, ErrorOccurred)]


def _down(*_args, **_kwargs):
    raise DatabaseUnavailableError("The database cannot be reached.")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review__database_down_on_open__records_one_error(world, monkeypatch):
    usage = ListUsage()
    world.services.review.usage = usage
    monkeypatch.setattr(world.services.storage.applications, "get", _down)

    with pytest.raises(DatabaseUnavailableError):
        world.services.review.open(world.application_id, world.services.storage.staff.list()[0])

    assert _errors(usage) == [ErrorOccurred(where="review.open", error="DatabaseUnavailableError")]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review__clerk_input_refused__is_no_error(world):
    usage = ListUsage()
    world.services.review.usage = usage
    review = world.services.review.open(world.application_id,
                                        world.services.storage.staff.list()[0])

    with pytest.raises(ReviewError):
        review.edit("copies", 2, reason="  ")
    with pytest.raises(ReviewError):
        review.print_form()              # not approved yet

    assert _errors(usage) == []
