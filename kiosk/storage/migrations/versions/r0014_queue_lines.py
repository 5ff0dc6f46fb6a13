"""The number of waiting tickets of each line (service, day, priority), kept by triggers.

The board's waiting count and a new ticket's place were counts over the waiting tickets, whose
cost grew with the line. ``queue_lines`` holds the count of each line; triggers on ``tickets``
move it whenever a ticket enters or leaves a line (issue, call, cancel, transfer, resume, any
insert or delete), so it holds whatever writes the tickets, and the board reads a few rows.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# A ticket is in a line while it is issued; the line is (service_id, day, priority).
_ENTER_SQLITE = """
    INSERT INTO queue_lines (service_id, day, priority, waiting)
    SELECT NEW.service_id, NEW.day, NEW.priority, 1 WHERE NEW.state = 'issued'
    ON CONFLICT (service_id, day, priority) DO UPDATE SET waiting = waiting + 1;"""
_LEAVE_SQLITE = """
    UPDATE queue_lines SET waiting = waiting - 1
    WHERE OLD.state = 'issued' AND service_id = OLD.service_id AND day = OLD.day
      AND priority = OLD.priority;"""
_SQLITE = [
    f"""CREATE TRIGGER tickets_enter_line AFTER INSERT ON tickets WHEN NEW.state = 'issued'
    BEGIN {_ENTER_SQLITE}
    END""",
    # Both parts run; each does nothing unless its side of the change is in a line.
    f"""CREATE TRIGGER tickets_move_line AFTER UPDATE OF state, service_id, day, priority
    ON tickets WHEN OLD.state = 'issued' OR NEW.state = 'issued'
    BEGIN {_LEAVE_SQLITE} {_ENTER_SQLITE}
    END""",
    f"""CREATE TRIGGER tickets_leave_line AFTER DELETE ON tickets WHEN OLD.state = 'issued'
    BEGIN {_LEAVE_SQLITE}
    END""",
]
_POSTGRES = [
    """CREATE FUNCTION tickets_queue_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.state = 'issued' THEN
        UPDATE queue_lines SET waiting = waiting - 1
        WHERE service_id = OLD.service_id AND day = OLD.day AND priority = OLD.priority;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.state = 'issued' THEN
        INSERT INTO queue_lines (service_id, day, priority, waiting)
        VALUES (NEW.service_id, NEW.day, NEW.priority, 1)
        ON CONFLICT (service_id, day, priority)
        DO UPDATE SET waiting = queue_lines.waiting + 1;
    END IF;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER tickets_enter_line AFTER INSERT ON tickets FOR EACH ROW
    WHEN (NEW.state = 'issued') EXECUTE FUNCTION tickets_queue_lines()""",
    """CREATE TRIGGER tickets_move_line AFTER UPDATE OF state, service_id, day, priority
    ON tickets FOR EACH ROW WHEN (OLD.state = 'issued' OR NEW.state = 'issued')
    EXECUTE FUNCTION tickets_queue_lines()""",
    """CREATE TRIGGER tickets_leave_line AFTER DELETE ON tickets FOR EACH ROW
    WHEN (OLD.state = 'issued') EXECUTE FUNCTION tickets_queue_lines()""",
]
_TRIGGERS = ("tickets_enter_line", "tickets_move_line", "tickets_leave_line")


def upgrade() -> None:
    """Add ``queue_lines``, fill it from the tickets waiting now, and the triggers."""
    op.create_table(
        "queue_lines",
        sa.Column("service_id", _Id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "day", "priority", name="pk_queue_lines"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name="fk_queue_lines_service_id_services"),
    )
    if op.get_context().dialect.name == "postgresql":
        # No ticket may change between the count and the triggers' first move.
        op.execute("LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE")
    op.execute("INSERT INTO queue_lines (service_id, day, priority, waiting) "
               "SELECT service_id, day, priority, count(*) FROM tickets "
               "WHERE state = 'issued' GROUP BY service_id, day, priority")
    for statement in (_POSTGRES if op.get_context().dialect.name == "postgresql" else _SQLITE):
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and ``queue_lines``."""
    postgres = op.get_context().dialect.name == "postgresql"
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON tickets" if postgres else f"DROP TRIGGER {name}")
    if postgres:
        op.execute("DROP FUNCTION tickets_queue_lines()")
    op.drop_table("queue_lines")
