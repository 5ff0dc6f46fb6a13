"""Composition root: configuration -> device adapters -> :class:`Services`.

This is the only module that imports ``devices``. It picks the real adapter or the simulator
of each device from the configuration (never from ``if testing:`` branches) and hands one
:class:`Services` object to whichever front end runs.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from devices.audio.whisper_model import stt_model_dir
from devices.export.folder_spool import FolderSpool
from devices.export.memory_spool import MemorySpool
from devices.notify.line_notifier import LineNotifier
from devices.notify.smtp_notifier import SmtpNotifier
from devices.offline_models import (
    SPEECH_RECOGNIZER,
    TRANSLATION_ENGINE,
    OfflineModels,
    missing_module,
)
from devices.payment.http_terminal import HttpTerminal
from devices.payment.simulated_terminal import SimulatedTerminal
from devices.printer.cups_printer import CupsPrinter
from devices.printer.folder_printer import FolderPrinter
from devices.printer.renderer import ReportlabRenderer
from devices.register.csv_extract import CsvRegister
from devices.register.synthetic import SyntheticRegister
from devices.signing.lazy_signer import LazySigner
from devices.smartcard.card_reader import CardIdentityReader, load_issuer_key
from devices.smartcard.pcsc_transport import PcscSlot
from devices.smartcard.reader_monitor import ReaderMonitor
from devices.smartcard.readers import list_readers, probe_readers
from devices.smartcard.simulated_card import SimulatedMyNumberCard, SimulatedSlot, load_person
from devices.speech.reading import OpenJTalkReadings
from devices.speech.sinks import FileSink, PlayerSink
from devices.speech.speaker import QueuedSpeaker, SilentSpeaker
from devices.speech.synthesizer import Synthesizer
from devices.speech.voices import probe_voices
from devices.translation.argos_translator import ArgosTranslator
from devices.translation.packages import installed_packages
from kiosk import __version__
from kiosk.audit.events import ConfigChanged, SoftwareStarted
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.audit.sealing import SealedHead
from kiosk.audit.usage_log import UsageLog
from kiosk.checkup import DeviceProbes, device_checks
from kiosk.config import Config
from kiosk.doctor import Check, Status
from kiosk.domain.remote import RemoteTicket
from kiosk.domain.staff import StaffMember
from kiosk.domain.ticket import QueueChanged
from kiosk.errors import ConfigError, DeviceError, UserFacingError
from kiosk.events import EventBus
from kiosk.feed.http_transport import HttpFeedTransport
from kiosk.feed.keys import load_key
from kiosk.feed.tokens import TicketLinks
from kiosk.file_modes import loose_mode, private_dir
from kiosk.handover import check_mappings, load_mappings
from kiosk.i18n import S_, language
from kiosk.ports import (
    ApplicationExport,
    Captioner,
    Clock,
    DocumentSigner,
    IdentityReader,
    ModelStore,
    Notifier,
    PaymentTerminal,
    Printer,
    ReadingProposer,
    RemoteCall,
    Renderer,
    ResidentRegister,
    Speaker,
    SystemClock,
    Translator,
)
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.catalog_cache import CACHE_NAME, cached_catalog
from kiosk.services.applications import SubmissionService
from kiosk.services.callout import CALLING_STATES, Announcer
from kiosk.services.caption_vocabulary import CaptionVocabulary, follow_visits, load_place_names
from kiosk.services.captions import Conversation
from kiosk.services.counter_desk import CounterDesk, DayFigure, day_figures
from kiosk.services.electronic import ElectronicFiling
from kiosk.services.feed_publisher import FeedPublisher
from kiosk.services.handover import HandoverService
from kiosk.services.payments import PaymentService
from kiosk.services.queue import QueueService
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.services.reservations import ReservationDesk, plan_from_config
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.retention import PeriodicJob, purge_finished
from kiosk.services.review import ReviewService
from kiosk.services.setup import ensure_services
from kiosk.services.staff import StaffService, login_policy
from kiosk.services.stepped_out import SteppedOut
from kiosk.services.turn_alerts import TurnAlerts
from kiosk.services.visit import Visit
from kiosk.services.visitor_speech import VisitorSpeech
from kiosk.storage.database import Storage, open_storage
from kiosk.storage.documents import DocumentStore
from kiosk.storage.engine import make_engine
from kiosk.storage.export_store import ExportStore
from kiosk.storage.listener import QueueListener
from kiosk.storage.outbox import Outbox
from kiosk.storage.register_view import SqlViewRegister
from kiosk.storage.remote_store import RemoteTicketStore
from kiosk.storage.reservation_store import ReservationStore
from kiosk.storage.sealing import AnswerSealer, load_answers_key

if TYPE_CHECKING:
    from pathlib import Path

    from devices.signing.pades import PadesSigner
    from devices.signing.verify import SignatureCheck
    from kiosk.audit.report import UsageReport

_log = logging.getLogger(__name__)

__all__ = [
    "Services",
    "build_captioner",
    "build_card_monitor",
    "build_conversation",
    "build_document_signer",
    "build_export",
    "build_filing",
    "build_handover",
    "build_identity_reader",
    "build_models",
    "build_payment_terminal",
    "build_payments",
    "build_register",
    "build_renderer",
    "build_services",
    "build_speaker",
    "build_translator",
    "build_usage_log",
    "build_visitor_speech",
    "card_reader_names",
    "doctor_checks",
    "render_usage_report",
    "verify_signed_pdf",
]


class Startable(Protocol):
    """A background thread owner (listener, periodic job, card monitor)."""

    def start(self) -> None:
        """Start the thread."""

    def stop(self) -> None:
        """Stop the thread and wait for it."""


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
                      if self.reservations is not None and config.web.public_url else None)
        # Hand-built services (tests) may have no speaker: no voice guidance then.
        visit.voice_guidance = self.speaker is not None and config.speech.kind != "off"
        return visit

    def ticket_languages(self, ticket_id: int) -> list[str]:
        """The languages the ticket's holder applied in (no answers are opened)."""
        return self.storage.applications.languages_for_ticket(ticket_id)

    def ticket_procedures(self, ticket_id: int) -> list[str]:
        """The form ids of the ticket's applications, oldest first, once each."""
        return self.storage.applications.forms_for_ticket(ticket_id)

    def start_background(self, *, warm_up: bool = True) -> None:
        """Start the threads a running front end needs (once): live queue updates, the
        outbox courier, the retention jobs (answers, usage log) and, with a real reader, the
        card monitor; with ``warm_up`` also :meth:`warm_up` (the tablet calls it itself once
        its screens are up: loading the dictionary would hold the interpreter meanwhile)."""
        if self._background:
            return
        config = self.config
        self._background = [
            QueueListener(self.storage.engine, self.events),
            PeriodicJob("outbox-courier", self.submissions.deliver_pending, interval_s=10),
            PeriodicJob("retention", lambda: purge_finished(
                self.storage.applications, self.clock, config.database.retention_hours),
                interval_s=3600),
        ]
        self._background += self._housekeeping_jobs()
        monitor = build_card_monitor(config, self.events)
        if monitor is not None:
            self._background.append(monitor)
        if self.conversation is not None:
            self._background.append(self.conversation)   # relays to the counter's other device
        if self.turn_alerts is not None:
            self._background.append(self.turn_alerts)
        publisher = build_feed_publisher(self)
        if publisher is not None:
            self.events.subscribe(QueueChanged, publisher.wake)
            self._background.append(publisher)
        for job in self._background:
            job.start()
        if warm_up:
            self.warm_up()

    def warm_up(self) -> None:
        """Load the reading proposer's dictionary on a thread of its own (a quarter of a
        second or more), before a citizen first sees furigana or a name."""
        warm_up = getattr(self.reading, "warm_up", None)
        if callable(warm_up):
            threading.Thread(target=warm_up, name="reading-warm-up", daemon=True).start()

    def _housekeeping_jobs(self) -> list[Startable]:
        """The jobs of the adapters that keep files tidy: printed forms, log retention, seals."""
        jobs: list[Startable] = []
        purge_printed = getattr(self.printer, "purge", None)
        if callable(purge_printed):
            # The file printer's forms hold full answers: [printer] retention_hours.
            jobs.append(PeriodicJob("printed-retention", purge_printed, interval_s=600))
        purge_usage = getattr(self.usage, "purge", None)
        if callable(purge_usage):
            # Usage-log retention ([audit] retention_days), once a day.
            jobs.append(PeriodicJob("usage-retention", purge_usage, interval_s=86400))
        seal_usage = getattr(self.usage, "tick", None)
        if callable(seal_usage):
            # Seals an ended epoch and sends the seals off the device ([audit] seal_interval_s).
            jobs.append(PeriodicJob("usage-seal", seal_usage, interval_s=15))
        if self.reservations is not None:
            # Releases reservations whose grace period ended (idempotent on every device).
            jobs.append(PeriodicJob("reservation-no-shows", self.reservations.release_no_shows,
                                    interval_s=60))
        return jobs

    def close(self) -> None:
        """Stop the background threads and release the database connections."""
        for job in reversed(self._background):
            job.stop()
        self._background.clear()
        close_printer = getattr(self.printer, "close", None)
        if callable(close_printer):
            close_printer()                  # the demo's printed forms go with it
        close_speaker = getattr(self.speaker, "close", None)
        if callable(close_speaker):
            close_speaker()
        close_register = getattr(self.resident_lookup and self.resident_lookup.register,
                                 "close", None)
        if callable(close_register):
            close_register()
        close_usage = getattr(self.usage, "close", None)
        if callable(close_usage):
            close_usage()
        self.storage.close()


def build_printer(config: Config, *, demo: bool = False) -> Printer:
    """The configured printer; the demo always prints to a folder."""
    if demo or config.printer.kind == "file":
        return FolderPrinter(config.print_dir, retention_hours=config.printer.retention_hours,
                             delete_on_close=demo, training_only=config.device.role != "demo")
    if config.printer.kind == "qt":
        # Qt lives in kiosk.ui; imported only when configured (Windows has no CUPS).
        from kiosk.ui.common.qt_printer import QtPrinter  # noqa: PLC0415

        return QtPrinter(config.printer.name)
    return CupsPrinter(config.printer.name)


def build_speaker(config: Config, *, demo: bool = False) -> Speaker:
    """The configured speaker: the loudspeaker, WAV files in ``config.speech_dir``, or off.

    The demo writes WAV files (three windows on one desk should not all talk aloud).
    """
    if config.speech.kind == "off":
        return SilentSpeaker()
    languages = [language(code).bcp47 for code in config.ui.languages]
    sink = (FileSink(config.speech_dir) if demo or config.speech.kind == "file"
            else PlayerSink())
    return QueuedSpeaker(Synthesizer(), sink, languages=languages)


def build_identity_reader(config: Config) -> IdentityReader:
    """The My Number card reader: the in-process simulated card or the configured PC/SC reader.

    Raises:
        ConfigError: unknown simulated person, or an unreadable issuer CA key.
    """
    issuer_key = load_issuer_key(config.card.issuer_ca_key)
    if config.card.simulated:
        try:
            person = load_person(config.card.person)
        except KeyError as exc:
            raise ConfigError(S_("[card] person: no simulated person named '{person}'."),
                              person=config.card.person) from exc
        slot: SimulatedSlot | PcscSlot = SimulatedSlot(
            SimulatedMyNumberCard(person), delay_s=config.card.apdu_delay_ms / 1000)
    else:
        slot = PcscSlot(config.card.reader)
    return CardIdentityReader(slot, issuer_key=issuer_key,
                              allow_my_number=config.card.allow_my_number)


def card_reader_names(config: Config) -> list[str]:
    """The PC/SC readers this computer sees, for IT (``kiosk card status``); none when the
    card is simulated or PC/SC is not running."""
    if config.card.simulated:
        return []
    try:
        return list_readers()
    except RuntimeError:
        return []


def build_card_monitor(config: Config, events: EventBus) -> ReaderMonitor | None:
    """The thread that publishes card inserted/removed and reader lost/recovered events.

    ``None`` for the simulated card, which has no slot to watch. The caller starts it.
    """
    if config.card.simulated:
        return None
    return ReaderMonitor(config.card.reader, events.publish)


def build_services(config: Config, *, demo: bool = False, clock: Clock | None = None) -> Services:
    """Build the :class:`Services` for ``config``; ``demo`` forces simulated devices.

    ``clock`` replaces the system clock (simulations, training).

    The database is opened and its schema checked here, before any screen shows: an embedded
    SQLite file is created or upgraded; a shared PostgreSQL must already be current.

    Raises:
        ConfigError: an invalid device setting.
        kiosk.errors.StorageError: the database is unreachable or its schema is not usable.
    """
    private_dir(config.device.data_dir)
    use_japanese_dictionary(config)
    clock = clock or SystemClock()
    if demo and not config.card.simulated:
        config = replace(config, card=replace(config.card, simulated=True))
    storage = open_storage(config.database_url, clock)
    try:
        # Read from the previous start's cache while no form has changed (a quarter second).
        catalog = cached_catalog(config.device.data_dir / CACHE_NAME)
        ensure_services(storage.queue, catalog)
        key = load_answers_key(config.database.answers_key, config.device.data_dir,
                               shared_database=storage.shared)
        sealer = AnswerSealer(key)
        # Before the usage log opens: a mapping that does not fit the forms stops the start.
        handover = build_handover(config, storage, sealer, catalog, clock, NULL_USAGE)
        usage = build_usage_log(config, clock, build_head_sink(config, storage))
        submissions = SubmissionService(storage.applications,
                                        Outbox(config.device.data_dir / "outbox.sqlite3"),
                                        sealer, clock, usage)
        events, printer = EventBus(), build_printer(config, demo=demo)
        review = ReviewService(storage.applications, sealer, catalog, printer,
                               build_renderer().application, events, usage)
        review.filing = build_filing(config, clock, usage, demo=demo)
        translator = build_translator(config)
        queue = QueueService(storage.queue, usage)
        queue.links = build_ticket_links(config, demo=demo)
        if handover is not None:
            handover.usage = usage
            review.handover = handover.hand_on_quietly
        captioner = build_captioner(config, events, catalog)
        conversation = build_conversation(config, storage, events, clock, translator, key, usage)
        remote, open_remote_call = build_remote(config, storage, clock, usage, key)
        return Services(config=config, events=events, clock=clock, printer=printer,
                        identity_reader=build_identity_reader(config), storage=storage,
                        queue=queue, submissions=submissions,
                        forms=catalog, speaker=build_speaker(config, demo=demo), review=review,
                        demo=demo, translator=translator,
                        captioner=captioner, usage=usage,
                        reading=OpenJTalkReadings(), conversation=conversation,
                        visitor_speech=build_visitor_speech(config, captioner, conversation,
                                                            events),
                        stepped_out=SteppedOut(events), turn_alerts=build_turn_alerts(config),
                        payments=build_payments(config, storage, review, usage, catalog),
                        handover=handover,
                        resident_lookup=ResidentLookup(
                            _register_or_none(config, demo), storage.lookup_grants,
                            storage.staff, clock, usage, limit=config.register.limit),
                        reservations=build_reservations(config, storage, queue, clock, usage),
                        remote=remote, open_remote_call=open_remote_call)
    except BaseException:
        storage.close()
        raise


def build_payment_terminal(config: Config) -> PaymentTerminal | None:
    """The counter's payment terminal from ``[payment] kind`` (``None`` for ``none``)."""
    payment = config.payment
    if payment.kind == "simulated":
        return SimulatedTerminal()
    if payment.kind == "http":
        if not payment.url:
            raise ConfigError(S_("[payment] kind = \"http\" needs [payment] url (the "
                                 "terminal's local address)."))
        return HttpTerminal(payment.url, request_timeout_s=payment.request_timeout_s,
                            wait_s=payment.wait_s)
    return None


def build_payments(config: Config, storage: Storage, review: ReviewService,
                   usage: UsageRecorder, catalog: FormCatalog) -> PaymentService | None:
    """Fees paid at the counter, and the review's gate that holds an unpaid certificate;
    ``None`` when ``[payment] kind = "none"`` (fees are only totalled, as before)."""
    if config.payment.kind == "none":
        return None
    payments = PaymentService(storage.payments, build_payment_terminal(config),
                              cash=config.payment.cash, usage=usage, forms=catalog.forms,
                              issuer=config.payment.issuer, printer=review.printer,
                              render_receipt=build_renderer().receipt)
    review.release_gate = payments.require_paid
    return payments


def build_export(config: Config) -> ApplicationExport | None:
    """The ``[export]`` adapter: the spool folder, the in-memory simulator, or none."""
    if config.export.kind == "simulated":
        return MemorySpool()
    if config.export.kind == "folder":
        if config.export.folder is None:
            raise ConfigError(S_("[export] kind = \"folder\" needs folder = \"...\" (the "
                                 "folder the core systems import from)."))
        return FolderSpool(private_dir(config.export.folder))
    return None


def build_handover(config: Config, storage: Storage, sealer: AnswerSealer, catalog: FormCatalog,
                   clock: Clock, usage: UsageRecorder) -> HandoverService | None:
    """The handover use case when ``[export]`` is on (mappings checked against the forms).

    Raises:
        ConfigError: the mapping files do not fit the forms, or name an unknown system.
    """
    spool = build_export(config)
    if spool is None:
        return None
    mappings = load_mappings(config.export.mappings_dir)
    problems = check_mappings(mappings, catalog.forms)
    unknown = sorted(set(config.export.systems) - set(mappings.systems))
    if problems or unknown:
        raise ConfigError(S_("[export]: {count} problems in the mapping files, first: {first}. "
                             "Run kiosk export --check."), count=len(problems) + len(unknown),
                          first=str(problems[0]) if problems else f"systems: {unknown[0]}")
    return HandoverService(ExportStore(storage.engine, clock), storage.applications, sealer,
                           catalog, mappings, spool, clock, usage, config.export.systems)


def build_register(config: Config, *, demo: bool = False) -> ResidentRegister | None:
    """The resident register of a clerk PC (the demo's synthetic one by default), or ``None``:
    never on a tablet, a board or the web host, whatever ``[register]`` says.

    Raises:
        ConfigError: ``[register]`` lacks what its kind needs.
        DeviceError: the CSV extract cannot be read.
    """
    if config.device.role not in ("clerk", "demo"):
        return None
    settings = config.register
    kind = "synthetic" if demo and settings.kind == "none" else settings.kind
    if kind == "csv":
        if settings.path is None or settings.mapping is None:
            raise ConfigError(S_('[register] kind = "csv" needs path (the extract) and mapping '
                                 "(its column mapping file)."))
        return CsvRegister(settings.path, settings.mapping)
    if kind == "sql":
        if not settings.url:
            raise ConfigError(S_('[register] kind = "sql" needs url (the copy database).'))
        return SqlViewRegister(settings.url)
    return SyntheticRegister() if kind == "synthetic" else None


def _register_or_none(config: Config, demo: bool) -> ResidentRegister | None:
    """The register, or ``None`` with a log line when its extract cannot be read: the desk
    still starts (calls, reviews), the lookup tab says so, and ``kiosk doctor`` names why."""
    try:
        return build_register(config, demo=demo)
    except DeviceError as exc:
        _log.warning("resident register unavailable: %s", exc.english())
        return None


def _register_checks(config: Config) -> list[Check]:
    if config.device.role not in ("clerk", "demo") or config.register.kind == "none":
        return []
    try:
        register = build_register(config)
    except UserFacingError as exc:
        return [Check("register", Status.FAIL, exc.english(),
                      "check [register] and the extract (kiosk register load FILE --mapping MAP)")]
    assert register is not None
    try:
        return list(register.probe())
    finally:
        close = getattr(register, "close", None)
        if callable(close):
            close()


def build_ticket_links(config: Config, *, demo: bool = False) -> TicketLinks | None:
    """The ticket page's links (``[web] public_url``), or ``None`` when the city has none."""
    if not config.web.public_url:
        return None
    return TicketLinks(load_key(config.web.token_key, "token_key", demo=demo),
                       config.web.public_url)


def build_reservations(config: Config, storage: Storage, queue: QueueService, clock: Clock,
                       usage: UsageRecorder) -> ReservationDesk:
    """Reservations (予約) on the shared database, with the ``[web] reserve_*`` plan."""
    web = config.web
    plan = plan_from_config(web.reserve_hours, web.reserve_slot_minutes, web.reserve_days_ahead,
                            web.reserve_grace_minutes, web.reserve_priority, web.reserve_days)
    return ReservationDesk(ReservationStore(storage.engine, clock), queue, plan, clock, usage)


def build_remote(config: Config, storage: Storage, clock: Clock, usage: UsageRecorder,
                 answers_key: bytes) -> tuple[RemoteCounterDesk | None,
                                              Callable[[RemoteTicket], RemoteCall] | None]:
    """The remote counter's desk and how this desk opens an accepted ticket's call ([remote])."""
    remote = config.remote
    if remote.kind == "off":
        return None, None
    desk = RemoteCounterDesk(RemoteTicketStore(storage.engine, clock), usage)
    if remote.kind == "simulated":
        from devices.remote.simulated import SimulatedRemoteCall  # noqa: PLC0415

        return desk, lambda _ticket: SimulatedRemoteCall()
    offering = remote.side == "branch"          # the branch calls, the main office answers
    if not storage.shared:
        raise ConfigError(S_("The remote call needs the shared PostgreSQL database ([database] url)."))
    if not remote.host_addresses:
        raise ConfigError(S_("[remote] kind = \"aiortc\" needs [remote] host_addresses (this "
                             "PC's address on the city LAN)."))
    try:
        from devices.remote import aiortc_call, capture  # noqa: PLC0415
    except ImportError as exc:
        raise DeviceError(S_("The remote counter needs aiortc and PyAV, which this installation "
                             "does not have ({name})."), name=exc.name or "aiortc") from exc
    sources = aiortc_call.generated_sources()
    for name, device in (("camera", remote.camera), ("document", remote.document_camera)):
        if device:
            sources[name] = functools.partial(capture.capture_source, device, "video")
    microphone = functools.partial(capture.capture_source, remote.microphone, "audio") \
        if remote.microphone else None

    from kiosk.storage.conversation_relay import PostgresConversationRelay  # noqa: PLC0415

    def open_call(ticket: RemoteTicket) -> RemoteCall:
        # One sealed channel per call, closed when the call ends.
        relay = PostgresConversationRelay(storage.engine, f"remote-call\0{ticket.call_id}",
                                          answers_key)
        relay.start()
        call: RemoteCall = aiortc_call.AiortcRemoteCall(
            relay, ticket.call_id, offering=offering, host_addresses=remote.host_addresses,
            video_sources=sources, microphone=microphone, on_end=relay.close)
        return call

    return desk, open_call


def build_notifiers(config: Config) -> dict[str, Notifier]:
    """The "your turn is near" channels ``[web]`` configures (a relay, a LINE token)."""
    web = config.web
    notifiers: dict[str, Notifier] = {}
    if web.smtp_host:
        notifiers["email"] = SmtpNotifier(web.smtp_host, web.smtp_port, web.smtp_from)
    if web.line_token:
        notifiers["line"] = LineNotifier(web.line_token, web.line_endpoint)
    return notifiers


def build_turn_alerts(config: Config) -> TurnAlerts | None:
    """"Your turn is near" by e-mail and LINE, when ``[web]`` names a relay or a token."""
    notifiers = build_notifiers(config)
    return TurnAlerts(notifiers, near_at=config.web.notify_at) if notifiers else None


def notifier_checks(config: Config) -> list[Check]:
    """``kiosk doctor``: each configured notifier answers (nothing is sent to anyone)."""
    checks: list[Check] = []
    for notifier in build_notifiers(config).values():
        probe = getattr(notifier, "probe", None)
        if callable(probe):
            checks += probe()
    return checks


def build_feed_publisher(services: Services) -> FeedPublisher | None:
    """The inner side of the web feed when ``[web] feed_url`` names the web host."""
    web, links = services.config.web, services.queue.links
    if not web.feed_url or links is None:
        return None
    return FeedPublisher(services.queue, links, load_key(web.feed_key, "feed_key"), web.site,
                         HttpFeedTransport(web.feed_url), services.clock, services.stepped_out,
                         web.publish_interval_s, services.turn_alerts, services.reservations)


def build_conversation(config: Config, storage: Storage, events: EventBus, clock: Clock,
                       translator: Translator | None, answers_key: bytes,
                       usage: UsageRecorder) -> Conversation:
    """The visit's clerk-visitor conversation.

    On a shared PostgreSQL it reaches the other device of the counter (the tablet and the
    clerk PC with the same ``[device] counter``) through LISTEN/NOTIFY, sealed with a key
    derived from the answers key; on the embedded SQLite both screens run in one process.
    """
    relay = None
    if storage.shared and config.device.role != "board":
        from kiosk.storage.conversation_relay import PostgresConversationRelay  # noqa: PLC0415

        relay = PostgresConversationRelay(storage.engine, config.device.counter, answers_key)
    return Conversation(events, clock, translator, relay=relay, usage=usage)


def build_head_sink(config: Config, storage: Storage) -> Callable[[SealedHead], None] | None:
    """Where the usage log's seals go off the device: ``[audit] heads_url``, else the shared
    PostgreSQL; ``None`` on an embedded database (it sits on the device itself)."""
    from kiosk.storage.audit_heads import AuditHeadStore  # noqa: PLC0415

    if config.audit.heads_url:
        return AuditHeadStore(make_engine(config.audit.heads_url, pool_size=1)).add
    return AuditHeadStore(storage.engine).add if storage.shared else None


def build_usage_log(config: Config, clock: Clock,
                    head_sink: Callable[[SealedHead], None] | None = None) -> UsageLog:
    """This device's usage log; records the software version and configuration it starts with."""
    usage = UsageLog(config.audit_dir, config.device.id, clock, fsync=config.audit.fsync,
                     retention_days=config.audit.retention_days, head_sink=head_sink)
    usage.record(SoftwareStarted(version=__version__, role=config.device.role))
    source = config.source.read_bytes() if config.source and config.source.exists() else b""
    usage.record(ConfigChanged(schema_version=config.schema_version,
                               digest=hashlib.sha256(source).hexdigest()[:16]))
    return usage


def build_renderer() -> Renderer:
    """The kiosk's PDFs (forms, receipts, the auditor's report, the PDF/A to sign)."""
    return ReportlabRenderer()


def render_usage_report(report: UsageReport, out: Path) -> None:
    """Draw the effect-verification report ``report`` as a PDF file ``out`` (for the benches;
    code builds a renderer: :func:`build_renderer`)."""
    build_renderer().report(report, out)


def doctor_checks(config: Config) -> list[Check]:
    """Every self-test of this device (:mod:`kiosk.checkup`), with this configuration's
    adapters probed."""
    models = build_models(config)
    models.use_japanese_dictionary()
    bcp47 = [language(code).bcp47 for code in config.ui.languages]
    return device_checks(config, DeviceProbes(
        qt=_qt_checks, card=lambda: _card_checks(config),
        register=lambda: _register_checks(config),
        printer=lambda: build_printer(config).probe(),
        payment=lambda: _payment_checks(config),
        signing=(None if config.signing.kind == "off"
                 else lambda: build_document_signer(config).probe()),
        voices=lambda: probe_voices(bcp47), models=models.probe,
        export=lambda: _export_checks(config), notifiers=lambda: notifier_checks(config)))


def _payment_checks(config: Config) -> list[Check]:
    terminal = build_payment_terminal(config)
    if terminal is None:
        return [Check("payment.terminal", Status.OK,
                      "payments off ([payment] kind = none): fees are only totalled")]
    return list(terminal.probe())


def _export_checks(config: Config) -> list[Check]:
    spool = build_export(config)
    return [] if spool is None else list(spool.probe())


def _qt_checks() -> list[Check]:
    try:
        from kiosk.ui.common.qt_info import qt_versions  # noqa: PLC0415
    except ImportError as exc:
        return [Check("qt", Status.FAIL, f"PySide6 is not importable: {exc}",
                      "Reinstall the kiosk (make run), or on Linux install the xcb libraries.")]
    return [Check("qt", Status.OK, qt_versions())]


def _card_checks(config: Config) -> list[Check]:
    if config.card.simulated:
        return [Check("card.reader", Status.OK,
                      f"simulated card (person '{config.card.person}'); no reader needed")]
    return [*probe_readers(config.card.reader), _issuer_key_check(config)]


def _issuer_key_check(config: Config) -> Check:
    # Without the issuer CA key only the digest is checked, which a forger computes too: a
    # real reader must not run that way, so this fails rather than warns.
    fix = ("Set [card] issuer_ca_key to the PEM file of the issuer CA public key "
           "(J-LIS 券面事項入力補助AP CA); see the README, \"Card reader\".")
    if not config.card.issuer_ca_key:
        return Check("card.issuer_key", Status.FAIL,
                     "no issuer CA key: card data cannot be verified against the issuer", fix)
    try:
        load_issuer_key(config.card.issuer_ca_key)
    except ConfigError as exc:
        return Check("card.issuer_key", Status.FAIL, exc.english(), fix)
    return Check("card.issuer_key", Status.OK,
                 f"{config.card.issuer_ca_key}: card data and card verified against the issuer")


def build_translator(config: Config) -> Translator | None:
    """Argos Translate on the installed packs, or ``None`` when none is installed or this build
    has no translation engine (the tablet build)."""
    if missing_module(TRANSLATION_ENGINE) or not installed_packages(config.models_dir):
        return None
    return ArgosTranslator(config.models_dir)


def build_captioner(config: Config, events: EventBus, catalog: FormCatalog) -> Captioner | None:
    """Live captions from the configured microphone, or ``None`` when off, when no model exists
    or when this build has no speech recognizer (the tablet build).

    The captioner expects the counter's words: the desk's procedures, the city's place names
    and, once the conversation learns them, the visitor's procedures
    (:mod:`kiosk.services.caption_vocabulary`). The microphone opens only when a clerk starts
    captions, not here.
    """
    model = stt_model_dir(config.models_dir)
    if not config.models.captions or not (model / "model.bin").is_file() or \
            missing_module(SPEECH_RECOGNIZER):
        return None
    # numpy and the recognizer only on a device with captions: the tablet starts sooner.
    from devices.audio.live import LiveCaptioner  # noqa: PLC0415
    from devices.audio.recognizer import WhisperRecognizer  # noqa: PLC0415
    from devices.audio.sources import CommandSource  # noqa: PLC0415

    command = config.models.microphone or None
    captioner = LiveCaptioner(lambda: CommandSource(command),
                              WhisperRecognizer(model, threads=config.models.stt_threads))
    follow_visits(events, captioner, CaptionVocabulary(catalog, load_place_names(),
                                                       config.device.services))
    return captioner


def build_visitor_speech(config: Config, captioner: Captioner | None,
                         conversation: Conversation | None,
                         events: EventBus) -> VisitorSpeech | None:
    """The visitor's microphone (``[models] visitor_microphone``) on the captions' model, or
    ``None`` when not configured or when this device has no captions model."""
    setting = config.models.visitor_microphone.strip()
    if not setting or conversation is None or captioner is None:
        return None
    from devices.audio.live import LiveCaptioner  # noqa: PLC0415 - only with captions
    from devices.audio.sources import CommandSource  # noqa: PLC0415
    from devices.audio.visitor_listener import VisitorListener  # noqa: PLC0415

    if not isinstance(captioner, LiveCaptioner):
        return None
    command = None if setting == "default" else setting
    listener = VisitorListener(lambda: CommandSource(command), captioner.recognizer)
    return VisitorSpeech(conversation, events, listener)


def build_models(config: Config) -> ModelStore:
    """The device's offline models (``kiosk models``, ``kiosk doctor``)."""
    return OfflineModels(config.models_dir, role=config.device.role,
                         captions=config.models.captions, stt_threads=config.models.stt_threads)


def use_japanese_dictionary(config: Config) -> None:
    """Point Open JTalk at the dictionary IT installed under the models directory."""
    build_models(config).use_japanese_dictionary()


# ---------------------------------------------------------------- signed electronic applications
def _secret(path: Path | None, what: str) -> str | None:
    """The first line of a 0600 secret file (a passphrase, a PIN); ``None`` without a file."""
    if path is None:
        return None
    if os.name == "posix" and loose_mode(path):
        raise ConfigError(S_("{file}: the {what} can be read by other users; the kiosk does "
                             "not use it. Run: chmod 600 {file}"), file=str(path), what=what)
    try:
        return path.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError, UnicodeDecodeError) as exc:
        raise ConfigError(S_("{file}: the {what} cannot be read."), file=str(path),
                          what=what) from exc


def build_document_signer(config: Config, *, demo: bool = False) -> DocumentSigner:
    """The city's signer from ``[signing]``; a throwaway test signer when none is configured.

    Raises:
        ConfigError: a key file or secret is missing or readable by others.
        kiosk.errors.DeviceError: the key file or token cannot be opened.
    """
    # pyHanko is imported when a signer is made, for the test signer at its first use: the
    # tablet's start does not wait for it (issue 18).
    signing = config.signing
    if signing.kind == "pkcs12" and not demo:
        from devices.signing.pades import pkcs12_signer  # noqa: PLC0415

        if signing.pkcs12 is None:
            raise ConfigError(S_("[signing] kind = \"pkcs12\" needs [signing] pkcs12."))
        passphrase = _secret(signing.passphrase_file, "passphrase")
        return pkcs12_signer(signing.pkcs12, passphrase.encode() if passphrase else None,
                             signing.tsa_url)
    if signing.kind == "pkcs11" and not demo:
        if signing.pkcs11_module is None:
            raise ConfigError(S_("[signing] kind = \"pkcs11\" needs [signing] pkcs11_module."))
        from devices.signing.pades import pkcs11_signer  # noqa: PLC0415

        return pkcs11_signer(signing.pkcs11_module, signing.pkcs11_token, signing.pkcs11_key,
                             _secret(signing.pin_file, "PIN"), signing.tsa_url)
    tsa_url = signing.tsa_url
    return LazySigner(lambda: _throwaway_signer(tsa_url), test_signature=True)


def _throwaway_signer(tsa_url: str) -> PadesSigner:
    from devices.signing.pades import throwaway_signer  # noqa: PLC0415

    return throwaway_signer(tsa_url)


def build_filing(config: Config, clock: Clock, usage: UsageRecorder, *,
                 demo: bool = False) -> ElectronicFiling | None:
    """Signed electronic applications, when ``[signing]`` is on (always in the demo)."""
    if config.signing.kind == "off" and not demo:
        return None
    return ElectronicFiling(build_renderer().signed_application,
                            build_document_signer(config, demo=demo),
                            DocumentStore(config.document_dir), clock, usage,
                            reason=config.signing.reason, location=config.signing.location,
                            timestamped=bool(config.signing.tsa_url))


def verify_signed_pdf(config: Config, data: bytes) -> list[SignatureCheck]:
    """Check the signatures of a PDF against ``[signing] trust_root`` (offline).

    Raises:
        devices.signing.verify.NotSignedPdfError: not a readable PDF or not signed.
        ConfigError: the trust root file cannot be read.
    """
    from devices.signing.verify import load_roots, verify_pdf  # noqa: PLC0415

    roots = []
    if config.signing.trust_root is not None:
        try:
            roots = load_roots(config.signing.trust_root.read_bytes())
        except (OSError, ValueError) as exc:
            raise ConfigError(S_("[signing] trust_root {file} cannot be read."),
                              file=str(config.signing.trust_root)) from exc
    return verify_pdf(data, roots)
