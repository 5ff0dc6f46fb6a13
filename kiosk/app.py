"""Composition root: configuration -> device adapters -> :class:`Services`.

This is the only module that imports ``devices``. It picks the real adapter or the simulator
of each device from the configuration (never from ``if testing:`` branches) and hands one
:class:`Services` object to whichever front end runs.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import platform
import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from devices.audio.whisper_model import install_stt_model, stt_model_dir
from devices.export.folder_spool import FolderSpool
from devices.export.memory_spool import MemorySpool
from devices.notify.line_notifier import LineNotifier
from devices.notify.smtp_notifier import SmtpNotifier
from devices.payment.http_terminal import HttpTerminal
from devices.payment.simulated_terminal import SimulatedTerminal
from devices.printer.cups_printer import CupsPrinter
from devices.printer.folder_printer import FolderPrinter
from devices.register.csv_extract import CsvRegister
from devices.register.synthetic import SyntheticRegister
from devices.signing.lazy_signer import LazySigner
from devices.smartcard.card_reader import CardIdentityReader, load_issuer_key
from devices.smartcard.pcsc_transport import PcscSlot
from devices.smartcard.reader_monitor import ReaderMonitor
from devices.smartcard.readers import probe_readers
from devices.smartcard.simulated_card import SimulatedMyNumberCard, SimulatedSlot, load_person
from devices.speech.reading import OpenJTalkReadings
from devices.speech.sinks import FileSink, PlayerSink
from devices.speech.speaker import QueuedSpeaker, SilentSpeaker
from devices.speech.synthesizer import Synthesizer
from devices.speech.voices import probe_voices
from devices.translation.argos_translator import ArgosTranslator
from devices.translation.packages import install_package, installed_packages
from kiosk import __version__, fonts
from kiosk.audit.events import ConfigChanged, SoftwareStarted
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.audit.sealing import SealedHead
from kiosk.audit.usage_log import UsageLog
from kiosk.config import Config
from kiosk.deploy.provenance import build_flavour, file_checksum, probe_build
from kiosk.doctor import Check, Status, guarded
from kiosk.domain.ticket import QueueChanged
from kiosk.errors import ConfigError, DeviceError, UserFacingError
from kiosk.events import EventBus
from kiosk.feed.http_transport import HttpFeedTransport
from kiosk.feed.keys import load_key
from kiosk.feed.probe import probe_feed
from kiosk.feed.tokens import TicketLinks
from kiosk.file_modes import kiosk_folders, loose_mode, mode_checks, private_dir
from kiosk.handover import check_mappings, load_mappings
from kiosk.i18n import S_, language
from kiosk.ports import (
    ApplicationExport,
    Captioner,
    Clock,
    DocumentSigner,
    IdentityReader,
    Notifier,
    PaymentTerminal,
    Printer,
    ReadingProposer,
    ResidentRegister,
    Speaker,
    SystemClock,
    Translator,
)
from kiosk.procedures.catalog import FormCatalog, load_catalog
from kiosk.services.applications import SubmissionService
from kiosk.services.caption_vocabulary import CaptionVocabulary, follow_visits, load_place_names
from kiosk.services.captions import Conversation
from kiosk.services.electronic import ElectronicFiling
from kiosk.services.feed_publisher import FeedPublisher
from kiosk.services.handover import HandoverService
from kiosk.services.payments import PaymentService
from kiosk.services.queue import QueueService
from kiosk.services.reservations import ReservationDesk, plan_from_config
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.retention import PeriodicJob, purge_finished
from kiosk.services.review import ReviewService
from kiosk.services.setup import ensure_services
from kiosk.services.stepped_out import SteppedOut
from kiosk.services.turn_alerts import TurnAlerts
from kiosk.services.visitor_speech import VisitorSpeech
from kiosk.storage.database import Storage, open_storage
from kiosk.storage.documents import DocumentStore
from kiosk.storage.engine import make_engine, probe_clock, probe_database
from kiosk.storage.export_store import ExportStore
from kiosk.storage.listener import QueueListener
from kiosk.storage.migrate import probe_schema
from kiosk.storage.outbox import Outbox
from kiosk.storage.register_view import SqlViewRegister
from kiosk.storage.reservation_store import ReservationStore
from kiosk.storage.sealing import AnswerSealer, load_answers_key

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from devices.printer.pdf_render import RenderReport
    from devices.signing.pades import PadesSigner
    from devices.signing.verify import SignatureCheck
    from kiosk.audit.report import UsageReport
    from kiosk.procedures.receipt import Receipt
    from kiosk.procedures.session import FormSession

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
    "build_payment_terminal",
    "build_payments",
    "build_register",
    "build_services",
    "build_speaker",
    "build_translator",
    "build_usage_log",
    "build_visitor_speech",
    "describe_models",
    "doctor_checks",
    "install_speech_model",
    "install_translation_package",
    "render_application_pdf",
    "render_receipt_pdf",
    "render_usage_report",
    "run_models",
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
    _background: list[Startable] = field(default_factory=list)

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
        catalog = load_catalog()
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
                               render_application_pdf, events, usage)
        review.filing = build_filing(config, clock, usage, demo=demo)
        translator = build_translator(config)
        queue = QueueService(storage.queue, usage)
        queue.links = build_ticket_links(config, demo=demo)
        if handover is not None:
            handover.usage = usage
            review.handover = handover.hand_on_quietly
        captioner = build_captioner(config, events, catalog)
        conversation = build_conversation(config, storage, events, clock, translator, key, usage)
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
                        reservations=build_reservations(config, storage, queue, clock, usage))
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
                              render_receipt=render_receipt_pdf)
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


def _conversation_checks(config: Config) -> list[Check]:
    from kiosk.config import DeviceConfig  # noqa: PLC0415
    from kiosk.storage.conversation_relay import (  # noqa: PLC0415
        pairing_check,
        probe_statement_logging,
    )

    checks = probe_statement_logging(config.database_url)
    if config.database.url and config.device.role in ("tablet", "clerk"):
        checks.append(pairing_check(config.device.counter,
                                    default=config.device.counter == DeviceConfig().counter))
    return checks


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


def render_receipt_pdf(receipt: Receipt, out: Path) -> None:
    """Draw a receipt (the visit's, or a fee's 領収書) as a PDF file ``out``."""
    from devices.printer.pdf_render import render_receipt  # noqa: PLC0415

    render_receipt(receipt, out)


def render_usage_report(report: UsageReport, out: Path) -> None:
    """Draw the effect-verification report ``report`` as a PDF file ``out``."""
    from devices.printer.report_render import render_usage_report as render  # noqa: PLC0415

    render(report, out)


def doctor_checks(config: Config) -> list[Check]:
    """Every self-test of this device, in the order IT reads them."""
    checks: list[Check] = []
    use_japanese_dictionary(config)
    checks += guarded("kiosk.version", lambda: [_version_check(config)])
    checks += guarded("build.files", probe_build)
    checks += guarded("qt", _qt_checks)
    checks += guarded("fonts", _font_checks)
    checks += guarded("database.reachable", lambda: probe_database(config.database_url))
    checks += guarded("database.schema", lambda: probe_schema(config.database_url))
    checks += guarded("clock.skew", lambda: probe_clock(config.database_url, SystemClock().now))
    checks += guarded("conversation", lambda: _conversation_checks(config))
    checks += guarded("card.pcsc", lambda: _card_checks(config))
    checks += guarded("register", lambda: _register_checks(config))
    checks += guarded("printer.ready", lambda: build_printer(config).probe())
    checks += guarded("payment.terminal", lambda: _payment_checks(config))
    if config.signing.kind != "off":
        checks += guarded("signing.key", lambda: build_document_signer(config).probe())
    bcp47 = [language(code).bcp47 for code in config.ui.languages]
    checks += guarded("speech", lambda: probe_voices(bcp47))
    checks += guarded("models", lambda: _model_checks(config))
    checks += guarded("disk.free", lambda: [_disk_check(config)])
    checks += guarded("web.feed", lambda: probe_feed(config))
    checks += guarded("export.folder", lambda: _export_checks(config))
    checks += guarded("web.notify", lambda: notifier_checks(config))
    checks += guarded("files", lambda: mode_checks(kiosk_folders(config)))
    return checks


def _payment_checks(config: Config) -> list[Check]:
    terminal = build_payment_terminal(config)
    if terminal is None:
        return [Check("payment.terminal", Status.OK,
                      "payments off ([payment] kind = none): fees are only totalled")]
    return list(terminal.probe())


def _export_checks(config: Config) -> list[Check]:
    spool = build_export(config)
    return [] if spool is None else list(spool.probe())


def _version_check(config: Config) -> Check:
    return Check("kiosk.version", Status.OK,
                 f"kiosk {__version__}, Python {platform.python_version()} on {sys.platform}, "
                 f"config {config.source or '(defaults)'} sha256 {file_checksum(config.source)}")


def _qt_checks() -> list[Check]:
    try:
        from kiosk.ui.common.qt_info import qt_versions  # noqa: PLC0415
    except ImportError as exc:
        return [Check("qt", Status.FAIL, f"PySide6 is not importable: {exc}",
                      "Reinstall the kiosk (make run), or on Linux install the xcb libraries.")]
    return [Check("qt", Status.OK, qt_versions())]


def _font_checks() -> list[Check]:
    checks = []
    for face in fonts.bundled_faces():
        ok = face.path.is_file() and fonts.covers(face, "窓")
        checks.append(Check(f"fonts.{face.path.stem}", Status.OK if ok else Status.FAIL,
                            f"{face.family} at {face.path}" if ok else f"missing {face.path}",
                            "" if ok else "Reinstall the kiosk: the UD fonts ship with it."))
    for script in fonts.SCRIPT_FONTS:
        found = fonts.script_face(script)
        languages = ", ".join(script.languages)
        name = f"fonts.{script.linux[0].replace(' ', '')}"
        if found is None:
            checks.append(Check(name, Status.WARN, f"no font for {languages}: shown as boxes",
                                f"Debian: apt install {script.package}; Windows: restore the "
                                f"{script.windows[0]} system font."))
        else:
            checks.append(Check(name, Status.OK, f"{found.family} at {found.path} ({languages})"))
    fallback = fonts.fallback_face()
    if fallback is None:
        checks.append(Check("fonts.IPAmjMincho", Status.WARN,
                            "IPAmj Mincho not found: rare kanji (外字) print as hand-write boxes",
                            "Debian: apt install fonts-ipamj-mincho; Windows: install ipamjm.ttf "
                            "from the IPAmj Mincho distribution for all users."))
    else:
        has_rare = fonts.covers(fallback, "\U00020bb7")
        checks.append(Check("fonts.IPAmjMincho", Status.OK if has_rare else Status.WARN,
                            f"{fallback.path}" + ("" if has_rare else " (lacks 𠮷: wrong file?)")))
    return checks


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


def _disk_check(config: Config) -> Check:
    usage = shutil.disk_usage(config.device.data_dir if config.device.data_dir.exists() else "/")
    free_gb = usage.free / 1e9
    status = Status.OK if free_gb >= 2 else Status.WARN if free_gb >= 0.5 else Status.FAIL
    return Check("disk.free", status, f"{free_gb:.1f} GB free for {config.device.data_dir}",
                 "" if status is Status.OK else "Free disk space; printed PDFs and logs need room.")


def render_application_pdf(session: FormSession, out: Path, *, language: str = "ja",
                           receipt_out: Path | None = None) -> RenderReport:
    """Render ``session`` as the Japanese A4 form (and, given ``receipt_out``, the receipt).

    Returns the report of the form (fields with characters to hand-write) for the clerk.
    """
    from devices.printer.pdf_render import (  # noqa: PLC0415
        RenderReport,
        render_application,
        render_receipt,
    )
    from kiosk.paths import forms_dir  # noqa: PLC0415
    from kiosk.procedures.printing import fill_form  # noqa: PLC0415
    from kiosk.procedures.receipt import build_receipt  # noqa: PLC0415

    background = session.definition.print.background
    if background and (forms_dir() / background).is_file():
        # The city's own 様式 with the values in its boxes; the generic layout otherwise.
        from devices.printer.overlay_render import render_on_background  # noqa: PLC0415
        from kiosk.procedures.overlay import overlay_texts  # noqa: PLC0415

        render_on_background(overlay_texts(session), forms_dir() / background, out)
        report = RenderReport()
    else:
        report = render_application(fill_form(session), out)
    if receipt_out is not None:
        render_receipt(build_receipt([session], language=language,
                                     application_id=session.application_id), receipt_out)
    return report


# The modules a build needs to translate or to recognise speech. The tablet build leaves them
# out (packaging/pyinstaller/kiosk.spec): the clerk PC at the same counter translates the lines
# of the conversation and recognises the clerk's speech (kiosk.storage.conversation_relay).
_TRANSLATION_ENGINE = ("ctranslate2", "sentencepiece")
_SPEECH_RECOGNIZER = ("faster_whisper", "ctranslate2", "numpy")


def _missing_module(modules: tuple[str, ...]) -> str | None:
    """The first of ``modules`` this installation cannot import, or ``None``; imports none."""
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except (ImportError, ValueError):     # a broken or placeholder module counts as absent
            return name
    return None


def _lacks(modules: tuple[str, ...], what: str) -> str:
    """``"this build has no <what> (<why>)"``, why being the build's flavour or the module a
    checkout lacks; ``""`` when every module is there."""
    module = _missing_module(modules)
    if module is None:
        return ""
    flavour = build_flavour()
    why = f"{flavour} build" if flavour else f"{module} is not installed"
    return f"this build has no {what} ({why})"


def build_translator(config: Config) -> Translator | None:
    """Argos Translate on the installed packs, or ``None`` when none is installed or this build
    has no translation engine (the tablet build)."""
    if _missing_module(_TRANSLATION_ENGINE) or not installed_packages(config.models_dir):
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
            _missing_module(_SPEECH_RECOGNIZER):
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


def install_translation_package(config: Config, archive: Path) -> str:
    """Install a ``.argosmodel`` file for ``kiosk models install``; returns the pair.

    Raises:
        DeviceError: the file is not a language pack, or this build cannot translate.
    """
    no_engine = _lacks(_TRANSLATION_ENGINE, "translation engine")
    if no_engine:
        raise DeviceError(S_("Cannot install translation models: {reason}. Install them on the "
                             "clerk PC of the counter (full build), which translates for its "
                             "tablet."), reason=no_engine)
    return install_package(archive, config.models_dir).pair


def install_speech_model(config: Config, directory: Path) -> Path:
    """Install a faster-whisper model directory for ``kiosk models install-stt``.

    Raises:
        DeviceError: the directory is not a model, or this build cannot recognise speech.
    """
    no_recognizer = _lacks(_SPEECH_RECOGNIZER, "speech recognizer")
    if no_recognizer:
        raise DeviceError(S_("Cannot install a speech recognition model: {reason}. Install it "
                             "on the clerk PC of the counter (full build), which captions for "
                             "its tablet."), reason=no_recognizer)
    return install_stt_model(directory, config.models_dir)


def describe_models(config: Config) -> list[str]:
    """Lines for ``kiosk models list``: packs, reachable pairs through English, speech model."""
    packs = installed_packages(config.models_dir)
    lines = [f"translation {pack.pair:<10} version {pack.version:<8} {pack.path}" for pack in packs]
    no_engine = _lacks(_TRANSLATION_ENGINE, "translation engine")
    if no_engine:
        lines.append(f"translation: {no_engine}; the clerk PC at the counter translates")
    elif not packs:
        lines.append(f"translation: no pack in {config.models_dir / 'translation'}")
    translator = ArgosTranslator(config.models_dir)
    codes = sorted({code for pack in packs for code in (pack.source, pack.target)})
    for source in codes:
        for target in codes:
            route = translator.route(source, target)
            if route is not None and len(route) == 3:
                lines.append(f"translation {source}->{target:<7} through English")
    model = stt_model_dir(config.models_dir)
    no_recognizer = _lacks(_SPEECH_RECOGNIZER, "speech recognizer")
    lines.append(f"speech: {no_recognizer}; the clerk PC at the counter captions" if no_recognizer
                 else f"speech      {model}" if (model / "model.bin").is_file()
                 else f"speech: no model in {model}")
    return lines


# A short sentence per source language for ``kiosk models check`` (not personal data).
_TRIAL_SENTENCES = {"ja": "番号札をお取りください。", "en": "Please take a number."}


def run_models(config: Config) -> list[Check]:
    """``kiosk models check``: load every installed model and run it once, so IT knows after
    an install (or a bundle update) that translation and captions really work here."""
    checks: list[Check] = []
    no_engine = _lacks(_TRANSLATION_ENGINE, "translation engine")
    packs = [] if no_engine else installed_packages(config.models_dir)
    if no_engine:
        checks.append(Check("translation.run", Status.OK, f"{no_engine}: nothing to run"))
    translator = ArgosTranslator(config.models_dir)
    for pack in packs:
        name = f"translation.run.{pack.pair}"
        checks += guarded(name, functools.partial(_run_pack, translator, pack.source,
                                                  pack.target, name))
    checks += guarded("captions.run", lambda: [_run_recognizer(config)])
    return checks


def _run_pack(translator: ArgosTranslator, source: str, target: str, name: str) -> list[Check]:
    result = translator.translate(_TRIAL_SENTENCES.get(source, "OK."), source, target)
    if not result:
        return [Check(name, Status.FAIL, "the model gave no text", "Reinstall the pack.")]
    return [Check(name, Status.OK, "loaded and ran")]


def _run_recognizer(config: Config) -> Check:
    no_recognizer = _lacks(_SPEECH_RECOGNIZER, "speech recognizer")
    model = stt_model_dir(config.models_dir)
    if no_recognizer:
        return Check("captions.run", Status.OK, f"{no_recognizer}: nothing to run")
    if not (model / "model.bin").is_file():
        return Check("captions.run", Status.OK, f"no speech model in {model}: nothing to run")
    from devices.audio.recognizer import WhisperRecognizer  # noqa: PLC0415 - numpy, Whisper

    recognizer = WhisperRecognizer(model, threads=config.models.stt_threads)
    # A second of silence: loads the model and runs the encoder and the decoder once.
    import numpy as np  # noqa: PLC0415

    heard = recognizer.transcribe(np.zeros(16_000, dtype=np.float32), "ja")
    return Check("captions.run", Status.OK if heard == "" else Status.WARN,
                 "loaded and ran" if heard == "" else "heard words in silence",
                 "" if heard == "" else "Reinstall the speech model.")


def use_japanese_dictionary(config: Config) -> None:
    """Point Open JTalk at the dictionary IT installed under the models directory (a bundle
    leaves it out; a venv uses the wheel's copy)."""
    from devices.speech.japanese_dictionary import use_models_dir  # noqa: PLC0415

    use_models_dir(config.models_dir)


def _model_checks(config: Config) -> list[Check]:
    return [*_translation_checks(config), _captions_check(config)]


def _translation_checks(config: Config) -> list[Check]:
    no_engine = _lacks(_TRANSLATION_ENGINE, "translation engine")
    if not no_engine:
        return list(ArgosTranslator(config.models_dir).probe())
    if config.device.role == "clerk":
        # The clerk PC is the device that translates for its counter.
        return [Check("translation.engine", Status.WARN,
                      f"{no_engine}: the visitor's lines stay untranslated at this counter",
                      "Install the full build on clerk PCs (the tablet build is for tablets "
                      "and boards).")]
    return [Check("translation.engine", Status.OK,
                  f"{no_engine}: translations come from the clerk PC at the same counter")]


def _captions_check(config: Config) -> Check:
    model = stt_model_dir(config.models_dir)
    no_recognizer = _lacks(_SPEECH_RECOGNIZER, "speech recognizer")
    if no_recognizer:
        if config.device.role == "clerk" and config.models.captions:
            return Check("captions.model", Status.WARN,
                         f"{no_recognizer}: the clerk's speech is not captioned",
                         "Install the full build on clerk PCs (the tablet build is for tablets "
                         "and boards).")
        return Check("captions.model", Status.OK,
                     f"{no_recognizer}: captions are recognised on the clerk PC at the same "
                     "counter")
    if not (model / "model.bin").is_file():
        status = Status.WARN if config.models.captions else Status.OK
        return Check("captions.model", status, f"no speech model in {model}",
                     "Copy a faster-whisper model and run: kiosk models install-stt DIR")
    return Check("captions.model", Status.OK, f"speech model at {model}")


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
    return ElectronicFiling(render_signed_application, build_document_signer(config, demo=demo),
                            DocumentStore(config.document_dir), clock, usage,
                            reason=config.signing.reason, location=config.signing.location,
                            timestamped=bool(config.signing.tsa_url))


def render_signed_application(session: FormSession, when: datetime) -> tuple[bytes, int]:
    """The completed form (always the generic layout, which has the 署名 box with the
    tablet signature) as a PDF/A-2b candidate: its bytes and page count."""
    import io  # noqa: PLC0415

    from devices.printer.pdf_render import render_application  # noqa: PLC0415
    from devices.signing.pdfa import to_pdfa  # noqa: PLC0415
    from kiosk.procedures.printing import fill_form  # noqa: PLC0415

    out = io.BytesIO()
    render_application(fill_form(session), out)
    title = f"{session.definition.print.title or session.definition.title.get('ja')} " \
            f"{session.application_id}"
    return to_pdfa(out.getvalue(), title=title, when=when), 1


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
