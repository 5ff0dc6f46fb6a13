"""The signature pad at the end of the check screen, driven by the pilot's finger."""

from __future__ import annotations

import pytest

from kiosk.domain.signature import SIGNATURE_KEY, record_from_text
from kiosk.services.visit import Stage
from kiosk.ui.citizen.tour import answer_current

pytestmark = pytest.mark.gui

# A name in two strokes across the box (fractions of the pad's width and height).
NAME = [[(0.10, 0.50), (0.18, 0.30), (0.26, 0.62), (0.34, 0.35), (0.42, 0.60)],
        [(0.50, 0.40), (0.60, 0.55), (0.72, 0.30), (0.85, 0.58)]]
OTHER = [[(0.15, 0.60), (0.45, 0.25), (0.80, 0.65)]]
TAP = [[(0.50, 0.50)]]
DASH = [[(0.50, 0.50), (0.53, 0.50)]]


def _to_review(kiosk) -> None:
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    kiosk.pilot.tap("procedure-juminhyo")
    kiosk.pilot.tap("next")
    kiosk.wait_for(Stage.IDENTIFY)
    kiosk.pilot.tap("no-card")
    kiosk.wait_for(Stage.FORMS)
    while kiosk.stage is Stage.FORMS:
        answer_current(kiosk.tablet, kiosk.pilot)
    kiosk.wait_for(Stage.REVIEW)


def _stored(kiosk):
    ids = kiosk.tablet.visit.ticket.application_ids
    services = kiosk.services
    return services.storage.applications.get(int(ids[0]), services.review.sealer).answers


def test_signature_pad__name_drawn__sealed_with_the_application(make_kiosk):
    kiosk = make_kiosk()
    _to_review(kiosk)
    assert kiosk.pilot.exists("signature-canvas")

    kiosk.pilot.draw("signature-canvas", NAME)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    record = record_from_text(_stored(kiosk)[SIGNATURE_KEY].value)
    assert len(record.signature.strokes) == 2
    assert record.signature.has_enough_ink()
    assert record.png.startswith(b"\x89PNG")
    times = [t for stroke in record.signature.strokes for _, _, t in stroke.points]
    assert times == sorted(times)


@pytest.mark.parametrize("strokes", [TAP, DASH], ids=["tap", "dash"])
def test_signature_pad__too_little_ink__refused_with_message(make_kiosk, strokes):
    kiosk = make_kiosk(voice=False)
    _to_review(kiosk)

    kiosk.pilot.draw("signature-canvas", strokes)
    kiosk.pilot.tap("submit-noslip")

    assert kiosk.stage is Stage.REVIEW
    assert "短すぎます" in kiosk.pilot.text("error")
    assert kiosk.tablet.visit.ticket is None


def test_signature_pad__clear_then_redo__only_second_signature_kept(make_kiosk):
    kiosk = make_kiosk()
    _to_review(kiosk)

    kiosk.pilot.draw("signature-canvas", NAME)
    kiosk.pilot.tap("signature-clear")
    assert kiosk.tablet.visit.signature.is_empty
    kiosk.pilot.draw("signature-canvas", OTHER)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    record = record_from_text(_stored(kiosk)[SIGNATURE_KEY].value)
    assert len(record.signature.strokes) == 1


def test_signature_pad__tap_refused_then_cleared__submits_for_paper(make_kiosk):
    kiosk = make_kiosk()
    _to_review(kiosk)
    kiosk.pilot.draw("signature-canvas", TAP)
    kiosk.pilot.tap("submit-noslip")
    assert kiosk.stage is Stage.REVIEW

    kiosk.pilot.tap("signature-clear")
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    assert SIGNATURE_KEY not in _stored(kiosk)


def test_signature_pad__drawing__nothing_moves_and_sign_here_in_language(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("vi")
    _to_review(kiosk)
    canvas = kiosk.pilot.find("signature-canvas")
    before = canvas.mapTo(kiosk.tablet, canvas.rect().topLeft()), canvas.size()
    heading = kiosk.pilot.text("signature-heading")

    kiosk.pilot.draw("signature-canvas", NAME[:1])

    assert kiosk.pilot.find("signature-canvas") is canvas       # not rebuilt under the finger
    assert (canvas.mapTo(kiosk.tablet, canvas.rect().topLeft()), canvas.size()) == before
    assert heading == "Chữ ký của bạn"
    assert any("Ký" in line for line, _ in kiosk.tablet.screens[Stage.REVIEW].script())
