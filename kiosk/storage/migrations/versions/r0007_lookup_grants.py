"""Lookup grants: which staff member may look residents up in the register, until when.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0008"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``lookup_grants``."""
    op.create_table(
        "lookup_grants",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("staff_id", _Id, nullable=False),
        sa.Column("honseki", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("granted_by", _Id, nullable=True),
        sa.Column("granted_at", _Time, nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("revoked_by", _Id, nullable=True),
        sa.Column("revoked_at", _Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_lookup_grants"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name="fk_lookup_grants_staff_id_staff"),
        sa.ForeignKeyConstraint(["granted_by"], ["staff.id"],
                                name="fk_lookup_grants_granted_by_staff"),
        sa.ForeignKeyConstraint(["revoked_by"], ["staff.id"],
                                name="fk_lookup_grants_revoked_by_staff"),
    )
    op.create_index("ix_lookup_grants_staff_id", "lookup_grants", ["staff_id"])


def downgrade() -> None:
    """Drop ``lookup_grants``."""
    op.drop_index("ix_lookup_grants_staff_id", table_name="lookup_grants")
    op.drop_table("lookup_grants")
