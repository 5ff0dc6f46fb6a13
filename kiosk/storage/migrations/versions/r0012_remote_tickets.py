"""Remote tickets (リモート窓口): a branch's request for a specialist at the main office.

A remote ticket holds no person: the service, the branch counter's name, the visitor's
language, its state and times, the specialist who accepted, and the call's random id.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``remote_tickets``."""
    op.create_table(
        "remote_tickets",
        sa.Column("id", _Id, nullable=False),
        sa.Column("service_id", _Id, sa.ForeignKey(
            "services.id", name="fk_remote_tickets_service_id_services"), nullable=False),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("call_id", sa.String(32), nullable=False),
        sa.Column("requested_at", _Time, nullable=False),
        sa.Column("accepted_at", _Time, nullable=True),
        sa.Column("ended_at", _Time, nullable=True),
        sa.Column("staff_id", _Id, sa.ForeignKey(
            "staff.id", name="fk_remote_tickets_staff_id_staff"), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_remote_tickets"),
        sa.UniqueConstraint("call_id", name="uq_remote_tickets_call_id"),
    )
    op.create_index("ix_remote_tickets_state", "remote_tickets", ["state", "requested_at"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_remote_tickets_state", table_name="remote_tickets")
    op.drop_table("remote_tickets")
