"""The usage logs' sealed heads, written off the devices (insert-only for the devices).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``audit_heads``: one row per sealed epoch of each device's usage log."""
    op.create_table(
        "audit_heads",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("device", sa.String(64), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.Column("file", sa.String(10), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.Column("sealed_at", _Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_heads"),
        sa.UniqueConstraint("device", "epoch", name="uq_audit_heads_device_epoch"),
    )


def downgrade() -> None:
    """Drop ``audit_heads``."""
    op.drop_table("audit_heads")
