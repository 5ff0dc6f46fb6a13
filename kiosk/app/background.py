"""The background threads of a running front end, started and stopped by :class:`Services`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kiosk.app.adapters import build_card_monitor
from kiosk.app.connections import build_feed_publisher
from kiosk.domain.ticket import QueueChanged
from kiosk.ports import Purgeable, Sealing
from kiosk.services.retention import PeriodicJob, purge_finished
from kiosk.storage.listener import QueueListener

if TYPE_CHECKING:
    from kiosk.app.services import Services


class Startable(Protocol):
    """A background thread owner (listener, periodic job, card monitor)."""

    def start(self) -> None:
        """Start the thread."""

    def stop(self) -> None:
        """Stop the thread and wait for it."""


def background_jobs(services: Services) -> list[Startable]:
    """The threads ``services`` runs while a front end is up, not yet started: live queue
    updates, the outbox courier, the retention jobs, the adapters' housekeeping, with a real
    reader the card monitor, the counter's relay, the turn alerts and the web feed's publisher
    (subscribed here to the queue's changes)."""
    config = services.config
    jobs: list[Startable] = [
        QueueListener(services.storage.engine, services.events),
        PeriodicJob("outbox-courier", services.submissions.deliver_pending, interval_s=10),
        PeriodicJob("retention", lambda: purge_finished(
            services.storage.applications, services.clock, config.database.retention_hours),
            interval_s=3600),
    ]
    jobs += housekeeping_jobs(services)
    monitor = build_card_monitor(config, services.events)
    if monitor is not None:
        jobs.append(monitor)
    if services.conversation is not None:
        jobs.append(services.conversation)   # relays to the counter's other device
    if services.turn_alerts is not None:
        jobs.append(services.turn_alerts)
    publisher = build_feed_publisher(services)
    if publisher is not None:
        services.events.subscribe(QueueChanged, publisher.wake)
        jobs.append(publisher)
    return jobs


def housekeeping_jobs(services: Services) -> list[Startable]:
    """The jobs of the adapters that keep files tidy: printed forms, log retention, seals."""
    jobs: list[Startable] = []
    if isinstance(services.printer, Purgeable):
        # The file printer's forms hold full answers: [printer] retention_hours.
        jobs.append(PeriodicJob("printed-retention", services.printer.purge, interval_s=600))
    if isinstance(services.usage, Purgeable):
        # Usage-log retention ([audit] retention_days), once a day.
        jobs.append(PeriodicJob("usage-retention", services.usage.purge, interval_s=86400))
    if isinstance(services.usage, Sealing):
        # Seals an ended epoch and sends the seals off the device ([audit] seal_interval_s).
        jobs.append(PeriodicJob("usage-seal", services.usage.tick, interval_s=15))
    if services.reservations is not None:
        # Releases reservations whose grace period ended (idempotent on every device).
        jobs.append(PeriodicJob("reservation-no-shows", services.reservations.release_no_shows,
                                interval_s=60))
    return jobs
