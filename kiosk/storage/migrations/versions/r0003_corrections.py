"""Clerks' corrections (who changed which field when) and the return reason of an application.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the return reason column and the corrections table."""
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("return_reason", sa.String(32), nullable=False,
                                   server_default=""))
    op.create_table(
        "application_corrections",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("application_id", _Id, nullable=False),
        sa.Column("field_id", sa.String(100), nullable=False),
        sa.Column("staff_id", _Id, nullable=False),
        sa.Column("at", _Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_application_corrections"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_application_corrections_application_id_applications"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name="fk_application_corrections_staff_id_staff"),
    )
    op.create_index("ix_application_corrections_application_id", "application_corrections",
                    ["application_id"])


def downgrade() -> None:
    """Drop the corrections table and the return reason column."""
    op.drop_table("application_corrections")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("return_reason")
