"""The queue's services and counters, taken from the procedure definitions.

Each form names the service it is queued to (``service: A``) and its counter (``counter: '1'``).
The forms are the city's source of truth, so at start-up every service and counter they name
is created if missing; existing rows (and their wait statistics) are left alone. What is there
already is read once and not written again: a write per service and counter at every start
held the tablet's take-over up by a few dozen milliseconds.
"""

from __future__ import annotations

from collections import defaultdict

from kiosk.procedures.catalog import FormCatalog
from kiosk.storage.queue_store import QueueStore

__all__ = ["counter_name", "ensure_services"]


def counter_name(counter: str) -> str:
    """The display name of counter ``counter`` (``"1"`` -> ``"1番窓口"``)."""
    return f"{counter}番窓口" if counter.isdigit() else counter


def ensure_services(store: QueueStore, catalog: FormCatalog) -> None:
    """Create the services and counters that ``catalog``'s forms are queued to."""
    departments: dict[str, str] = {}
    counters: dict[str, list[str]] = defaultdict(list)
    for form in sorted(catalog.forms.values(), key=lambda f: f.id):
        departments.setdefault(form.service, form.department.texts.get("ja", form.service))
        if form.service not in counters[form.counter]:
            counters[form.counter].append(form.service)
    known = {info.code for info in store.services()}
    for code, department in sorted(departments.items()):
        if code not in known:
            store.add_service(code, code, department)
    existing = store.counters()
    for counter, codes in sorted(counters.items()):
        if existing.get(counter_name(counter)) != tuple(sorted(codes)):
            store.add_counter(counter_name(counter), sorted(codes))
