"""The tablet signature as data: ink, what is stored, the image."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.domain.signature import (
    SIGNATURE_KEY,
    Signature,
    SignatureRecord,
    Stroke,
    record_from_text,
    record_to_text,
    stored_record,
)
from kiosk.domain.signature_image import render_png
from kiosk.procedures.sample import sample_signature
from kiosk.services.signature_capture import SignatureCapture, SignatureTooShortError

PAD = (700, 236)


def _stroke(*xy: tuple[int, int]) -> list[tuple[int, int, int]]:
    return [(x, y, i * 10) for i, (x, y) in enumerate(xy)]


@pytest.mark.parametrize(("points", "enough"), [
    ([(350, 118)], False),                                   # a tap
    ([(350, 118), (360, 118)], False),                       # a dash
    ([(300, 50), (300, 230)], False),                        # one short line: too narrow
    ([(50, 150), (150, 60), (250, 170), (400, 80)], True),   # a written name
])
def test_signature_ink__strokes__enough_only_for_a_name(points, enough):
    signature = Signature(*PAD).with_stroke(Stroke(tuple(_stroke(*points))))

    assert signature.has_enough_ink() is enough


def test_signature_record__to_text_and_back__same_strokes_times_and_image():
    signature = sample_signature()
    record = SignatureRecord(signature, render_png(signature))

    back = record_from_text(record_to_text(record))

    assert back.signature == signature
    assert back.png == record.png


@pytest.mark.parametrize("text", ["", "{}", '{"v": 1, "w": 1}', '{"v": 2, "png": ""}', "[1]",
                                  '{"v": 1, "w": 1, "h": 1, "strokes": [], "png": "!!"}'])
def test_signature_record__not_a_record__value_error(text):
    with pytest.raises(ValueError, match="not a stored signature"):
        record_from_text(text)


def test_stored_record__damaged_answer__none_so_paper_is_signed():
    class Stored:
        value = "not json"

    assert stored_record({SIGNATURE_KEY: Stored()}) is None
    assert stored_record({}) is None


def test_render_png__sample__greyscale_without_alpha_with_ink():
    image = Image.open(io.BytesIO(render_png(sample_signature())))

    assert image.mode == "L"
    assert image.getextrema() == (0, 255)        # black ink on white


def test_signature_repr__strokes__no_coordinates():
    signature = sample_signature()

    assert "118" not in repr(signature)
    assert "strokes" in repr(signature)


def test_capture__tap__refused_on_check():
    capture = SignatureCapture()
    capture.add_stroke(_stroke((350, 118)), *PAD)

    with pytest.raises(SignatureTooShortError):
        capture.check()
    assert capture.answer() is None


def test_capture__empty__passes_and_nothing_stored():
    capture = SignatureCapture()

    capture.check()

    assert capture.answer() is None


def test_capture__name_then_clear__empty_again():
    capture = SignatureCapture()
    capture.add_stroke(_stroke((50, 150), (150, 60), (250, 170), (400, 80)), *PAD)
    assert capture.answer() is not None

    capture.clear()

    assert capture.is_empty
    assert capture.answer() is None


def test_capture__pad_of_another_size__starts_afresh():
    capture = SignatureCapture()
    capture.add_stroke(_stroke((50, 150), (150, 60)), *PAD)
    capture.add_stroke(_stroke((10, 10), (20, 20)), 500, 200)

    assert capture.signature is not None
    assert len(capture.signature.strokes) == 1
    assert capture.signature.width == 500


def test_visit_end__signed__signature_dropped_with_the_visit():
    from kiosk.events import EventBus
    from kiosk.services.visit import Visit

    visit = Visit(EventBus(), "ja")
    visit.signature.add_stroke(_stroke((50, 150), (150, 60), (250, 170), (400, 80)), *PAD)

    visit.end()

    assert visit.signature.is_empty
