"""Composition root: configuration -> device adapters -> :class:`Services`.

This package is the only importer of ``devices`` outside the adapters' probes. It picks the
real adapter or the simulator of each device from the configuration (never from
``if testing:`` branches) and hands one :class:`Services` object to whichever front end runs.
:func:`build_services` shows the whole composition in order; the modules beside it build the
parts:

* :mod:`kiosk.app.adapters`: one adapter per device (printer, speaker, card, translator,
  captions, models, renderer, payment terminal, export spool, register, notifiers, signer);
* :mod:`kiosk.app.capabilities`: what a configuration section turns on (payments, handover,
  reservations, signed filing);
* :mod:`kiosk.app.connections`: what links this device to others (the counter's relay, the
  remote call, the web feed and ticket links, turn alerts, the usage log and its seals);
* :mod:`kiosk.app.services`: the :class:`Services` object and its use cases;
* :mod:`kiosk.app.background`: the threads a running front end starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from kiosk.app.adapters import (
    build_captioner,
    build_card_monitor,
    build_document_signer,
    build_export,
    build_identity_reader,
    build_models,
    build_notifiers,
    build_payment_terminal,
    build_printer,
    build_reading,
    build_register,
    build_renderer,
    build_speaker,
    build_translator,
    build_visitor_speech,
)
from kiosk.app.call_captions import build_remote_captions
from kiosk.app.capabilities import build_filing, build_handover, build_payments, build_reservations
from kiosk.app.connections import (
    build_conversation,
    build_feed_publisher,
    build_head_sink,
    build_joined_calls,
    build_remote,
    build_ticket_links,
    build_turn_alerts,
    build_usage_log,
)
from kiosk.app.services import Services
from kiosk.audit.recorder import NULL_USAGE
from kiosk.config import Config
from kiosk.errors import DeviceError
from kiosk.events import EventBus
from kiosk.file_modes import private_dir
from kiosk.ports import Clock, Printer, ResidentRegister, SystemClock
from kiosk.procedures.catalog_cache import CACHE_NAME, cached_catalog
from kiosk.services.applications import SubmissionService
from kiosk.services.queue import QueueService
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.review import ReviewService
from kiosk.services.setup import ensure_services
from kiosk.services.stepped_out import SteppedOut
from kiosk.storage.database import open_storage
from kiosk.storage.outbox import Outbox
from kiosk.storage.sealing import AnswerSealer, load_answers_key

_log = logging.getLogger(__name__)

__all__ = [
    "Services",
    "build_captioner",
    "build_card_monitor",
    "build_conversation",
    "build_document_signer",
    "build_export",
    "build_feed_publisher",
    "build_filing",
    "build_handover",
    "build_head_sink",
    "build_identity_reader",
    "build_joined_calls",
    "build_models",
    "build_notifiers",
    "build_payment_terminal",
    "build_payments",
    "build_printer",
    "build_reading",
    "build_register",
    "build_remote",
    "build_remote_captions",
    "build_renderer",
    "build_reservations",
    "build_services",
    "build_speaker",
    "build_ticket_links",
    "build_translator",
    "build_turn_alerts",
    "build_usage_log",
    "build_visitor_speech",
]


def build_services(config: Config, *, demo: bool = False, clock: Clock | None = None,
                   qt_printer: Callable[[str], Printer] | None = None) -> Services:
    """Build the :class:`Services` for ``config``; ``demo`` forces simulated devices.

    ``clock`` replaces the system clock (simulations, training); ``qt_printer`` is the front
    end's Qt printer (:func:`build_printer`).

    The database is opened and its schema checked here, before any screen shows: an embedded
    SQLite file is created or upgraded; a shared PostgreSQL must already be current.

    Raises:
        ConfigError: an invalid device setting.
        kiosk.errors.StorageError: the database is unreachable or its schema is not usable.
    """
    private_dir(config.device.data_dir)
    build_models(config).use_japanese_dictionary()
    clock = clock or SystemClock()
    if demo and not config.card.simulated:
        config = replace(config, card=replace(config.card, simulated=True))
    storage = open_storage(config.database_url, clock)
    try:
        # Read from the previous start's cache while no form has changed (a quarter second).
        catalog = cached_catalog(config.device.data_dir / CACHE_NAME)
        ensure_services(storage.queue, catalog)
        key = load_answers_key(config.database.answers_key, config.device.data_dir,
                               shared_database=storage.shared)
        sealer = AnswerSealer(key)
        # Before the usage log opens: a mapping that does not fit the forms stops the start.
        handover = build_handover(config, storage, sealer, catalog, clock, NULL_USAGE)
        usage = build_usage_log(config, clock, build_head_sink(config, storage))
        submissions = SubmissionService(storage.applications,
                                        Outbox(config.device.data_dir / "outbox.sqlite3"),
                                        sealer, clock, usage)
        events, printer = EventBus(), build_printer(config, demo=demo, qt_printer=qt_printer)
        review = ReviewService(storage.applications, sealer, catalog, printer,
                               build_renderer(), events, usage)
        review.filing = build_filing(config, clock, usage, demo=demo)
        translator = build_translator(config)
        queue = QueueService(storage.queue, usage)
        queue.links = build_ticket_links(config, demo=demo)
        if handover is not None:
            handover.usage = usage
            review.handover = handover.hand_on_quietly
        captioner = build_captioner(config, events, catalog)
        conversation = build_conversation(config, storage, events, clock, translator, key, usage)
        remote, open_remote_call = build_remote(config, storage, clock, usage, key)
        remote_captions = None if remote is None else build_remote_captions(
            config, storage, clock, translator, captioner, usage, key)
        return Services(config=config, events=events, clock=clock, printer=printer,
                        identity_reader=build_identity_reader(config), storage=storage,
                        queue=queue, submissions=submissions,
                        forms=catalog, speaker=build_speaker(config, demo=demo), review=review,
                        demo=demo, translator=translator,
                        captioner=captioner, usage=usage,
                        reading=build_reading(), conversation=conversation,
                        visitor_speech=build_visitor_speech(config, captioner, conversation,
                                                            events),
                        stepped_out=SteppedOut(events), turn_alerts=build_turn_alerts(config),
                        payments=build_payments(config, storage, review, usage, catalog),
                        handover=handover,
                        resident_lookup=ResidentLookup(
                            _register_or_none(config, demo), storage.lookup_grants,
                            storage.staff, clock, usage, limit=config.register.limit),
                        reservations=build_reservations(config, storage, queue, clock, usage),
                        remote=remote, open_remote_call=open_remote_call,
                        remote_captions=remote_captions)
    except BaseException:
        storage.close()
        raise


def _register_or_none(config: Config, demo: bool) -> ResidentRegister | None:
    """The register, or ``None`` with a log line when its extract cannot be read: the desk
    still starts (calls, reviews), the lookup tab says so, and ``kiosk doctor`` names why."""
    try:
        return build_register(config, demo=demo)
    except DeviceError as exc:
        _log.warning("resident register unavailable: %s", exc.english())
        return None
