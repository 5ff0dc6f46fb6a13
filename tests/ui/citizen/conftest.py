"""``make_kiosk``: the citizen tablet on the simulated card and a real SQLite, with a pilot."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from devices.smartcard.simulated_card import SimulatedMyNumberCard, SimulatedSlot, load_person
from kiosk.app import Services, build_services
from kiosk.config import Config, RemoteConfig, WebConfig, load_config
from kiosk.doctor import Check, Status
from kiosk.services.visit import Stage
from kiosk.ui.citizen.tablet import CitizenTablet
from kiosk.ui.citizen.tablet_factory import make_tablet
from kiosk.ui.common.pilot import KioskPilot


@dataclass
class RecordingSpeaker:
    """A Speaker test double that records what it was asked to say."""

    said: list[tuple[str, str]] = field(default_factory=list)

    def say(self, text: str, language: str) -> None:
        self.said.append((language, text))

    def probe(self) -> list[Check]:
        return [Check("speech", Status.OK, "recording")]


@dataclass
class Kiosk:
    """What a test drives: the services, the tablet, its pilot, the card slot, the speaker."""

    services: Services
    tablet: CitizenTablet
    pilot: KioskPilot
    slot: SimulatedSlot
    speaker: RecordingSpeaker

    @property
    def stage(self) -> Stage:
        return self.tablet.visit.stage

    def wait_for(self, stage: Stage) -> None:
        self.pilot.wait_until(lambda: self.stage is stage
                              and self.tablet.stack.currentWidget().objectName()
                              == f"page-{stage.value}", f"screen {stage.value}")

    def insert(self, person: str) -> None:
        self.slot.insert(SimulatedMyNumberCard(load_person(person)))

    def to_pin_pad(self) -> None:
        """From the Welcome to the PIN pad: 住民票, then the card, in the visit's language."""
        self.to_identify(language=self.tablet.visit.language)
        self.pilot.tap("use-card")

    def to_review_with_card(self) -> None:
        """From the Welcome to the check screen: 住民票, the card and its PIN, every answer, in
        the visit's language."""
        self.to_review(language=self.tablet.visit.language)

    def to_identify(self, procedure: str = "juminhyo", language: str = "ja") -> None:
        """From Welcome to the card question, ``procedure`` chosen, in ``language``."""
        self.tablet.visit.set_language(language)
        self.pilot.tap("start")
        self.wait_for(Stage.CHOOSE)
        self.pilot.tap(f"procedure-{procedure}")
        self.pilot.tap("next")
        self.wait_for(Stage.IDENTIFY)

    def to_review(self, language: str = "ja") -> None:
        """住民票の写し with the test person's card (PIN 1234), every question answered."""
        from kiosk.ui.citizen.tour import DEMO_PIN, answer_current

        self.to_identify(language=language)
        self.pilot.tap("use-card")
        self.pilot.tap_keys("key-", DEMO_PIN)
        self.pilot.tap("pin-ok")
        self.wait_for(Stage.FORMS)
        while self.stage is Stage.FORMS:
            answer_current(self.tablet, self.pilot)
        self.wait_for(Stage.REVIEW)


@pytest.fixture
def config(tmp_path) -> Config:
    """The demo device's configuration on a data folder of the test's, speech off."""
    return load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
                                      "KIOSK_UI_SCREEN_DPI": "96", "KIOSK_SPEECH_KIND": "off"})


@pytest.fixture
def make_kiosk(qtbot, tmp_path):
    built: list[Services] = []

    def make(*, person: str = "plain", text_scale: int = 100, high_contrast: bool = False,
             headset: bool = False, voice: bool = True, idle_timeout_s: int = 120,
             size: tuple[int, int] = (800, 1280), issuer_ca_key: str = "",
             web: WebConfig | None = None, remote: RemoteConfig | None = None) -> Kiosk:
        config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
                                            "KIOSK_UI_SCREEN_DPI": "96"})
        config = replace(config, card=replace(config.card, person=person,
                                              issuer_ca_key=issuer_ca_key),
                         speech=replace(config.speech, headset=headset),
                         ui=replace(config.ui, idle_timeout_s=idle_timeout_s),
                         web=web or config.web, remote=remote or config.remote)
        services = build_services(config, demo=True)
        built.append(services)
        speaker = RecordingSpeaker()
        services.speaker = speaker  # type: ignore[attr-defined]
        tablet = make_tablet(services, text_scale=text_scale, high_contrast=high_contrast)
        tablet.visit.voice.enabled = voice
        qtbot.addWidget(tablet)
        tablet.resize(*size)
        tablet.show()
        slot = services.identity_reader.slot  # type: ignore[attr-defined]
        return Kiosk(services, tablet, KioskPilot(tablet), slot, speaker)

    yield make
    for services in built:
        services.close()


@pytest.fixture
def pictures(tmp_path) -> Path:
    """The folder a test's tablet keeps its Welcome's picture in."""
    return tmp_path / "data" / "start-up"


@pytest.fixture
def tap_picture(qtbot):
    """Tap a button of a Welcome picture window by name, at its middle."""

    def tap(window, name: str) -> None:
        x, y, width, height = window.picture.buttons[name]
        qtbot.mouseClick(window, Qt.MouseButton.LeftButton,
                         pos=QPoint(x + width // 2, y + height // 2))

    return tap
