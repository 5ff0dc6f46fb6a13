"""Remote tickets name the visitor's queue ticket at the branch, so the specialist opens the
visitor's application in the review (リモート窓口, shared review).

A queue ticket's id, never a person: the application stays where it is, sealed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add ``remote_tickets.visit_ticket_id``."""
    with op.batch_alter_table("remote_tickets") as batch:
        batch.add_column(sa.Column("visit_ticket_id", _Id, nullable=True))
        batch.create_foreign_key("fk_remote_tickets_visit_ticket_id_tickets", "tickets",
                                 ["visit_ticket_id"], ["id"])


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("remote_tickets") as batch:
        batch.drop_constraint("fk_remote_tickets_visit_ticket_id_tickets", type_="foreignkey")
        batch.drop_column("visit_ticket_id")
