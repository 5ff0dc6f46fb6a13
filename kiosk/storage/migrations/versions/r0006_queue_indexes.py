"""Queue indexes in call order, for the last service times and for the open counters.

The queue index sorts priority descending as call-next does, so the first waiting ticket is
the index's first entry (no sort of every waiting ticket), and it holds the day, so counting
the waiting tickets reads the index alone. The two other indexes let the wait estimate read
only the newest finished tickets and the last hour's calls instead of every ticket of the
service.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Replace the ascending waiting index and add the estimate's two indexes."""
    op.drop_index("ix_tickets_waiting", table_name="tickets")
    op.create_index("ix_tickets_queue", "tickets",
                    ["service_id", "state", sa.text("priority DESC"), "queued_at", "id", "day"])
    op.create_index("ix_tickets_finished", "tickets", ["service_id", "state", "finished_at"])
    op.create_index("ix_tickets_called", "tickets", ["service_id", "called_at", "counter"])


def downgrade() -> None:
    """Back to the ascending waiting index of revision 0001."""
    op.drop_index("ix_tickets_called", table_name="tickets")
    op.drop_index("ix_tickets_finished", table_name="tickets")
    op.drop_index("ix_tickets_queue", table_name="tickets")
    op.create_index("ix_tickets_waiting", "tickets",
                    ["service_id", "state", "priority", "queued_at"])
