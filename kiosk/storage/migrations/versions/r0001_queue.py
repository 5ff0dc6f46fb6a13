"""The ticket queue: services, counters, staff, daily numbering, tickets and their history.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the queue tables."""
    op.create_table(
        "services",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("prefix", sa.String(4), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("default_service_seconds", sa.Integer, nullable=False, server_default="300"),
        sa.Column("active", sa.Boolean, nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_services"),
        sa.UniqueConstraint("code", name="uq_services_code"),
    )
    op.create_table(
        "counters",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("service_codes", sa.String(400), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_counters"),
        sa.UniqueConstraint("name", name="uq_counters_name"),
    )
    op.create_table(
        "staff",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("created_at", _Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("login", name="uq_staff_login"),
    )
    op.create_table(
        "daily_numbers",
        sa.Column("service_id", _Id, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("last_number", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("service_id", "day", name="pk_daily_numbers"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name="fk_daily_numbers_service_id_services"),
    )
    op.create_table(
        "tickets",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("service_id", _Id, nullable=False),
        sa.Column("origin_service_id", _Id, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("slip", sa.String(16), nullable=False, server_default=""),
        sa.Column("reserved_at", _Time, nullable=False),
        sa.Column("queued_at", _Time, nullable=False),
        sa.Column("counter", sa.String(100), nullable=False, server_default=""),
        sa.Column("staff_id", _Id, nullable=True),
        sa.Column("called_at", _Time, nullable=True),
        sa.Column("serving_at", _Time, nullable=True),
        sa.Column("finished_at", _Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name="fk_tickets_service_id_services"),
        sa.ForeignKeyConstraint(["origin_service_id"], ["services.id"],
                                name="fk_tickets_origin_service_id_services"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name="fk_tickets_staff_id_staff"),
        sa.UniqueConstraint("origin_service_id", "day", "number", name="uq_tickets_number"),
    )
    op.create_index("ix_tickets_waiting", "tickets",
                    ["service_id", "state", "priority", "queued_at"])
    op.create_table(
        "ticket_events",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("ticket_id", _Id, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("service_id", _Id, nullable=False),
        sa.Column("counter", sa.String(100), nullable=False, server_default=""),
        sa.Column("staff_id", _Id, nullable=True),
        sa.Column("at", _Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_events"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name="fk_ticket_events_ticket_id_tickets"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"],
                                name="fk_ticket_events_service_id_services"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name="fk_ticket_events_staff_id_staff"),
    )
    op.create_index("ix_ticket_events_ticket_id", "ticket_events", ["ticket_id"])
    if op.get_bind().dialect.name == "postgresql":
        # Every change of a ticket notifies listeners (clerk PCs, the board) on commit, whoever
        # wrote it: no extra round trip for the writer, and nothing to forget in the code.
        op.execute(_NOTIFY_FUNCTION)
        op.execute("CREATE TRIGGER tickets_notify AFTER INSERT OR UPDATE ON tickets "
                   "FOR EACH ROW EXECUTE FUNCTION kiosk_tickets_notify()")


_NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION kiosk_tickets_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('kiosk_queue', json_build_object(
        'service', (SELECT code FROM services WHERE id = NEW.service_id),
        'ticket', NEW.id,
        'state', NEW.state)::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def downgrade() -> None:
    """Drop the queue tables."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tickets_notify ON tickets")
        op.execute("DROP FUNCTION IF EXISTS kiosk_tickets_notify()")
    for name in ("ticket_events", "tickets", "daily_numbers", "staff", "counters", "services"):
        op.drop_table(name)
