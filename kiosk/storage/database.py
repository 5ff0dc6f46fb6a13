"""Opening the configured database: engine, schema check and the stores, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from kiosk.ports import Clock
from kiosk.storage.application_store import ApplicationStore
from kiosk.storage.engine import is_sqlite, make_engine
from kiosk.storage.lookup_grants import LookupGrantStore
from kiosk.storage.migrate import ensure_schema
from kiosk.storage.payment_store import PaymentStore
from kiosk.storage.queue_store import QueueStore
from kiosk.storage.staff_store import StaffStore

__all__ = ["Storage", "open_storage"]


@dataclass
class Storage:
    """The stores of one database, sharing one engine."""

    engine: Engine
    queue: QueueStore
    applications: ApplicationStore
    staff: StaffStore
    payments: PaymentStore
    lookup_grants: LookupGrantStore    # who may look residents up in the register

    @property
    def shared(self) -> bool:
        """Whether several devices share this database (PostgreSQL)."""
        return not is_sqlite(self.engine)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_storage(url: str, clock: Clock, *, auto_upgrade: bool | None = None,
                 pool_size: int = 5) -> Storage:
    """Connect to ``url`` and check its schema before anything reads or writes.

    Args:
        auto_upgrade: upgrade an empty or older schema; default: only an embedded SQLite file
            (a shared PostgreSQL is upgraded on purpose with ``kiosk db upgrade``).

    Raises:
        kiosk.storage.migrate.SchemaMismatchError: unknown schema revision, or an older one that
            may not be upgraded here.
        kiosk.storage.engine.DatabaseUnavailableError: the database cannot be reached.
    """
    engine = make_engine(url, pool_size=pool_size)
    try:
        ensure_schema(engine, auto_upgrade=is_sqlite(engine) if auto_upgrade is None
                      else auto_upgrade)
    except BaseException:
        engine.dispose()
        raise
    return Storage(engine=engine, queue=QueueStore(engine, clock),
                   applications=ApplicationStore(engine, clock), staff=StaffStore(engine, clock),
                   payments=PaymentStore(engine, clock),
                   lookup_grants=LookupGrantStore(engine, clock))
