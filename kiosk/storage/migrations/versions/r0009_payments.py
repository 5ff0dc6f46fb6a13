"""Payments of fees at the counter (cash or cashless), for the receipt and the daily close.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``payments``: one row per payment asked for, nothing personal in it."""
    op.create_table(
        "payments",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("application_id", _Id, nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("items", sa.String(2000), nullable=False),
        sa.Column("slip", sa.String(64), nullable=False, server_default=""),
        sa.Column("brand", sa.String(32), nullable=False, server_default=""),
        sa.Column("reason", sa.String(32), nullable=False, server_default=""),
        sa.Column("staff_id", _Id, nullable=True),
        sa.Column("created_at", _Time, nullable=False),
        sa.Column("updated_at", _Time, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("refunded_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.UniqueConstraint("reference", name="uq_payments_reference"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_payments_application_id_applications"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name="fk_payments_staff_id_staff"),
    )
    op.create_index("ix_payments_application_id", "payments", ["application_id"])
    op.create_index("ix_payments_day", "payments", ["day", "status"])


def downgrade() -> None:
    """Drop ``payments``."""
    op.drop_index("ix_payments_day", table_name="payments")
    op.drop_index("ix_payments_application_id", table_name="payments")
    op.drop_table("payments")
