"""Failed logins and the lockout of staff accounts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the failed-login count, the time of the last failure and the lockout time."""
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("last_failed_at", _Time, nullable=True))
        batch.add_column(sa.Column("locked_at", _Time, nullable=True))


def downgrade() -> None:
    """Drop the lockout columns."""
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("locked_at")
        batch.drop_column("last_failed_at")
        batch.drop_column("failed_logins")
