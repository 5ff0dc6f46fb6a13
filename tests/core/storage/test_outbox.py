"""Outage: the shared PostgreSQL goes away mid-run; the outbox delivers exactly once later."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kiosk.domain.application import Provenance, StoredAnswer, Submission
from kiosk.services.applications import OFFLINE_MESSAGE, SubmissionService
from kiosk.storage.database import open_storage
from kiosk.storage.engine import DatabaseUnavailableError
from kiosk.storage.outbox import Outbox


def _submission(n: int, ticket_id: int | None = None) -> Submission:
    return Submission("juminhyo", "2026.1", "ja",
                      {"name": StoredAnswer(f"登米 太郎{n}", Provenance.CARD)}, ticket_id)


@pytest.mark.postgres
def test_outbox__postgres_unreachable_mid_run__delivered_exactly_once_after(
        postgres_behind_proxy, clock, sealer, tmp_path):
    url, proxy = postgres_behind_proxy
    storage = open_storage(url, clock, auto_upgrade=True)
    storage.queue.add_service("A", "A", "住民票")
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    service = SubmissionService(storage.applications, outbox, sealer, clock)
    before = service.submit(_submission(0, storage.queue.issue("A").id))
    assert before.delivered

    proxy.cut()
    during = [service.submit(_submission(n)) for n in (1, 2, 3)]
    with pytest.raises(DatabaseUnavailableError):
        storage.queue.issue("A")
    assert service.deliver_pending() == 0          # still down: nothing delivered, nothing lost
    proxy.restore()
    delivered = service.deliver_pending()
    again = service.deliver_pending()

    assert [r.delivered for r in during] == [False, False, False]
    assert {r.message_id for r in during} == {OFFLINE_MESSAGE}
    assert (delivered, again, service.pending()) == (3, 0, 0)
    with storage.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT idempotency_key, delivered_late FROM applications ORDER BY id")).all()
    assert [key for key, _ in rows] == [before.idempotency_key] + [r.idempotency_key
                                                                   for r in during]
    assert [late for _, late in rows] == [False, True, True, True]
    outbox.close()
    storage.close()


def test_outbox__crash_after_remote_insert__redelivery_is_a_no_op(storage, clock, sealer,
                                                                  tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    service = SubmissionService(storage.applications, outbox, sealer, clock)
    sealed = service.seal(_submission(1))
    outbox.put(sealed)
    storage.applications.insert(sealed)        # delivered, then the tablet died before cleanup

    delivered = outbox.deliver(storage.applications)

    assert list(delivered) == [sealed.idempotency_key]
    assert outbox.pending() == 0
    with storage.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM applications")).scalar() == 1
    outbox.close()


@pytest.mark.postgres
def test_engine__idle_connection_after_outage__pinged_and_replaced(postgres_behind_proxy, clock,
                                                                   monkeypatch):
    url, proxy = postgres_behind_proxy
    monkeypatch.setattr("kiosk.storage.engine._PING_AFTER_IDLE_S", 0.0)
    storage = open_storage(url, clock, auto_upgrade=True, pool_size=1)
    storage.queue.add_service("A", "A", "住民票")
    storage.queue.issue("A")          # the pool now holds one connection

    proxy.cut()
    proxy.restore()
    ticket = storage.queue.issue("A")    # the dead pooled connection is pinged and replaced

    assert ticket.label == "A-002"
    storage.close()
