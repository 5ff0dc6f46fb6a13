"""The tablet's local outbox: submissions wait here (sealed) until the shared database has them.

Every submission is written to the outbox first, in a local SQLite file, and only then sent.
Delivery inserts by idempotency key (a repeat is a no-op) and then deletes the local row, so a
crash or an outage at any point delivers each application exactly once. Answers stay
encrypted in the outbox, and the row is gone as soon as the shared database holds it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.storage.application_store import ApplicationStore, SealedSubmission
from kiosk.storage.engine import DatabaseUnavailableError, make_engine, transaction

__all__ = ["Outbox"]

_log = logging.getLogger(__name__)

_metadata = MetaData()
_outbox = Table(
    "outbox", _metadata,
    Column("idempotency_key", String(64), primary_key=True),
    Column("form_id", String(100), nullable=False),
    Column("form_version", String(32), nullable=False),
    Column("language", String(16), nullable=False),
    Column("ticket_id", Integer, nullable=True),
    Column("answer_count", Integer, nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("submitted_at", String(40), nullable=False),   # ISO 8601 with offset
    Column("attempts", Integer, nullable=False, default=0),
)


class Outbox:
    """A local SQLite outbox at ``path``."""

    def __init__(self, path: Path) -> None:
        self._engine = make_engine(f"sqlite:///{path}")
        _metadata.create_all(self._engine)

    @property
    def engine(self) -> Engine:
        """The local engine (tests inspect it)."""
        return self._engine

    def close(self) -> None:
        """Release the file."""
        self._engine.dispose()

    def put(self, submission: SealedSubmission) -> None:
        """Keep ``submission`` until delivered; putting the same key twice keeps one copy."""
        with transaction(self._engine, write=True) as connection:
            connection.execute(sqlite_insert(_outbox).values(
                idempotency_key=submission.idempotency_key, form_id=submission.form_id,
                form_version=submission.form_version, language=submission.language,
                ticket_id=submission.ticket_id, answer_count=submission.answer_count,
                key_id=submission.key_id, sealed=submission.sealed,
                submitted_at=submission.submitted_at.isoformat(), attempts=0,
            ).on_conflict_do_nothing(index_elements=["idempotency_key"]))

    def pending(self) -> int:
        """How many submissions wait for delivery."""
        with transaction(self._engine) as connection:
            return int(connection.execute(select(func.count()).select_from(_outbox)).scalar_one())

    def deliver(self, store: ApplicationStore, *, late: bool = True,
                only_key: str | None = None) -> dict[str, int]:
        """Send waiting submissions to ``store``, oldest first; stop at the first outage.

        Returns:
            idempotency key -> application id, for each submission delivered by this call.
        """
        delivered: dict[str, int] = {}
        query = select(_outbox).order_by(_outbox.c.submitted_at)
        if only_key is not None:
            query = query.where(_outbox.c.idempotency_key == only_key)
        with transaction(self._engine) as connection:
            rows = connection.execute(query).all()
        for row in rows:
            submission = SealedSubmission(
                idempotency_key=row.idempotency_key, form_id=row.form_id,
                form_version=row.form_version, language=row.language, ticket_id=row.ticket_id,
                answer_count=row.answer_count, key_id=row.key_id, sealed=row.sealed,
                submitted_at=datetime.fromisoformat(row.submitted_at).astimezone(UTC),
            )
            try:
                application_id, _created = store.insert(submission, late=late)
            except DatabaseUnavailableError:
                self._count_attempt(row.idempotency_key)
                _log.info("outbox: shared database unreachable, %d waiting", len(rows))
                break
            # Crash here and the next delivery repeats the insert, which is a no-op.
            with transaction(self._engine, write=True) as connection:
                connection.execute(delete(_outbox)
                                   .where(_outbox.c.idempotency_key == row.idempotency_key))
            delivered[row.idempotency_key] = application_id
        return delivered

    def _count_attempt(self, key: str) -> None:
        with transaction(self._engine, write=True) as connection:
            connection.execute(update(_outbox).where(_outbox.c.idempotency_key == key)
                               .values(attempts=_outbox.c.attempts + 1))
