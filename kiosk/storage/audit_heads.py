"""The usage logs' sealed heads in the shared database: written by the devices, read by audits.

The devices' database role may INSERT and SELECT on ``audit_heads`` but not UPDATE or DELETE
(README, "For auditors"), so a head once written stays, whoever later takes a device.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from kiosk.audit.sealing import SealedHead
from kiosk.storage.engine import transaction
from kiosk.storage.schema import audit_heads

__all__ = ["AuditHeadStore"]


class AuditHeadStore:
    """``audit_heads`` on one engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, head: SealedHead) -> None:
        """Write one head; a head already there (sent twice after an outage) is kept as it is."""
        try:
            with transaction(self._engine, write=True) as connection:
                connection.execute(insert(audit_heads).values(
                    device=head.device, epoch=head.epoch, file=head.file, line=head.line,
                    hash=head.hash, mac=head.mac, sealed_at=head.sealed_at))
        except IntegrityError:
            return

    def heads(self) -> dict[str, list[SealedHead]]:
        """Every head, by device, oldest epoch first."""
        found: dict[str, list[SealedHead]] = defaultdict(list)
        with transaction(self._engine) as connection:
            rows = connection.execute(select(audit_heads).order_by(
                audit_heads.c.device, audit_heads.c.epoch)).all()
        for row in rows:
            found[row.device].append(SealedHead(row.device, row.epoch, row.file, row.line,
                                                row.hash, row.mac, row.sealed_at))
        return dict(found)
