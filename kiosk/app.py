"""Composition root: configuration -> device adapters -> :class:`Services`.

This is the only module that imports ``devices``. It picks the real adapter or the simulator
of each device from the configuration (never from ``if testing:`` branches) and hands one
:class:`Services` object to whichever front end runs.
"""

from __future__ import annotations

import platform
import shutil
import sys
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from devices.printer.cups_printer import CupsPrinter
from devices.printer.folder_printer import FolderPrinter
from devices.smartcard.card_reader import CardIdentityReader, load_issuer_key
from devices.smartcard.pcsc_transport import PcscSlot
from devices.smartcard.reader_monitor import ReaderMonitor
from devices.smartcard.readers import probe_readers
from devices.smartcard.simulated_card import SimulatedMyNumberCard, SimulatedSlot, load_person
from devices.speech.voices import probe_voices
from kiosk import __version__, fonts
from kiosk.config import Config
from kiosk.doctor import Check, Status, guarded
from kiosk.errors import ConfigError
from kiosk.events import EventBus
from kiosk.i18n import S_, language
from kiosk.ports import Clock, IdentityReader, Printer, SystemClock
from kiosk.procedures.catalog import FormCatalog, load_catalog
from kiosk.services.applications import SubmissionService
from kiosk.services.queue import QueueService
from kiosk.services.retention import PeriodicJob, purge_finished
from kiosk.services.setup import ensure_services
from kiosk.storage.database import Storage, open_storage
from kiosk.storage.engine import probe_database
from kiosk.storage.listener import QueueListener
from kiosk.storage.migrate import probe_schema
from kiosk.storage.outbox import Outbox
from kiosk.storage.sealing import AnswerSealer, load_answers_key

if TYPE_CHECKING:
    from pathlib import Path

    from devices.printer.pdf_render import RenderReport
    from kiosk.procedures.session import FormSession

__all__ = [
    "Services", "build_card_monitor", "build_identity_reader", "build_services", "doctor_checks",
    "render_application_pdf",
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
    demo: bool = False
    _background: list[Startable] = field(default_factory=list)

    def start_background(self) -> None:
        """Start the threads a running front end needs (once): live queue updates, the
        outbox courier, the retention job and, with a real reader, the card monitor."""
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
        monitor = build_card_monitor(config, self.events)
        if monitor is not None:
            self._background.append(monitor)
        for job in self._background:
            job.start()

    def close(self) -> None:
        """Stop the background threads and release the database connections."""
        for job in reversed(self._background):
            job.stop()
        self._background.clear()
        self.storage.close()


def build_printer(config: Config, *, demo: bool = False) -> Printer:
    """The configured printer; the demo always prints to a folder."""
    if demo or config.printer.kind == "file":
        return FolderPrinter(config.print_dir)
    return CupsPrinter(config.printer.name)


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


def build_services(config: Config, *, demo: bool = False) -> Services:
    """Build the :class:`Services` for ``config``; ``demo`` forces simulated devices.

    The database is opened and its schema checked here, before any screen shows: an embedded
    SQLite file is created or upgraded; a shared PostgreSQL must already be current.

    Raises:
        ConfigError: an invalid device setting.
        kiosk.errors.StorageError: the database is unreachable or its schema is not usable.
    """
    config.device.data_dir.mkdir(parents=True, exist_ok=True)
    clock = SystemClock()
    if demo and not config.card.simulated:
        config = replace(config, card=replace(config.card, simulated=True))
    storage = open_storage(config.database_url, clock)
    try:
        catalog = load_catalog()
        ensure_services(storage.queue, catalog)
        key = load_answers_key(config.database.answers_key, config.device.data_dir,
                               shared_database=storage.shared)
        submissions = SubmissionService(storage.applications,
                                        Outbox(config.device.data_dir / "outbox.sqlite3"),
                                        AnswerSealer(key), clock)
        return Services(config=config, events=EventBus(), clock=clock,
                        printer=build_printer(config, demo=demo),
                        identity_reader=build_identity_reader(config), storage=storage,
                        queue=QueueService(storage.queue), submissions=submissions,
                        forms=catalog, demo=demo)
    except BaseException:
        storage.close()
        raise


def doctor_checks(config: Config) -> list[Check]:
    """Every self-test of this device, in the order IT reads them."""
    checks: list[Check] = []
    checks += guarded("kiosk.version", lambda: [_version_check()])
    checks += guarded("qt", _qt_checks)
    checks += guarded("fonts", _font_checks)
    checks += guarded("database.reachable", lambda: probe_database(config.database_url))
    checks += guarded("database.schema", lambda: probe_schema(config.database_url))
    checks += guarded("card.pcsc", lambda: _card_checks(config))
    checks += guarded("printer.ready", lambda: build_printer(config).probe())
    bcp47 = [language(code).bcp47 for code in config.ui.languages]
    checks += guarded("speech", lambda: probe_voices(bcp47))
    checks += guarded("disk.free", lambda: [_disk_check(config)])
    return checks


def _version_check() -> Check:
    return Check("kiosk.version", Status.OK,
                 f"kiosk {__version__}, Python {platform.python_version()} on {sys.platform}")


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
    return probe_readers(config.card.reader)


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
    from devices.printer.pdf_render import render_application, render_receipt  # noqa: PLC0415
    from kiosk.procedures.printing import fill_form  # noqa: PLC0415
    from kiosk.procedures.receipt import build_receipt  # noqa: PLC0415

    report = render_application(fill_form(session), out)
    if receipt_out is not None:
        render_receipt(build_receipt([session], language=language,
                                     application_id=session.application_id), receipt_out)
    return report
