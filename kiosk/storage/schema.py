"""The tables of the shared database (SQLAlchemy Core), one definition for SQLite and PostgreSQL.

The Alembic migrations in ``kiosk/storage/migrations`` create exactly these tables; a test
compares the two. Timestamps are stored timezone-aware (UTC on SQLite).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = [
    "QUEUE_SLOT_SECONDS",
    "application_corrections",
    "application_events",
    "application_exports",
    "applications",
    "audit_heads",
    "counters",
    "daily_numbers",
    "lookup_grants",
    "metadata",
    "payments",
    "queue_lines",
    "queue_slots",
    "remote_tickets",
    "reservation_capacity",
    "reservations",
    "services",
    "staff",
    "ticket_events",
    "tickets",
]

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# BIGINT on PostgreSQL, INTEGER on SQLite (only INTEGER PRIMARY KEY is the rowid alias there).
_Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes on both engines: naive UTC text on SQLite, timestamptz on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")  # a naive time would be read back shifted
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


_Time = UtcDateTime()

services = Table(
    "services", metadata,
    Column("id", _Id, primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("prefix", String(4), nullable=False),
    Column("name", String(200), nullable=False),
    Column("default_service_seconds", Integer, nullable=False, server_default="300"),
    Column("active", Boolean, nullable=False, server_default="1"),
)

counters = Table(
    "counters", metadata,
    Column("id", _Id, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    # Comma-separated service codes this counter calls, in order of preference.
    Column("service_codes", String(400), nullable=False, server_default=""),
)

staff = Table(
    "staff", metadata,
    Column("id", _Id, primary_key=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_at", _Time, nullable=False),
    # Failed logins since the last good one, shared by every clerk PC: the next try waits a
    # growing delay after the last failure, and after [staff] lockout_after the account is
    # locked until a supervisor unlocks it.
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("last_failed_at", _Time, nullable=True),
    Column("locked_at", _Time, nullable=True),
)

# The last number handed out per service per day: one row, bumped atomically by an upsert.
daily_numbers = Table(
    "daily_numbers", metadata,
    Column("service_id", _Id, ForeignKey("services.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

tickets = Table(
    "tickets", metadata,
    Column("id", _Id, primary_key=True),
    Column("service_id", _Id, ForeignKey("services.id"), nullable=False),
    Column("origin_service_id", _Id, ForeignKey("services.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("number", Integer, nullable=False),
    Column("label", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("slip", String(16), nullable=False, server_default=""),
    Column("reserved_at", _Time, nullable=False),
    Column("queued_at", _Time, nullable=False),
    Column("counter", String(100), nullable=False, server_default=""),
    Column("staff_id", _Id, ForeignKey("staff.id"), nullable=True),
    Column("called_at", _Time, nullable=True),
    Column("serving_at", _Time, nullable=True),
    Column("finished_at", _Time, nullable=True),
    UniqueConstraint("origin_service_id", "day", "number", name="uq_tickets_number"),
    # The estimate's last service times: the newest finished tickets of a service.
    Index("ix_tickets_finished", "service_id", "state", "finished_at"),
    # The estimate's open counters: who called in the last hour, without reading the day.
    Index("ix_tickets_called", "service_id", "called_at", "counter"),
)
# The queue in call order (priority first, then longest wait): call-next reads its first entry,
# and the counts of the board and the estimate read the index alone (the day is in it).
Index("ix_tickets_queue", tickets.c.service_id, tickets.c.state, tickets.c.priority.desc(),
      tickets.c.queued_at, tickets.c.id, tickets.c.day)

# How many tickets wait in each line (service, day, priority), kept by triggers on ``tickets``
# (migration 0014) whatever writes the tickets: the board's waiting count and a new ticket's
# place read these few rows instead of counting the waiting tickets.
queue_lines = Table(
    "queue_lines", metadata,
    Column("service_id", _Id, ForeignKey("services.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("priority", Integer, primary_key=True),
    Column("waiting", Integer, nullable=False),
)

# The waiting tickets of each line by the five minutes their place (queued_at) falls in, kept
# by triggers on ``tickets`` (migration 0015): a ticket's place in a long line is the slots
# before its own and a count within its own slot, not a count of the line.
QUEUE_SLOT_SECONDS = 300
"""A slot's length: its number is the seconds since 1970 of the place divided by this (the
triggers compute it so; another length needs a migration)."""

queue_slots = Table(
    "queue_slots", metadata,
    Column("service_id", _Id, ForeignKey("services.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("priority", Integer, primary_key=True),
    Column("slot", BigInteger, primary_key=True),
    Column("waiting", Integer, nullable=False),
)

ticket_events = Table(
    "ticket_events", metadata,
    Column("id", _Id, primary_key=True),
    Column("ticket_id", _Id, ForeignKey("tickets.id"), nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("from_state", String(16), nullable=False),
    Column("to_state", String(16), nullable=False),
    Column("service_id", _Id, ForeignKey("services.id"), nullable=False),
    Column("counter", String(100), nullable=False, server_default=""),
    Column("staff_id", _Id, ForeignKey("staff.id"), nullable=True),
    Column("at", _Time, nullable=False),
)

applications = Table(
    "applications", metadata,
    Column("id", _Id, primary_key=True),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("form_id", String(100), nullable=False),
    Column("form_version", String(32), nullable=False),
    Column("language", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("ticket_id", _Id, ForeignKey("tickets.id"), nullable=True),
    Column("answer_count", Integer, nullable=False),
    # AES-GCM: key id (which key), nonce || ciphertext. NULL once purged.
    Column("answers_key_id", String(16), nullable=True),
    Column("answers_sealed", LargeBinary, nullable=True),
    Column("submitted_at", _Time, nullable=False),
    Column("finished_at", _Time, nullable=True),
    Column("purged_at", _Time, nullable=True),
    Column("delivered_late", Boolean, nullable=False, server_default="0"),
    # The key of the last return reason (kiosk.services.review.RETURN_REASONS), never free text.
    Column("return_reason", String(32), nullable=False, server_default=""),
    Index("ix_applications_status", "status", "finished_at"),
)

application_events = Table(
    "application_events", metadata,
    Column("id", _Id, primary_key=True),
    Column("application_id", _Id, ForeignKey("applications.id"), nullable=False, index=True),
    Column("from_status", String(16), nullable=False),
    Column("to_status", String(16), nullable=False),
    Column("staff_id", _Id, ForeignKey("staff.id"), nullable=True),
    Column("at", _Time, nullable=False),
)

# Who corrected which field of which application when: ids only, the values stay sealed.
application_corrections = Table(
    "application_corrections", metadata,
    Column("id", _Id, primary_key=True),
    Column("application_id", _Id, ForeignKey("applications.id"), nullable=False, index=True),
    Column("field_id", String(100), nullable=False),
    Column("staff_id", _Id, ForeignKey("staff.id"), nullable=False),
    Column("at", _Time, nullable=False),
)

# Every sealed epoch of every device's usage log (kiosk.audit.sealing), written off the device.
# Devices may INSERT and SELECT, never UPDATE or DELETE (README: the GRANTs for IT).
audit_heads = Table(
    "audit_heads", metadata,
    Column("id", _Id, primary_key=True),
    Column("device", String(64), nullable=False),
    Column("epoch", BigInteger, nullable=False),
    Column("file", String(10), nullable=False),
    Column("line", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
    Column("sealed_at", _Time, nullable=False),
    UniqueConstraint("device", "epoch", name="uq_audit_heads_device_epoch"),
)

# Fees paid at the counter (kiosk.services.payments): amounts, codes and the terminal's slip
# number; never a name or a card number. Kept after the application's answers are purged:
# the accounting office's daily close (日計) needs them.
payments = Table(
    "payments", metadata,
    Column("id", _Id, primary_key=True),
    Column("application_id", _Id, ForeignKey("applications.id"), nullable=False, index=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("method", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("items", String(2000), nullable=False),     # JSON: [form, fee kind, unit yen, qty]
    Column("slip", String(64), nullable=False, server_default=""),
    Column("brand", String(32), nullable=False, server_default=""),
    Column("reason", String(32), nullable=False, server_default=""),
    Column("staff_id", _Id, ForeignKey("staff.id"), nullable=True),
    Column("created_at", _Time, nullable=False),
    Column("updated_at", _Time, nullable=False),
    Column("day", Date, nullable=False),                # the local business day (日計)
    Column("refunded_day", Date, nullable=True),
    Index("ix_payments_day", "day", "status"),
)


# What each approved application handed on to which core system (kiosk.services.handover):
# one row per application and system, written after the export's manifest is in place, so a
# rerun exports nothing twice; ``fields`` counts the values the core system need not re-key.
application_exports = Table(
    "application_exports", metadata,
    Column("id", _Id, primary_key=True),
    Column("application_id", _Id, ForeignKey("applications.id"), nullable=False),
    Column("system", String(32), nullable=False),
    Column("form_id", String(100), nullable=False),
    Column("manifest", String(200), nullable=False),
    Column("fields", Integer, nullable=False),
    Column("exported_at", _Time, nullable=False),
    UniqueConstraint("application_id", "system", name="uq_application_exports_application"),
    Index("ix_application_exports_exported_at", "exported_at"),
)


# Who may look residents up in the register (kiosk.services.resident_lookup): one row per
# grant, valid through ``expires_on`` (the fiscal year's last day, 31 March) unless revoked.
lookup_grants = Table(
    "lookup_grants", metadata,
    Column("id", _Id, primary_key=True),
    Column("staff_id", _Id, ForeignKey("staff.id"), nullable=False, index=True),
    Column("honseki", Boolean, nullable=False, server_default="0"),   # 本籍 and 筆頭者 too
    Column("granted_by", _Id, ForeignKey("staff.id"), nullable=True),
    Column("granted_at", _Time, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("revoked_by", _Id, ForeignKey("staff.id"), nullable=True),
    Column("revoked_at", _Time, nullable=True),
)


# Reservations (予約): places per slot per service, set by a supervisor (kiosk reservations).
reservation_capacity = Table(
    "reservation_capacity", metadata,
    Column("service_id", _Id, ForeignKey("services.id"), primary_key=True),
    Column("capacity", Integer, nullable=False),
)

# One row per reservation: no person, only the hash of the link the visitor holds.
reservations = Table(
    "reservations", metadata,
    Column("id", _Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("service_id", _Id, ForeignKey("services.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("start_minute", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("booked_at", _Time, nullable=False),
    Column("changed_at", _Time, nullable=False),
    Column("ticket_id", _Id, ForeignKey("tickets.id"), nullable=True),
    # Counting a slot's places and finding the day's open reservations read this index.
    Index("ix_reservations_slot", "day", "service_id", "start_minute", "state"),
)

# Remote tickets (リモート窓口): a branch's request for a specialist; no person (migration 0012).
remote_tickets = Table(
    "remote_tickets", metadata,
    Column("id", _Id, primary_key=True),
    Column("service_id", _Id, ForeignKey("services.id"), nullable=False),
    Column("branch", String(64), nullable=False),
    Column("language", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("call_id", String(32), nullable=False, unique=True),
    Column("requested_at", _Time, nullable=False),
    Column("accepted_at", _Time, nullable=True),
    Column("ended_at", _Time, nullable=True),
    Column("staff_id", _Id, ForeignKey("staff.id"), nullable=True),
    # The visitor's queue ticket at the branch: the specialist opens its application (0013).
    Column("visit_ticket_id", _Id, ForeignKey("tickets.id"), nullable=True),
    # The clerk desks list the waiting requests, oldest first.
    Index("ix_remote_tickets_state", "state", "requested_at"),
)
