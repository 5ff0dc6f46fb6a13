"""The optional capabilities a configuration section turns on, built on the use cases.

Fees at the counter (``[payment]``), the handover to the core systems (``[export]``),
reservations (``[web] reserve_*``) and signed electronic applications (``[signing]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.app.adapters import build_document_signer, build_export, build_payment_terminal, build_renderer
from kiosk.audit.recorder import UsageRecorder
from kiosk.config import Config
from kiosk.domain.reservation import SlotPlan
from kiosk.errors import ConfigError
from kiosk.i18n import S_
from kiosk.ports import Clock
from kiosk.procedures.catalog import FormCatalog
from kiosk.services.electronic import ElectronicFiling
from kiosk.services.payments import PaymentService
from kiosk.services.queue import QueueService
from kiosk.services.reservations import ReservationDesk, plan_from_config
from kiosk.services.review import ReviewService
from kiosk.storage.database import Storage
from kiosk.storage.documents import DocumentStore
from kiosk.storage.reservation_store import ReservationStore
from kiosk.storage.sealing import AnswerSealer

if TYPE_CHECKING:
    from kiosk.services.handover import HandoverService


def build_payments(config: Config, storage: Storage, review: ReviewService,
                   usage: UsageRecorder, catalog: FormCatalog) -> PaymentService | None:
    """Fees paid at the counter, and the review's gate that holds an unpaid certificate;
    ``None`` when ``[payment] kind = "none"`` (fees are only totalled, as before)."""
    if config.payment.kind == "none":
        return None
    payments = PaymentService(storage.payments, build_payment_terminal(config),
                              cash=config.payment.cash, usage=usage, forms=catalog.forms,
                              issuer=config.payment.issuer, printer=review.printer,
                              renderer=build_renderer())
    review.release_gate = payments.require_paid
    return payments


def build_handover(config: Config, storage: Storage, sealer: AnswerSealer, catalog: FormCatalog,
                   clock: Clock, usage: UsageRecorder) -> HandoverService | None:
    """The handover use case when ``[export]`` is on (mappings checked against the forms).

    Raises:
        ConfigError: the mapping files do not fit the forms, or name an unknown system.
    """
    spool = build_export(config)
    if spool is None:
        return None
    # Here: a device without [export] (every tablet) starts without the mappings' modules.
    from kiosk.handover import check_mappings, load_mappings  # noqa: PLC0415
    from kiosk.services.handover import HandoverService  # noqa: PLC0415
    from kiosk.storage.export_store import ExportStore  # noqa: PLC0415

    mappings = load_mappings(config.export.mappings_dir)
    problems = check_mappings(mappings, catalog.forms)
    unknown = sorted(set(config.export.systems) - set(mappings.systems))
    if problems or unknown:
        raise ConfigError(S_("[export]: {count} problems in the mapping files, first: {first}. "
                             "Run kiosk export --check."), count=len(problems) + len(unknown),
                          first=str(problems[0]) if problems else f"systems: {unknown[0]}")
    return HandoverService(ExportStore(storage.engine, clock), storage.applications, sealer,
                           catalog, mappings, spool, clock, usage, config.export.systems)


def build_reservations(config: Config, storage: Storage, queue: QueueService, clock: Clock,
                       usage: UsageRecorder) -> ReservationDesk:
    """Reservations (予約) on the shared database, with the ``[web] reserve_*`` plan."""
    return ReservationDesk(ReservationStore(storage.engine, clock), queue,
                           reservation_plan(config), clock, usage)


def reservation_plan(config: Config) -> SlotPlan:
    """The reservations' hours, slots, days ahead, grace and priority from ``[web] reserve_*``."""
    web = config.web
    return plan_from_config(web.reserve_hours, web.reserve_slot_minutes, web.reserve_days_ahead,
                            web.reserve_grace_minutes, web.reserve_priority, web.reserve_days)


def build_filing(config: Config, clock: Clock, usage: UsageRecorder, *,
                 demo: bool = False) -> ElectronicFiling | None:
    """Signed electronic applications, when ``[signing]`` is on (always in the demo)."""
    if config.signing.kind == "off" and not demo:
        return None
    return ElectronicFiling(build_renderer(),
                            build_document_signer(config, demo=demo),
                            DocumentStore(config.document_dir), clock, usage,
                            reason=config.signing.reason, location=config.signing.location,
                            timestamped=bool(config.signing.tsa_url))
