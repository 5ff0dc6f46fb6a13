"""The use cases IT's commands run without a front end, each opened on its own connection.

``kiosk staff``, ``kiosk reservations``, ``kiosk payments`` and ``kiosk export`` ask for these
and never for a store: each context manager opens the database (and, where the use case
records usage, a usage log of the command's own), yields the use case and closes both. No
background thread starts. The database's own commands (``kiosk db``) stay on the storage layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.app.capabilities import build_handover, reservation_plan
from kiosk.audit.sealing import SealedHead
from kiosk.audit.usage_log import UsageLog
from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.i18n import S_
from kiosk.ports import Clock, SystemClock
from kiosk.procedures.catalog import load_catalog
from kiosk.services.handover import HandoverService
from kiosk.services.payments import PaymentService
from kiosk.services.queue import QueueService
from kiosk.services.reservations import ReservationDesk
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.staff import StaffService, login_policy
from kiosk.storage.audit_heads import AuditHeadStore
from kiosk.storage.database import open_storage
from kiosk.storage.engine import make_engine
from kiosk.storage.lookup_grants import LookupGrantStore
from kiosk.storage.migrate import ensure_schema
from kiosk.storage.queue_store import QueueStore
from kiosk.storage.reservation_store import ReservationStore
from kiosk.storage.sealing import AnswerSealer, load_answers_key
from kiosk.storage.staff_store import StaffStore

__all__ = ["audit_heads", "open_handover", "open_payments", "open_reservations", "open_staff"]


def _command_usage(config: Config, clock: Clock) -> UsageLog:
    """The usage log of a command run on this device (its own file beside the device's)."""
    return UsageLog(config.audit_dir, f"{config.device.id}.cli", clock,
                    fsync=config.audit.fsync, retention_days=config.audit.retention_days)


@contextmanager
def open_staff(config: Config) -> Iterator[tuple[StaffService, ResidentLookup]]:
    """The staff accounts, and the lookup grants on the same database and usage log."""
    engine = make_engine(config.database_url)
    clock = SystemClock()
    usage = _command_usage(config, clock)
    try:
        ensure_schema(engine, auto_upgrade=engine.dialect.name == "sqlite")
        store = StaffStore(engine, clock)
        yield (StaffService(store, usage, login_policy(config.staff)),
               ResidentLookup(None, LookupGrantStore(engine, clock), store, clock, usage))
    finally:
        usage.close()
        engine.dispose()


@contextmanager
def open_reservations(config: Config) -> Iterator[ReservationDesk]:
    """Reservations (予約) with the ``[web] reserve_*`` plan, for their places and figures."""
    clock = SystemClock()
    engine = make_engine(config.database_url)
    try:
        ensure_schema(engine, auto_upgrade=engine.dialect.name == "sqlite")
        yield ReservationDesk(ReservationStore(engine, clock),
                              QueueService(QueueStore(engine, clock)), reservation_plan(config),
                              clock)
    finally:
        engine.dispose()


@contextmanager
def open_payments(config: Config) -> Iterator[PaymentService]:
    """The fees taken (no terminal): the day's close, takings and receipts."""
    storage = open_storage(config.database_url, SystemClock())
    try:
        yield PaymentService(storage.payments, None, forms=load_catalog().forms,
                             issuer=config.payment.issuer)
    finally:
        storage.close()


@contextmanager
def open_handover(config: Config) -> Iterator[HandoverService]:
    """The handover of approved applications to the core systems (``[export]``).

    Raises:
        ConfigError: ``[export]`` is off, or its mappings do not fit the forms.
    """
    clock = SystemClock()
    storage = open_storage(config.database_url, clock)
    usage = _command_usage(config, clock)
    try:
        key = load_answers_key(config.database.answers_key, config.device.data_dir,
                               shared_database=storage.shared)
        handover = build_handover(config, storage, AnswerSealer(key), load_catalog(), clock,
                                  usage)
        if handover is None:
            raise ConfigError(S_("[export] is off in {file}: set kind = \"folder\" and folder "
                                 "first."), file=str(config.source or "(defaults)"))
        yield handover
    finally:
        usage.close()
        storage.close()


def audit_heads(url: str) -> dict[str, list[SealedHead]]:
    """The usage logs' seals kept off the devices at ``url`` (``[audit] heads_url``)."""
    engine = make_engine(url, pool_size=1)
    try:
        return AuditHeadStore(engine).heads()
    finally:
        engine.dispose()
