"""Composition root: configuration -> device adapters -> :class:`Services`.

This is the only module that imports ``devices``. It picks the real adapter or the simulator
of each device from the configuration (never from ``if testing:`` branches) and hands one
:class:`Services` object to whichever front end runs.
"""

from __future__ import annotations

import functools
import hashlib
import logging
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
from devices.smartcard.simulated_card import SimulatedMyNumberCard, SimulatedSlot, load_person
from devices.speech.reading import OpenJTalkReadings
from devices.speech.sinks import FileSink, PlayerSink
from devices.speech.speaker import QueuedSpeaker, SilentSpeaker
from devices.speech.synthesizer import Synthesizer
from devices.translation.argos_translator import ArgosTranslator
from devices.translation.packages import installed_packages
from kiosk import __version__
from kiosk.audit.events import ConfigChanged, SoftwareStarted
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.audit.sealing import SealedHead
from kiosk.audit.usage_log import UsageLog
from kiosk.config import Config
from kiosk.domain.remote import RemoteTicket
from kiosk.domain.staff import StaffMember
from kiosk.domain.ticket import QueueChanged
from kiosk.errors import ConfigError, DeviceError
from kiosk.events import EventBus
from kiosk.feed.http_transport import HttpFeedTransport
from kiosk.feed.keys import load_key
from kiosk.feed.tokens import TicketLinks
from kiosk.file_modes import private_dir, read_secret_file
from kiosk.handover import check_mappings, load_mappings
from kiosk.i18n import S_, language
from kiosk.ports import (
    ApplicationExport,
    Captioner,
    Clock,
    Closable,
    DocumentSigner,
    IdentityReader,
    ModelStore,
    Notifier,
    PaymentTerminal,
    Printer,
    Purgeable,
    ReadingProposer,
    RemoteCall,
    Renderer,
    ResidentRegister,
    Sealing,
    Speaker,
    SystemClock,
    Translator,
    Warmable,
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
from kiosk.services.ticket_slip import SlipPrinters, slip_printer
from kiosk.services.turn_alerts import TurnAlerts
from kiosk.services.visit import Visit
from kiosk.services.visitor_speech import VisitorSpeech
from kiosk.storage.database import Storage, open_storage
from kiosk.storage.documents import DocumentStore
from kiosk.storage.engine import make_engine
from kiosk.storage.export_store import ExportStore
from kiosk.storage.listener import QueueListener
from kiosk.storage.outbox import Outbox
from kiosk.storage.remote_store import RemoteTicketStore
from kiosk.storage.reservation_store import ReservationStore
from kiosk.storage.sealing import AnswerSealer, load_answers_key

if TYPE_CHECKING:
    from devices.signing.pades import PadesSigner

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

    def service_names(self) -> list[tuple[str, str]]:
        """The queue's services as ``(code, name)``, in their order (what a ticket is for)."""
        return [(info.code, info.name) for info in self.storage.queue.services()]

    def slip_printer(self) -> SlipPrinters:
        """Prints a ticket slip on this device's printer, in Japanese and the visitor's
        language."""
        # The city hall's name heads the slip (the city's data file names the city).
        office = f"{load_place_names().city}役所"
        return slip_printer(self.printer, build_renderer().slip, office,
                            self.queue.qr_payload)

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
        if self.reading is not None and isinstance(self.reading, Warmable):
            threading.Thread(target=self.reading.warm_up, name="reading-warm-up",
                             daemon=True).start()

    def _housekeeping_jobs(self) -> list[Startable]:
        """The jobs of the adapters that keep files tidy: printed forms, log retention, seals."""
        jobs: list[Startable] = []
        if isinstance(self.printer, Purgeable):
            # The file printer's forms hold full answers: [printer] retention_hours.
            jobs.append(PeriodicJob("printed-retention", self.printer.purge, interval_s=600))
        if isinstance(self.usage, Purgeable):
            # Usage-log retention ([audit] retention_days), once a day.
            jobs.append(PeriodicJob("usage-retention", self.usage.purge, interval_s=86400))
        if isinstance(self.usage, Sealing):
            # Seals an ended epoch and sends the seals off the device ([audit] seal_interval_s).
            jobs.append(PeriodicJob("usage-seal", self.usage.tick, interval_s=15))
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
        register = self.resident_lookup.register if self.resident_lookup is not None else None
        # The demo's printed forms go with the printer.
        for adapter in (self.printer, self.speaker, register, self.usage):
            if adapter is not None and isinstance(adapter, Closable):
                adapter.close()
        self.storage.close()


def build_printer(config: Config, *, demo: bool = False,
                  qt_printer: Callable[[str], Printer] | None = None) -> Printer:
    """The configured printer; the demo always prints to a folder.

    ``qt_printer`` makes the Qt printer (``[printer] kind = "qt"``, Windows has no CUPS): Qt
    lives in kiosk.ui, so the front end that runs hands it over (:mod:`kiosk.ui.adapters`).

    Raises:
        RuntimeError: ``kind = "qt"`` without ``qt_printer`` (a wiring error).
    """
    if demo or config.printer.kind == "file":
        return FolderPrinter(config.print_dir, retention_hours=config.printer.retention_hours,
                             delete_on_close=demo, training_only=config.device.role != "demo")
    if config.printer.kind == "qt":
        if qt_printer is None:
            raise RuntimeError("[printer] kind = qt needs the front end's Qt printer")
        return qt_printer(config.printer.name)
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


def build_card_monitor(config: Config, events: EventBus) -> ReaderMonitor | None:
    """The thread that publishes card inserted/removed and reader lost/recovered events.

    ``None`` for the simulated card, which has no slot to watch. The caller starts it.
    """
    if config.card.simulated:
        return None
    return ReaderMonitor(config.card.reader, events.publish)


def build_services(config: Config, *, demo: bool = False, clock: Clock | None = None,
                   qt_printer: Callable[[str], Printer] | None = None) -> Services:
    """Build the :class:`Services` for ``config``; ``demo`` forces simulated devices.

    ``clock`` replaces the system clock (simulations, training); ``qt_printer`` is the front
    end's Qt printer (:func:`build_printer`).

    The database is opened and its schema checked here, before any screen shows: an embedded
    SQLite file is created or upgraded; a shared PostgreSQL must already be current.

    Raises:
        ConfigError: an invalid device setting.
        kiosk.errors.StorageError: the database is unreachable or its schema is not usable.
    """
    private_dir(config.device.data_dir)
    build_models(config).use_japanese_dictionary()
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
        events, printer = EventBus(), build_printer(config, demo=demo, qt_printer=qt_printer)
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
        # Only here: its table's PostgreSQL index options load the PostgreSQL dialect.
        from kiosk.storage.register_view import SqlViewRegister  # noqa: PLC0415

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


# ---------------------------------------------------------------- signed electronic applications
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
        passphrase = read_secret_file(signing.passphrase_file, "passphrase")
        return pkcs12_signer(signing.pkcs12, passphrase.encode() if passphrase else None,
                             signing.tsa_url)
    if signing.kind == "pkcs11" and not demo:
        if signing.pkcs11_module is None:
            raise ConfigError(S_("[signing] kind = \"pkcs11\" needs [signing] pkcs11_module."))
        from devices.signing.pades import pkcs11_signer  # noqa: PLC0415

        return pkcs11_signer(signing.pkcs11_module, signing.pkcs11_token, signing.pkcs11_key,
                             read_secret_file(signing.pin_file, "PIN"), signing.tsa_url)
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
