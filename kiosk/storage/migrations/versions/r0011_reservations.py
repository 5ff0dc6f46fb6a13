"""Reservations (予約): places per slot per service, and the reservations themselves.

A reservation holds no person: only the hash of the link its visitor holds, the service,
the slot, its state and the ticket it became at check-in.

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``reservation_capacity`` and ``reservations``."""
    op.create_table(
        "reservation_capacity",
        sa.Column("service_id", _Id, sa.ForeignKey("services.id",
                  name="fk_reservation_capacity_service_id_services"), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("service_id", name="pk_reservation_capacity"),
    )
    op.create_table(
        "reservations",
        sa.Column("id", _Id, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("service_id", _Id, sa.ForeignKey(
            "services.id", name="fk_reservations_service_id_services"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("start_minute", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("booked_at", _Time, nullable=False),
        sa.Column("changed_at", _Time, nullable=False),
        sa.Column("ticket_id", _Id, sa.ForeignKey(
            "tickets.id", name="fk_reservations_ticket_id_tickets"), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reservations"),
        sa.UniqueConstraint("token_hash", name="uq_reservations_token_hash"),
    )
    op.create_index("ix_reservations_slot", "reservations",
                    ["day", "service_id", "start_minute", "state"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_index("ix_reservations_slot", table_name="reservations")
    op.drop_table("reservations")
    op.drop_table("reservation_capacity")
