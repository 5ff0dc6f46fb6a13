"""What approved applications handed on to the core systems (exactly once per system).

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0009"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``application_exports``: one row per application and core system."""
    op.create_table(
        "application_exports",
        sa.Column("id", _Id, primary_key=True),
        sa.Column("application_id", _Id, nullable=False),
        sa.Column("system", sa.String(32), nullable=False),
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("manifest", sa.String(200), nullable=False),
        sa.Column("fields", sa.Integer(), nullable=False),
        sa.Column("exported_at", _Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_application_exports"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_application_exports_application_id_applications"),
        sa.UniqueConstraint("application_id", "system", name="uq_application_exports_application"),
    )
    op.create_index("ix_application_exports_exported_at", "application_exports", ["exported_at"])


def downgrade() -> None:
    """Drop ``application_exports``."""
    op.drop_index("ix_application_exports_exported_at", table_name="application_exports")
    op.drop_table("application_exports")
