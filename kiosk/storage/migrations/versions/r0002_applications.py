"""Applications with encrypted answers, their review history, and late (outbox) delivery.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the application tables."""
    op.create_table(
        "applications",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("form_version", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("ticket_id", _Id, nullable=True),
        sa.Column("answer_count", sa.Integer, nullable=False),
        sa.Column("answers_key_id", sa.String(16), nullable=True),
        sa.Column("answers_sealed", sa.LargeBinary, nullable=True),
        sa.Column("submitted_at", _Time, nullable=False),
        sa.Column("finished_at", _Time, nullable=True),
        sa.Column("purged_at", _Time, nullable=True),
        sa.Column("delivered_late", sa.Boolean, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_applications"),
        sa.UniqueConstraint("idempotency_key", name="uq_applications_idempotency_key"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name="fk_applications_ticket_id_tickets"),
    )
    op.create_index("ix_applications_status", "applications", ["status", "finished_at"])
    op.create_table(
        "application_events",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("application_id", _Id, nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("staff_id", _Id, nullable=True),
        sa.Column("at", _Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_application_events"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_application_events_application_id_applications"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name="fk_application_events_staff_id_staff"),
    )
    op.create_index("ix_application_events_application_id", "application_events",
                    ["application_id"])


def downgrade() -> None:
    """Drop the application tables."""
    op.drop_table("application_events")
    op.drop_table("applications")
