"""Furigana mode on the tablet: the toggle, readings above kanji on labels and buttons, readings
for texts without markup from the reading port, and no clipping at 200 % with readings shown."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.services.visit import Stage
from kiosk.ui.citizen.tablet import CitizenTablet
from kiosk.ui.citizen.tablet_factory import make_visit
from kiosk.ui.citizen.tour import tour
from kiosk.ui.common.picture_button import PictureButton
from kiosk.ui.common.pilot import KioskPilot
from kiosk.ui.common.ruby_label import RubyLabel
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL, contrast_ratio
from kiosk.ui.common.touch_size import min_target_px

pytestmark = pytest.mark.gui


def _readings(tablet) -> dict[str, str]:
    """Every reading drawn on the visible screen (labels and buttons): base -> reading."""
    found: dict[str, str] = {}
    for widget in tablet.findChildren(QLabel) + tablet.findChildren(PictureButton):
        if widget.isVisibleTo(tablet) and hasattr(widget, "readings"):
            found.update(widget.readings())
    return found


def _braces(tablet) -> list[str]:
    return [w.text() for w in tablet.findChildren(QLabel) + tablet.findChildren(QAbstractButton)
            if w.isVisibleTo(tablet) and ("{" in w.text() or "|" in w.text())]


def test_furigana_button__language__shown_for_japanese_only(make_kiosk):
    kiosk = make_kiosk()
    shown = {}
    for code in ("ja", "ja@easy", "en", "vi", "zh_Hans"):
        kiosk.tablet.visit.set_language(code)
        shown[code] = kiosk.pilot.exists("furigana")

    assert shown == {"ja": True, "ja@easy": True, "en": False, "vi": False, "zh_Hans": False}


def test_furigana__ja_tap_on_then_off__readings_shown_then_gone(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("ja")
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    before = _readings(kiosk.tablet)

    kiosk.pilot.tap("furigana")
    during = _readings(kiosk.tablet)
    text_during = kiosk.pilot.text("furigana")
    kiosk.pilot.tap("furigana")
    after = _readings(kiosk.tablet)

    assert before == {}
    assert after == {}
    assert during["本日"] == "ほんじつ"
    assert during["出来事"] == "できごと"
    assert text_during == "ふりがな：あり"
    assert kiosk.pilot.text("furigana") == "ふりがな：なし"
    assert _braces(kiosk.tablet) == []


def test_furigana__ja_easy__on_by_default_with_the_forms_readings_on_buttons(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("ja@easy")
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)

    button = kiosk.pilot.find("procedure-juminhyo")

    assert kiosk.tablet.furigana.on
    assert isinstance(button, PictureButton)
    assert button.readings() == [("住民票", "じゅうみんひょう")]
    assert button.text() == "住民票の うつしを もらう"
    assert ("住民票の うつしを もらう", False) in kiosk.tablet.current_screen().script()


def test_furigana__chinese__never_reads_hanzi_as_japanese(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("ja@easy")
    kiosk.tablet.visit.set_language("zh_Hans")
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)

    assert not kiosk.tablet.furigana.on
    assert _readings(kiosk.tablet) == {}


def test_furigana__visit_ends__the_next_citizen_starts_without_it(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("ja")
    kiosk.pilot.tap("furigana")
    assert kiosk.tablet.furigana.on

    kiosk.tablet.visit.end("finished")
    kiosk.pilot.settle()

    assert not kiosk.tablet.furigana.on


@dataclass
class RecordingReadings:
    """A ReadingProposer test double: a fixed dictionary, and the words it was asked."""

    words: dict[str, str]
    asked: list[str] = field(default_factory=list)

    def propose(self, name: str) -> str | None:
        self.asked.append(name)
        return self.words.get(name)


@pytest.fixture
def tablet_with_readings(make_kiosk, qtbot):
    kiosk = make_kiosk()     # services and the simulated card; a second tablet on them
    readings = RecordingReadings({"市民課": "シミンカ", "税務課": "ゼイムカ"})
    visit = make_visit(kiosk.services)
    tablet = CitizenTablet(visit, kiosk.services.events, languages=("ja", "ja@easy", "en"),
                           target=min_target_px(96), readings=readings)
    qtbot.addWidget(tablet)
    tablet.resize(800, 1280)
    tablet.show()
    return tablet, KioskPilot(tablet), readings


def test_furigana__text_without_markup__reads_it_with_the_port_only_when_on(tablet_with_readings):
    tablet, pilot, readings = tablet_with_readings
    tablet.visit.set_language("ja")
    pilot.tap("start")
    asked_while_off = list(readings.asked)

    pilot.tap("furigana")

    assert asked_while_off == []
    assert _readings(tablet)["市民課"] == "しみんか"
    assert _readings(tablet)["税務課"] == "ぜいむか"


def test_furigana__same_text_twice__is_looked_up_once(tablet_with_readings):
    tablet, pilot, readings = tablet_with_readings
    tablet.visit.set_language("ja")
    pilot.tap("start")
    pilot.tap("furigana")
    first = len(readings.asked)

    pilot.tap("procedure-juminhyo")    # the screen is built again with the same texts

    assert len(readings.asked) == first


def test_furigana__personal_answers__are_never_looked_up(tablet_with_readings):
    tablet, pilot, readings = tablet_with_readings
    tablet.visit.set_language("ja")
    pilot.tap("furigana")
    shown = []
    for name in tour(tablet, pilot):     # with the card of 試験　花子, 東京都千代田区霞が関…
        shown.append(name)
        if name.endswith("review"):
            break

    assert shown[-1].endswith("review")
    assert "試験　花子" in [line.value for _title, lines in tablet.visit.summary.review()
                        for line in lines]
    assert [word for word in readings.asked
            if any(part in word for part in ("試験", "花子", "千代田", "霞"))] == []


# ---------------------------------------------------------------- accessibility with readings
def _clipping(tablet, minimum: int) -> list[str]:
    problems = []
    for button in (b for b in tablet.findChildren(QAbstractButton) if b.isVisibleTo(tablet)):
        room = button.label_width() if isinstance(button, PictureButton) else \
            button.contentsRect().width()
        advance = max((QFontMetrics(button.font()).horizontalAdvance(line)
                       for line in QAbstractButton.text(button).splitlines()), default=0)
        if advance > room or min(button.width(), button.height()) < minimum:
            problems.append(f"button {button.objectName()} {button.width()}x{button.height()}")
        if button.height() < button.heightForWidth(button.width()) - 1:
            problems.append(f"short button {button.objectName()}")
    for label in (w for w in tablet.findChildren(QLabel) if w.isVisibleTo(tablet)):
        if label.wordWrap() and label.text() and \
                label.heightForWidth(label.width()) > label.height() + 1:
            problems.append(f"clipped label {label.text()[:20]!r}")
        if isinstance(label, RubyLabel) and label.minimumSizeHint().width() > label.width():
            problems.append(f"narrow label {label.text()[:20]!r}")
    return problems


@pytest.mark.parametrize("language", ["ja", "ja@easy"])
@pytest.mark.parametrize("scale", [100, 200])
def test_every_screen__furigana_at_scale__no_clipping(make_kiosk, language, scale):
    kiosk = make_kiosk(text_scale=scale)
    kiosk.tablet.visit.set_language(language)
    kiosk.pilot.settle()
    if not kiosk.tablet.furigana.on:
        kiosk.pilot.tap("furigana")
    found, modes = {}, []
    with_readings = 0

    for name in tour(kiosk.tablet, kiosk.pilot):
        kiosk.pilot.settle()
        found[name] = _clipping(kiosk.tablet, min_target_px(96))
        with_readings += bool(_readings(kiosk.tablet))
        modes.append(kiosk.tablet.furigana.on)

    assert all(modes[:-1])      # the tour's last screen may be after the visit's end
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert with_readings >= 2     # やさしい日本語 is written in kana: few kanji to read


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=["normal", "high-contrast"])
def test_ruby_label__theme__readings_drawn_in_a_contrasting_colour(make_kiosk, theme):
    kiosk = make_kiosk(high_contrast=theme is HIGH_CONTRAST)
    kiosk.tablet.visit.set_language("ja@easy")
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    buttons = [w for w in kiosk.tablet.findChildren(PictureButton) if w.isVisibleTo(kiosk.tablet)
               and w.readings()]
    labels = [w for w in kiosk.tablet.findChildren(RubyLabel) if w.isVisibleTo(kiosk.tablet)]

    pairs = [(b._text_colour().name(), b.palette().color(QPalette.ColorRole.Button).name())
             for b in buttons]
    pairs += [(w.palette().color(w.foregroundRole()).name(),
               w.palette().color(QPalette.ColorRole.Window).name()) for w in labels]

    assert buttons
    assert pairs
    assert min(contrast_ratio(*pair) for pair in pairs) >= 4.5
