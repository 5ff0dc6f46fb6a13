"""The conversation between the tablet and the clerk PC of one counter, over PostgreSQL.

The citizen's tablet and the clerk's PC are two machines that share only the city's
PostgreSQL. Each conversation message travels in a ``NOTIFY`` on a channel named after the
counter (``[device] counter``, hashed: a channel is an ASCII identifier and counters are
Japanese), and every device of that counter ``LISTEN``s on it. Nothing is written to a table:
a notification lives in the server's queue until the listeners have read it.

What is said is personal data, so the payload is sealed with AES-256-GCM under a key derived
from the answers key (the same on every device of the city hall, never in the database), bound
to the channel. A statement log on the server (``log_statement = 'all'``, which
:func:`probe_statement_logging` reports to ``kiosk doctor``) would show only ciphertext.
PostgreSQL refuses payloads of 8000 bytes or more: a long message is sent as numbered parts
and put together again by the listener.

Sending runs on a worker thread (the screens never wait for the network), listening on
another, each with its own connection; both reconnect after an outage. Messages that cannot be
sent during an outage are dropped, not kept.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import queue
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from kiosk.doctor import Check, Status
from kiosk.domain.counter_messages import Heartbeat, LinkChanged, to_wire
from kiosk.storage.engine import make_engine

__all__ = [
    "MAX_PARTS",
    "PART_CHARS",
    "PostgresConversationRelay",
    "channel_for",
    "pairing_check",
    "probe_statement_logging",
    "split_parts",
]

_log = logging.getLogger(__name__)

# PostgreSQL's limit is "shorter than 8000 bytes"; the header of a part takes < 40.
PART_CHARS = 7900
MAX_PARTS = 32               # 250 KB of sealed text: far above any line (capped at 2000 chars)
_PENDING_MESSAGES = 8        # incomplete multi-part messages kept at once (others dropped)
_OUTBOX_MESSAGES = 64        # waiting to be sent during an outage (more are dropped)
_NONCE_BYTES = 12

Handler = Callable[[dict[str, Any]], None]


def channel_for(counter: str) -> str:
    """The ``LISTEN`` channel of a counter: an ASCII identifier derived from its name."""
    digest = hashlib.sha256(f"kiosk-counter\0{counter}".encode()).hexdigest()[:24]
    return f"kiosk_talk_{digest}"


class _Seal:
    """AES-256-GCM on JSON messages, bound to one channel."""

    def __init__(self, answers_key: bytes, channel: str) -> None:
        # A key of its own (domain separated): the answers key never seals anything else.
        self._aead = AESGCM(hashlib.sha256(b"kiosk-conversation-relay\0" + answers_key).digest())
        self._bound = channel.encode("ascii")

    def seal(self, message: Mapping[str, Any]) -> str:
        plain = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, plain, self._bound)).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        raw = base64.b64decode(sealed, validate=True)
        plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], self._bound)
        message = json.loads(plain)
        if not isinstance(message, dict):
            raise ValueError("not an object")
        return message


def split_parts(sealed: str) -> list[str]:
    """``sealed`` as NOTIFY payloads ``<id>:<i>:<n>:<chunk>``, each under PostgreSQL's limit.

    Raises:
        ValueError: the message needs more than :data:`MAX_PARTS` parts.
    """
    chunks = [sealed[i:i + PART_CHARS] for i in range(0, len(sealed), PART_CHARS)] or [""]
    if len(chunks) > MAX_PARTS:
        raise ValueError(f"message too long ({len(chunks)} parts)")
    message_id = secrets.token_hex(6)
    return [f"{message_id}:{i}:{len(chunks)}:{chunk}" for i, chunk in enumerate(chunks)]


class _Assembler:
    """Puts the parts of messages back together (parts of one sender arrive in order)."""

    def __init__(self) -> None:
        self._pending: OrderedDict[str, list[str]] = OrderedDict()

    def add(self, payload: str) -> str | None:
        """The whole sealed message once its last part arrived, else ``None``.

        Raises:
            ValueError: not a part, or parts out of order.
        """
        message_id, index_text, count_text, chunk = payload.split(":", 3)
        index, count = int(index_text), int(count_text)
        if not 0 < count <= MAX_PARTS or not 0 <= index < count:
            raise ValueError("bad part numbers")
        if count == 1:
            return chunk
        parts = self._pending.setdefault(message_id, [])
        if len(parts) != index:
            del self._pending[message_id]
            raise ValueError("part out of order")
        parts.append(chunk)
        while len(self._pending) > _PENDING_MESSAGES:
            self._pending.popitem(last=False)
        if len(parts) < count:
            return None
        del self._pending[message_id]
        return "".join(parts)

    def clear(self) -> None:
        self._pending.clear()

    def __len__(self) -> int:
        return len(self._pending)


class PostgresConversationRelay:
    """A :class:`~kiosk.ports.ConversationRelay` between the devices of a counter.

    Args:
        engine: the shared PostgreSQL database (its URL; the relay opens its own connections).
        counter: ``[device] counter``; devices with the same counter share one conversation.
        answers_key: the 32-byte answers key; the sealing key is derived from it.
        poll_seconds: how often the threads look at their stop flag.
        heartbeat_s: how often the conversation says it is still here; a device silent for
            three heartbeats counts as gone.
    """

    shared = True

    def __init__(self, engine: Engine, counter: str, answers_key: bytes, *,
                 poll_seconds: float = 0.2, heartbeat_s: float = 20.0) -> None:
        url = engine.url.set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self.channel = channel_for(counter)
        self._seal = _Seal(answers_key, self.channel)
        self._poll = poll_seconds
        self._heartbeat = heartbeat_s
        self._handlers: list[Handler] = []
        self._outbox: queue.Queue[list[str] | None] = queue.Queue(_OUTBOX_MESSAGES)
        self._assembler = _Assembler()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._threads: list[threading.Thread] = []
        # A message whose connection broke under it: the sender's next connection sends it
        # first. Without this, the hello after an outage was lost and the peer never heard.
        self._unsent: list[str] | None = None

    def __repr__(self) -> str:
        return f"PostgresConversationRelay(channel={self.channel})"

    def subscribe(self, handler: Handler) -> None:
        """Call ``handler(message)`` on the listening thread for each message of the counter."""
        self._handlers.append(handler)

    def publish(self, message: Mapping[str, Any]) -> None:
        """Queue ``message`` for sending; dropped when the relay is not running."""
        if not self._threads or self._stop.is_set():
            return
        try:
            parts = split_parts(self._seal.seal(message))
        except ValueError:
            _log.warning("conversation relay: a message too long to send was dropped")
            return
        try:
            self._outbox.put_nowait(parts)
        except queue.Full:
            _log.warning("conversation relay: the database is unreachable; a message was dropped")

    def start(self) -> None:
        """Start the listening and sending threads; returns once listening (or failed once)."""
        if self._threads:
            return
        self._stop.clear()
        self._ready.clear()     # a start after a close waits for the new listener
        self._threads = [
            threading.Thread(target=self._loop, args=(self._listen, True),
                             name="talk-listener", daemon=True),
            threading.Thread(target=self._loop, args=(self._send, False), name="talk-sender",
                             daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self._ready.wait(timeout=10)

    def close(self) -> None:
        """Send what is queued (while connected), stop both threads, forget the rest."""
        self._stop.set()
        while True:     # a publish racing this close may refill a full outbox: drain again
            try:
                self._outbox.put_nowait(None)      # after the queued messages (a goodbye)
                break
            except queue.Full:
                self._drain()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads = []
        self._drain()
        self._unsent = None
        self._assembler.clear()

    def pending(self) -> int:
        """Messages waiting to be sent plus incomplete ones received (0 when idle)."""
        return self._outbox.qsize() + (self._unsent is not None) + len(self._assembler)

    # ------------------------------------------------------------ threads
    def _loop(self, run: Callable[[], None], listening: bool) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                run()
                backoff = 0.2
            except psycopg.Error as exc:
                _log.warning("conversation relay lost its connection (%s); retrying",
                             type(exc).__name__)
                if listening:
                    self._ready.set()
                    self._deliver(to_wire(LinkChanged(up=False)))
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 2.0)

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f"LISTEN {self.channel}")
            self._assembler.clear()        # parts from before an outage never complete
            self._ready.set()
            self._deliver(to_wire(LinkChanged(up=True)))
            beat = time.monotonic()
            while not self._stop.is_set():
                for notify in connection.notifies(timeout=self._poll):
                    self._receive(notify.payload)
                if time.monotonic() - beat >= self._heartbeat:
                    beat = time.monotonic()
                    self._deliver(to_wire(Heartbeat(3 * self._heartbeat)))

    def _send(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as connection:
            while True:                          # until close() queues None behind the rest
                parts, self._unsent = self._unsent or self._outbox.get(), None
                if parts is None:
                    return
                try:
                    with connection.transaction():     # the parts arrive together, in order
                        for part in parts:
                            connection.execute("SELECT pg_notify(%s, %s)", (self.channel, part))
                except psycopg.OperationalError:
                    _log.warning("conversation relay: the connection broke while sending; the "
                                 "message goes again once connected")
                    self._unsent = parts
                    raise

    def _receive(self, payload: str) -> None:
        try:
            sealed = self._assembler.add(payload)
            if sealed is None:
                return
            message = self._seal.open(sealed)
        except (ValueError, binascii.Error, InvalidTag) as exc:
            # Neither the payload nor the message is shown: either may hold what was said.
            _log.warning("conversation relay: a message could not be opened (%s; another "
                         "answers key on the other device?)", type(exc).__name__)
            return
        self._deliver(message)

    def _deliver(self, message: dict[str, Any]) -> None:
        for handler in list(self._handlers):
            try:
                handler(dict(message))
            except Exception as exc:  # a broken screen must not stop the relay
                # The class only: a message or traceback could quote what was said.
                _log.error("conversation relay: a handler failed (%s)", type(exc).__name__)

    def _drain(self) -> None:
        while True:
            try:
                self._outbox.get_nowait()
            except queue.Empty:
                return


def probe_statement_logging(url: str) -> list[Check]:
    """``kiosk doctor``: the server must not log statements, which carry the conversation.

    Reads ``log_statement`` and ``log_min_duration_statement`` of the kiosk database (the
    relay's payload is sealed, but a statement log is still no place for it).
    """
    if url.startswith("sqlite"):
        return [Check("database.statement_log", Status.OK,
                      "embedded database: the conversation stays in this process")]
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            statement = str(connection.execute(text("SHOW log_statement")).scalar_one())
            duration = str(connection.execute(
                text("SHOW log_min_duration_statement")).scalar_one())
    except SQLAlchemyError as exc:
        return [Check("database.statement_log", Status.FAIL,
                      f"cannot read the server's logging settings ({type(exc).__name__})",
                      "Fix database.reachable first.")]
    finally:
        engine.dispose()
    return [_statement_log_check(statement, duration)]


def _statement_log_check(statement: str, duration: str) -> Check:
    detail = f"log_statement = '{statement}', log_min_duration_statement = {duration}"
    fix = ("On the database server set log_statement = 'none' (or 'ddl') and "
           "log_min_duration_statement = -1 for the kiosk database: ALTER DATABASE <db> SET "
           "log_statement = 'none'; ALTER DATABASE <db> SET log_min_duration_statement = -1.")
    if statement == "all" or duration in {"0", "0ms"}:
        return Check("database.statement_log", Status.FAIL,
                     f"{detail}: every statement, the conversation's included, goes to the "
                     "server log", fix)
    if statement == "mod":
        return Check("database.statement_log", Status.WARN,
                     f"{detail}: every write (tickets, applications) goes to the server log", fix)
    return Check("database.statement_log", Status.OK, detail)


def pairing_check(counter: str, *, default: bool) -> Check:
    """``kiosk doctor``: which conversation this tablet or clerk PC joins.

    Every device with the same ``[device] counter`` shares one conversation, so a counter
    left at the default name would show one visitor's conversation at every counter.
    """
    if default:
        return Check("conversation.counter", Status.WARN,
                     f"[device] counter is the default '{counter}': every tablet and clerk PC "
                     "left at the default shares one conversation",
                     "Set [device] counter to this counter's own name (e.g. '市民課 1番窓口'), "
                     "the same on its tablet and its clerk PC.")
    return Check("conversation.counter", Status.OK,
                 f"conversation shared with the devices of counter '{counter}' "
                 f"(channel {channel_for(counter)})")
