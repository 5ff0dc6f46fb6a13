"""The waiting tickets of each line counted by five minutes of their place, kept by triggers.

A ticket's place in its line was the count of the tickets waiting before it (or behind it,
whichever were fewer): halfway down a line of 10,000 that was 5,000 index entries. A ticket's
place is its ``queued_at``, so ``queue_slots`` counts the waiting tickets of each line by the
five minutes their place falls in (the slot: seconds since 1970 divided by 300). Those before
a ticket are then the slots before its own, a few rows, and of its own slot the fewer of those
queued before or after it. Triggers on ``tickets`` move the counts as ``queue_lines``'s do
(migration 0014), and also when a ticket's place changes (put back in the line).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SLOT_SECONDS = 300  # as QUEUE_SLOT_SECONDS in kiosk.storage.schema: fixed by this migration

# SQLite keeps times as naive UTC text; strftime('%s') reads it as seconds since 1970.
_SLOT_SQLITE = f"CAST(strftime('%s', {{row}}.queued_at) AS INTEGER) / {SLOT_SECONDS}"
_SLOT_POSTGRES = f"floor(extract(epoch FROM {{row}}.queued_at) / {SLOT_SECONDS})::bigint"

_ENTER_SQLITE = f"""
    INSERT INTO queue_slots (service_id, day, priority, slot, waiting)
    SELECT NEW.service_id, NEW.day, NEW.priority, {_SLOT_SQLITE.format(row="NEW")}, 1
    WHERE NEW.state = 'issued'
    ON CONFLICT (service_id, day, priority, slot) DO UPDATE SET waiting = waiting + 1;"""
_LEAVE_SQLITE = f"""
    UPDATE queue_slots SET waiting = waiting - 1
    WHERE OLD.state = 'issued' AND service_id = OLD.service_id AND day = OLD.day
      AND priority = OLD.priority AND slot = {_SLOT_SQLITE.format(row="OLD")};"""  # noqa: S608
_SQLITE = [
    f"""CREATE TRIGGER tickets_enter_slot AFTER INSERT ON tickets WHEN NEW.state = 'issued'
    BEGIN {_ENTER_SQLITE}
    END""",
    f"""CREATE TRIGGER tickets_move_slot AFTER UPDATE OF state, service_id, day, priority,
    queued_at ON tickets WHEN OLD.state = 'issued' OR NEW.state = 'issued'
    BEGIN {_LEAVE_SQLITE} {_ENTER_SQLITE}
    END""",
    f"""CREATE TRIGGER tickets_leave_slot AFTER DELETE ON tickets WHEN OLD.state = 'issued'
    BEGIN {_LEAVE_SQLITE}
    END""",
]
_POSTGRES = [
    f"""CREATE FUNCTION tickets_queue_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.state = 'issued' THEN
        UPDATE queue_slots SET waiting = waiting - 1
        WHERE service_id = OLD.service_id AND day = OLD.day AND priority = OLD.priority
          AND slot = {_SLOT_POSTGRES.format(row="OLD")};
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.state = 'issued' THEN
        INSERT INTO queue_slots (service_id, day, priority, slot, waiting)
        VALUES (NEW.service_id, NEW.day, NEW.priority, {_SLOT_POSTGRES.format(row="NEW")}, 1)
        ON CONFLICT (service_id, day, priority, slot)
        DO UPDATE SET waiting = queue_slots.waiting + 1;
    END IF;
    RETURN NULL;
END $$""",  # noqa: S608 - constants only, as every statement here
    """CREATE TRIGGER tickets_enter_slot AFTER INSERT ON tickets FOR EACH ROW
    WHEN (NEW.state = 'issued') EXECUTE FUNCTION tickets_queue_slots()""",
    """CREATE TRIGGER tickets_move_slot AFTER UPDATE OF state, service_id, day, priority,
    queued_at ON tickets FOR EACH ROW WHEN (OLD.state = 'issued' OR NEW.state = 'issued')
    EXECUTE FUNCTION tickets_queue_slots()""",
    """CREATE TRIGGER tickets_leave_slot AFTER DELETE ON tickets FOR EACH ROW
    WHEN (OLD.state = 'issued') EXECUTE FUNCTION tickets_queue_slots()""",
]
_TRIGGERS = ("tickets_enter_slot", "tickets_move_slot", "tickets_leave_slot")


def upgrade() -> None:
    """Add ``queue_slots``, fill it from the tickets waiting now, and the triggers."""
    op.create_table(
        "queue_slots",
        sa.Column("service_id", _Id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "day", "priority", "slot", name="pk_queue_slots"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name="fk_queue_slots_service_id_services"),
    )
    postgres = op.get_context().dialect.name == "postgresql"
    if postgres:
        # No ticket may change between the count and the triggers' first move.
        op.execute("LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE")
    slot = (_SLOT_POSTGRES if postgres else _SLOT_SQLITE).format(row="tickets")
    op.execute("INSERT INTO queue_slots (service_id, day, priority, slot, waiting) "  # noqa: S608
               f"SELECT service_id, day, priority, {slot}, count(*) FROM tickets "
               f"WHERE state = 'issued' GROUP BY service_id, day, priority, {slot}")
    for statement in (_POSTGRES if postgres else _SQLITE):
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and ``queue_slots``."""
    postgres = op.get_context().dialect.name == "postgresql"
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON tickets" if postgres else f"DROP TRIGGER {name}")
    if postgres:
        op.execute("DROP FUNCTION tickets_queue_slots()")
    op.drop_table("queue_slots")
