"""The clerk's review writes the usage log: views, corrections and prints, with ids only."""

from __future__ import annotations

import pytest

from kiosk.audit import (
    ApplicationActed,
    ClerkEdited,
    ClerkViewed,
    ErrorOccurred,
    ListUsage,
    PrintDone,
)
from kiosk.errors import DeviceError


class _BrokenPrinter:
    def print_pdf(self, pdf, *, title, copies=1):
        raise DeviceError("The printer could not print: {reason}", reason="paper jam")

    def probe(self):
        return []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review__view_correct_print__records_ids_and_counts(world):
    usage = ListUsage()
    world.services.review.usage = usage
    staff = world.services.storage.staff.list()[0]

    review = world.services.review.open(world.application_id, staff)
    review.edit("copies", 2, reason="窓口で確認")
    review.approve()
    review.print_form()
    review.finish()

    assert usage.events == [
        ClerkViewed(staff=staff.id, application=world.application_id),
        ClerkEdited(staff=staff.id, application=world.application_id, fields=1),
        ApplicationActed(staff.id, world.application_id, "approved"),
        PrintDone(kind="form", ok=True, pages=1),
        ApplicationActed(staff.id, world.application_id, "finished"),
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review__returned_to_the_citizen__records_the_action_and_reason_key(world):
    usage = ListUsage()
    world.services.review.usage = usage
    staff = world.services.storage.staff.list()[0]

    review = world.services.review.open(world.application_id, staff)
    review.send_back("document_needed")

    assert usage.events[-1] == ApplicationActed(staff.id, world.application_id, "returned",
                                                "document_needed")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review__printer_fails__records_the_failure_without_its_message(world):
    usage = ListUsage()
    world.services.review.usage = usage
    world.services.review.printer = _BrokenPrinter()
    review = world.services.review.open(world.application_id,
                                        world.services.storage.staff.list()[0])
    review.approve()

    with pytest.raises(DeviceError):
        review.print_form()

    # The failed print for the paper figures, and the one error the clerk was shown.
    assert usage.events[-2:] == [
        PrintDone(kind="form", ok=False, pages=0, reason="device_error"),
        ErrorOccurred(where="review.print", error="DeviceError")]
