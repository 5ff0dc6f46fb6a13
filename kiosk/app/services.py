"""The :class:`Services` object: what a front end gets from the composition root.

Services hands the front ends use cases (``staff_service``, ``counter_desk``, ``new_visit``
...), never the stores, and starts and stops the device's background threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.app.adapters import build_renderer
from kiosk.app.background import Startable, background_jobs
from kiosk.audit.code_names import CodeNames
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.config import Config
from kiosk.domain.remote import RemoteTicket
from kiosk.domain.staff import StaffMember
from kiosk.events import EventBus
from kiosk.ports import (
    Captioner,
    Clock,
    Closable,
    IdentityReader,
    Printer,
    ReadingProposer,
    RemoteCall,
    Speaker,
    Translator,
    Warmable,
)
from kiosk.procedures.catalog import FormCatalog
from kiosk.services.applications import SubmissionService
from kiosk.services.callout import CALLING_STATES, Announcer
from kiosk.services.conversation import Conversation
from kiosk.services.counter_desk import CounterDesk, DayFigure, day_figures
from kiosk.services.payments import PaymentService
from kiosk.services.queue import QueueService
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.services.reservations import ReservationDesk
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.review import ReviewService
from kiosk.services.staff import StaffService, login_policy
from kiosk.services.stepped_out import SteppedOut
from kiosk.services.ticket_slip import SlipPrinters, slip_printer
from kiosk.services.visit import Visit
from kiosk.services.visitor_speech import VisitorSpeech
from kiosk.storage.database import Storage

if TYPE_CHECKING:
    # Types only: a device without [export] or notifiers starts without their modules.
    from kiosk.app.call_captions import RemoteCaptionsFactory
    from kiosk.services.handover import HandoverService
    from kiosk.services.turn_alerts import TurnAlerts


@dataclass
class Services:
    """Everything a front end needs, built once at start-up and passed down explicitly."""

    config: Config
    events: EventBus
    clock: Clock
    printer: Printer
    identity_reader: IdentityReader
    storage: Storage
    queue: QueueService
    submissions: SubmissionService
    forms: FormCatalog
    speaker: Speaker
    review: ReviewService
    demo: bool = False
    translator: Translator | None = None     # None: no translation pack installed
    captioner: Captioner | None = None       # None: captions off or no speech model installed
    usage: UsageRecorder = NULL_USAGE         # the device's usage log (kiosk.audit)
    reading: ReadingProposer | None = None   # proposes the reading (フリガナ) of a name
    # The clerk-visitor conversation (captions, typed lines, phrasebook answers) of the visit at
    # this device; wiped with the visit. None only in tests that build Services by hand.
    conversation: Conversation | None = None
    # Visitors who said on the ticket page that they stepped out (pulled from the web host).
    stepped_out: SteppedOut = field(default_factory=SteppedOut)
    turn_alerts: TurnAlerts | None = None    # "your turn is near" (e-mail, LINE), if configured
    payments: PaymentService | None = None   # fees at the counter; None: [payment] kind = none
    handover: HandoverService | None = None  # [export]: approved applications to core systems
    # Resident lookup in the register (clerk PCs); its register is None where none is set.
    resident_lookup: ResidentLookup | None = None
    reservations: ReservationDesk | None = None   # 予約: booked on the web page, checked in here
    # The visitor's microphone (``[models] visitor_microphone``); None: they tap and type.
    visitor_speech: VisitorSpeech | None = None
    # The remote counter (リモート窓口, [remote]): branch requests and the call of an accepted one.
    remote: RemoteCounterDesk | None = None
    open_remote_call: Callable[[RemoteTicket], RemoteCall] | None = None
    # The captions of an opened call (both sides, translated, on both screens): given the
    # ticket, its call and the loudspeaker, it makes the call's conversation and captioners
    # and gives the call its loudspeaker (through the captioner's tap at the main office).
    remote_captions: RemoteCaptionsFactory | None = None
    _background: list[Startable] = field(default_factory=list)

    # ------------------------------------------------------------ use cases of the front ends
    # The screens ask for these and never reach into ``storage`` (a contract in pyproject.toml
    # keeps kiosk.ui from importing kiosk.storage; tests/core/test_layout.py from reading it).
    @property
    def shared_database(self) -> bool:
        """Whether the database is shared by the city's devices (PostgreSQL), not this one's."""
        return self.storage.shared

    def staff_service(self) -> StaffService:
        """Staff logins and accounts, with the configured lockout policy (one per desk)."""
        return StaffService(self.storage.staff, self.usage, login_policy(self.config.staff))

    def counter_desk(self, member: StaffMember) -> CounterDesk:
        """The queue actions of ``member`` at this device's counter, for its services."""
        device = self.config.device
        return CounterDesk(self.queue, self.storage.queue, member, device.counter,
                           device.services)

    def day_figures(self) -> tuple[list[DayFigure], list[DayFigure]]:
        """Today's figures of the queue, per service and per counter (no personal data)."""
        return day_figures(self.storage.queue, self.clock)

    def announcer(self) -> Announcer:
        """The board's call-outs of the tickets being called, in their holders' languages."""
        store, states = self.storage.queue, sorted(CALLING_STATES)
        return Announcer(lambda: store.tickets((), states), self.ticket_languages, self.speaker)

    def new_visit(self) -> Visit:
        """A fresh citizen visit at this tablet, wired to the device's services."""
        config = self.config
        visit = Visit(self.events, config.ui.default_language, forms=self.forms,
                      clock=self.clock, identity_reader=self.identity_reader,
                      queue=self.queue, submissions=self.submissions,
                      speaker=self.speaker, headset=config.speech.headset, usage=self.usage,
                      reading=self.reading,
                      # Reservations need the web page where they are booked ([web] public_url).
                      check_in=self.reservations.check_in
                      if self.reservations is not None and config.web.public_url else None,
                      ask_specialist=self._ask_specialist())
        # Hand-built services (tests) may have no speaker: no voice guidance then.
        visit.voice.enabled = self.speaker is not None and config.speech.kind != "off"
        return visit

    def _ask_specialist(self) -> Callable[[str, str, int | None], object] | None:
        # A branch's tablet asks the main office; the branch's clerk PC takes the call.
        remote, config = self.remote, self.config
        if remote is None or config.remote.side != "branch":
            return None
        branch = config.device.counter
        return lambda service, language, ticket_id: remote.request(service, branch, language,
                                                                   ticket_id)

    def service_names(self) -> list[tuple[str, str]]:
        """The queue's services as ``(code, name)``, in their order (what a ticket is for)."""
        return [(info.code, info.name) for info in self.storage.queue.services()]

    def usage_code_names(self) -> CodeNames:
        """The city's names of the codes its data puts in the usage log (procedures, life
        events, core systems), for the auditor's view of the log."""
        from kiosk.handover.mapping import load_mappings  # noqa: PLC0415 - auditors only

        return CodeNames(
            forms={form_id: form.title.get("ja") for form_id, form in self.forms.forms.items()},
            bundles={bundle_id: bundle.title.get("ja")
                     for bundle_id, bundle in self.forms.bundles.items()},
            systems={system_id: system.name
                     for system_id, system in load_mappings().systems.items()})

    def slip_printer(self) -> SlipPrinters:
        """Prints a ticket slip on this device's printer, in Japanese and the visitor's
        language."""
        # The city hall's name heads the slip (the city's data file names the city).
        from kiosk.services.caption_vocabulary import city_places  # noqa: PLC0415 - when printed

        office = f"{city_places().city}役所"
        return slip_printer(self.printer, build_renderer(), office,
                            self.queue.qr_payload)

    def ticket_languages(self, ticket_id: int) -> list[str]:
        """The languages the ticket's holder applied in (no answers are opened)."""
        return self.storage.applications.languages_for_ticket(ticket_id)

    def ticket_procedures(self, ticket_id: int) -> list[str]:
        """The form ids of the ticket's applications, oldest first, once each."""
        return self.storage.applications.forms_for_ticket(ticket_id)

    def start_background(self, *, warm_up: bool = True) -> None:
        """Start the threads a running front end needs (once, :func:`background_jobs`); with
        ``warm_up`` also :meth:`warm_up` (the tablet calls it itself once its screens are up:
        loading the dictionary would hold the interpreter meanwhile)."""
        if self._background:
            return
        self._background = background_jobs(self)
        for job in self._background:
            job.start()
        if warm_up:
            self.warm_up()

    def warm_up(self) -> None:
        """Load the reading proposer's dictionary on a thread of its own (a quarter of a
        second or more), before a citizen first sees furigana or a name."""
        if self.reading is not None and isinstance(self.reading, Warmable):
            threading.Thread(target=self.reading.warm_up, name="reading-warm-up",
                             daemon=True).start()

    def close(self) -> None:
        """Stop the background threads and release the database connections."""
        for job in reversed(self._background):
            job.stop()
        self._background.clear()
        register = self.resident_lookup.register if self.resident_lookup is not None else None
        # The demo's printed forms go with the printer.
        for adapter in (self.printer, self.speaker, register, self.usage):
            if adapter is not None and isinstance(adapter, Closable):
                adapter.close()
        self.storage.close()
