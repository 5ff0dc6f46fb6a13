"""What links this device to the others: the counter's relay, the remote counter's call, the
web host's feed and ticket links, "your turn is near" messages and the usage log's seals.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.app.adapters import build_notifiers
from kiosk.audit.events import ConfigChanged, SoftwareStarted
from kiosk.audit.recorder import UsageRecorder
from kiosk.audit.sealing import SealedHead
from kiosk.audit.usage_log import UsageLog
from kiosk.config import Config
from kiosk.domain.remote import RemoteTicket
from kiosk.errors import ConfigError, DeviceError
from kiosk.events import EventBus
from kiosk.feed.keys import load_key
from kiosk.feed.tokens import TicketLinks
from kiosk.i18n import S_
from kiosk.ports import Clock, RemoteCall, Translator
from kiosk.services.conversation import Conversation
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.storage.database import Storage
from kiosk.storage.engine import make_engine
from kiosk.storage.remote_store import RemoteTicketStore

if TYPE_CHECKING:
    from kiosk.app.services import Services
    from kiosk.services.feed_publisher import FeedPublisher
    from kiosk.services.turn_alerts import TurnAlerts


def build_ticket_links(config: Config, *, demo: bool = False) -> TicketLinks | None:
    """The ticket page's links (``[web] public_url``), or ``None`` when the city has none."""
    if not config.web.public_url:
        return None
    return TicketLinks(load_key(config.web.token_key, "token_key", demo=demo),
                       config.web.public_url)


def build_remote(config: Config, storage: Storage, clock: Clock, usage: UsageRecorder,
                 answers_key: bytes) -> tuple[RemoteCounterDesk | None,
                                              Callable[[RemoteTicket], RemoteCall] | None]:
    """The remote counter's desk and how this desk opens an accepted ticket's call ([remote])."""
    remote = config.remote
    if remote.kind == "off":
        return None, None
    desk = RemoteCounterDesk(RemoteTicketStore(storage.engine, clock), usage)
    if config.device.role == "tablet":
        return desk, None       # a branch's tablet only asks: the branch's clerk PC calls
    if remote.kind == "simulated":
        from devices.remote.simulated import SimulatedRemoteCall  # noqa: PLC0415

        return desk, lambda _ticket: SimulatedRemoteCall()
    offering = remote.side == "branch"          # the branch calls, the main office answers
    if not storage.shared:
        raise ConfigError(S_("The remote call needs the shared PostgreSQL database ([database] url)."))
    if not remote.host_addresses:
        raise ConfigError(S_("[remote] kind = \"aiortc\" needs [remote] host_addresses (this "
                             "PC's address on the city LAN)."))
    try:
        from devices.remote import aiortc_call, bandwidth, capture  # noqa: PLC0415
    except ImportError as exc:
        raise DeviceError(S_("The remote counter needs aiortc and PyAV, which this installation "
                             "does not have ({name})."), name=exc.name or "aiortc") from exc
    sources = aiortc_call.generated_sources()
    for name, device in (("camera", remote.camera), ("document", remote.document_camera)):
        if device:
            sources[name] = functools.partial(capture.capture_source, device, "video")
    microphone = functools.partial(capture.capture_source, remote.microphone, "audio") \
        if remote.microphone else None

    from kiosk.storage.conversation_relay import PostgresConversationRelay  # noqa: PLC0415

    def open_call(ticket: RemoteTicket) -> RemoteCall:
        # One sealed channel per call, closed when the call ends.
        relay = PostgresConversationRelay(storage.engine, f"remote-call\0{ticket.call_id}",
                                          answers_key)
        relay.start()
        call: RemoteCall = aiortc_call.AiortcRemoteCall(
            relay, ticket.call_id, offering=offering, host_addresses=remote.host_addresses,
            video_sources=sources, microphone=microphone, on_end=relay.close,
            rate=bandwidth.RatePlan(start_kbps=min(remote.start_kbps, remote.max_kbps),
                                    max_kbps=remote.max_kbps))
        return call

    return desk, open_call



def build_joined_calls() -> tuple[Callable[[RemoteTicket], RemoteCall],
                                  Callable[[RemoteTicket], RemoteCall]]:
    """The office's and the branch's ends of simulated remote calls joined in this process
    (``kiosk demo --remote``: both windows on one desk, no network)."""
    from devices.remote.simulated import SimulatedExchange  # noqa: PLC0415

    exchange = SimulatedExchange()
    return (lambda ticket: exchange.end(ticket.call_id, offering=False),
            lambda ticket: exchange.end(ticket.call_id, offering=True))

def build_turn_alerts(config: Config) -> TurnAlerts | None:
    """"Your turn is near" by e-mail and LINE, when ``[web]`` names a relay or a token."""
    notifiers = build_notifiers(config)
    if not notifiers:
        return None
    from kiosk.services.turn_alerts import TurnAlerts  # noqa: PLC0415 - configured only

    return TurnAlerts(notifiers, near_at=config.web.notify_at)


def build_feed_publisher(services: Services) -> FeedPublisher | None:
    """The inner side of the web feed when ``[web] feed_url`` names the web host."""
    web, links = services.config.web, services.queue.links
    if not web.feed_url or links is None:
        return None
    # Here: a device without a web host (most tablets) starts without the feed's modules.
    from kiosk.feed.http_transport import HttpFeedTransport  # noqa: PLC0415
    from kiosk.services.feed_publisher import FeedPublisher  # noqa: PLC0415

    return FeedPublisher(services.queue, links, load_key(web.feed_key, "feed_key"), web.site,
                         HttpFeedTransport(web.feed_url), services.clock, services.stepped_out,
                         web.publish_interval_s, services.turn_alerts, services.reservations)


def build_conversation(config: Config, storage: Storage, events: EventBus, clock: Clock,
                       translator: Translator | None, answers_key: bytes,
                       usage: UsageRecorder) -> Conversation:
    """The visit's clerk-visitor conversation.

    On a shared PostgreSQL it reaches the other device of the counter (the tablet and the
    clerk PC with the same ``[device] counter``) through LISTEN/NOTIFY, sealed with a key
    derived from the answers key; on the embedded SQLite both screens run in one process.
    """
    relay = None
    if storage.shared and config.device.role != "board":
        from kiosk.storage.conversation_relay import PostgresConversationRelay  # noqa: PLC0415

        relay = PostgresConversationRelay(storage.engine, config.device.counter, answers_key)
    return Conversation(events, clock, translator, relay=relay, usage=usage)


def build_head_sink(config: Config, storage: Storage) -> Callable[[SealedHead], None] | None:
    """Where the usage log's seals go off the device: ``[audit] heads_url``, else the shared
    PostgreSQL; ``None`` on an embedded database (it sits on the device itself)."""
    from kiosk.storage.audit_heads import AuditHeadStore  # noqa: PLC0415

    if config.audit.heads_url:
        return AuditHeadStore(make_engine(config.audit.heads_url, pool_size=1)).add
    return AuditHeadStore(storage.engine).add if storage.shared else None


def build_usage_log(config: Config, clock: Clock,
                    head_sink: Callable[[SealedHead], None] | None = None) -> UsageLog:
    """This device's usage log; records the software version and configuration it starts with."""
    usage = UsageLog(config.audit_dir, config.device.id, clock, fsync=config.audit.fsync,
                     retention_days=config.audit.retention_days, head_sink=head_sink)
    usage.record(SoftwareStarted(version=__version__, role=config.device.role))
    source = config.source.read_bytes() if config.source and config.source.exists() else b""
    usage.record(ConfigChanged(schema_version=config.schema_version,
                               digest=hashlib.sha256(source).hexdigest()[:16]))
    return usage
