"""The queue's services and counters made from the forms at every start (kiosk.services.setup):
what is there already is left alone and not written again."""

from __future__ import annotations

from kiosk.procedures.catalog import load_catalog
from kiosk.services.setup import ensure_services
from kiosk.storage.database import Storage


def test_ensure_services__second_start__nothing_written(storage: Storage, monkeypatch):
    catalog = load_catalog()
    ensure_services(storage.queue, catalog)
    writes: list[str] = []
    monkeypatch.setattr(storage.queue, "add_service", lambda *a, **k: writes.append("service"))
    monkeypatch.setattr(storage.queue, "add_counter", lambda *a, **k: writes.append("counter"))

    ensure_services(storage.queue, catalog)

    assert writes == []


def test_ensure_services__counter_changed_by_hand__put_back_as_the_forms_say(storage: Storage):
    catalog = load_catalog()
    ensure_services(storage.queue, catalog)
    name, codes = next(iter(storage.queue.counters().items()))
    others = [info.code for info in storage.queue.services() if info.code not in codes]
    storage.queue.add_counter(name, [*codes, *others[:1]] if others else [])

    ensure_services(storage.queue, catalog)

    assert storage.queue.counters()[name] == codes
