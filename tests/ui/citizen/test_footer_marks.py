"""The footer's marks as the design draws them: "‹" before a way back, "›" after a step
forward, a tick before the last-try confirmation, none on a declaration or at the end; drawn
in the button's own colour, on the side the design puts them; and left out where the mark
would cost the label a line (the footer keeps its height at large text)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from kiosk.services.visit import Stage
from kiosk.ui.citizen.tour import DEMO_PIN, answer_current
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL

pytestmark = pytest.mark.gui


def _colour_columns(button, colour: str) -> list[int]:
    """The x of every column of ``button`` that has a pixel of ``colour`` inside its border."""
    image = button.grab().toImage()
    border = 6
    return [x for x in range(border, image.width() - border)
            if any(QColor(image.pixel(x, y)).name() == colour.lower()
                   for y in range(border, image.height() - border, 2))]


def _mark_side(button, colour: str) -> str:
    """Where the drawing in ``colour`` has a lone part apart from the rest ("before" or
    "after" the label), or "none" when it is one run of columns (the label alone)."""
    columns = _colour_columns(button, colour)
    assert columns, f"nothing drawn in {colour} on {button.objectName()}"
    runs: list[list[int]] = [[columns[0]]]
    for x in columns[1:]:
        if x - runs[-1][-1] > 7:        # a gap wider than between two characters
            runs.append([x])
        else:
            runs[-1].append(x)
    if len(runs) < 2:
        return "none"
    first, last = runs[0], runs[-1]
    # The mark is the narrow run at one end (a chevron or tick is under 32 px wide).
    if last[-1] - last[0] < 32 and len(runs[-1]) < len(runs[0]):
        return "after"
    if first[-1] - first[0] < 32:
        return "before"
    return "none"


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_footer__welcome_choose_pin_review_ticket__marks_as_designed(make_kiosk, high_contrast):
    kiosk = make_kiosk(high_contrast=high_contrast)
    theme = HIGH_CONTRAST if high_contrast else NORMAL
    footer = kiosk.tablet.footer
    seen: dict[str, tuple[str, str]] = {}

    def look(label: str) -> None:
        kiosk.pilot.settle()
        back = _mark_side(footer.back, theme.outline) if footer.back.isVisible() else "-"
        colour = theme.accent_text if footer.forward.isEnabled() else theme.disabled_text
        forward = _mark_side(footer.forward, colour) if footer.forward.isVisible() else "-"
        seen[label] = (back, forward)

    look("welcome")
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    look("choose, nothing chosen")
    kiosk.pilot.tap("procedure-juminhyo")
    kiosk.pilot.tap("next")
    kiosk.wait_for(Stage.IDENTIFY)
    kiosk.pilot.tap("use-card")
    kiosk.pilot.tap_keys("key-", DEMO_PIN)
    look("PIN typed")
    kiosk.pilot.tap("pin-ok")
    kiosk.wait_for(Stage.FORMS)
    look("question")
    while kiosk.stage is Stage.FORMS:
        answer_current(kiosk.tablet, kiosk.pilot)
    kiosk.wait_for(Stage.REVIEW)
    look("review")

    assert seen == {
        "welcome": ("-", "after"),
        "choose, nothing chosen": ("before", "after"),   # Next disabled: its mark greyed too
        "PIN typed": ("before", "after"),
        "question": ("before", "after"),
        "review": ("before", "none"),                     # the declaration has no mark
    }


def test_footer__last_pin_try__tick_before_the_confirmation(make_kiosk):
    kiosk = make_kiosk(person="last_try")       # a card with one PIN try left
    kiosk.to_pin_pad()
    kiosk.pilot.tap_keys("key-", "1357")
    kiosk.pilot.tap("pin-ok")                    # asks before spending the last try
    kiosk.pilot.settle()
    footer = kiosk.tablet.footer

    assert footer.forward.objectName() == "last-try-confirm"
    assert _mark_side(footer.forward, NORMAL.accent_text) == "before"
    assert _mark_side(footer.back, NORMAL.outline) == "none"    # "enter the PIN again"


def test_footer__mark_would_cost_a_line__left_out_and_the_height_kept(make_kiosk):
    kiosk = make_kiosk(text_scale=200)
    footer = kiosk.tablet.footer
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    kiosk.pilot.settle()
    width = footer.forward.width()
    # The longest label of one line without a mark: any mark (a letter wide at least) would
    # push its last letter to a second line.
    label = "次"
    while footer.forward.lines_for(label + "次", width, icon_room=0) == 1:
        label += "次"
    height = footer.height()

    footer._mark(footer.forward, "forward", label, width)
    footer.forward.setText(label)
    kiosk.pilot.settle()

    assert footer.forward.icon().isNull()
    assert footer.forward.displayed_lines() == [label]
    assert footer.height() == height
