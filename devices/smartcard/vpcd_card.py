"""The simulated My Number card behind the real pcscd, through Debian's vpcd driver.

vpcd (vsmartcard ``vsmartcard-vpcd``) listens on 127.0.0.1:<port>, one port per virtual reader.
The card connects: connecting inserts it, closing removes it. Every message both ways is a
2-byte big-endian length and a payload; a 1-byte payload from vpcd is a control byte
(``00`` power off, ``01`` power on, ``02`` reset, ``04`` send the ATR); anything else is a
command APDU answered with exactly one response APDU (reference §B2).

Run as a thread (:class:`VpcdCard`) or as a process::

    python -m devices.smartcard.vpcd_card --port 35963 --person plain [--delay-ms 30]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import threading
import time
from collections.abc import Sequence

from devices.smartcard.simulated_card import SimulatedMyNumberCard, load_person

__all__ = ["VpcdCard", "main"]

_log = logging.getLogger(__name__)
_POWER_OFF, _POWER_ON, _RESET, _GET_ATR = 0x00, 0x01, 0x02, 0x04
# pcscd polls a vpcd reader every 0.4 s. A card that comes back before a poll has seen the slot
# empty (after it left mid-APDU) is never powered: pcscd keeps the failed card's state. A real
# card cannot be re-inserted that fast either, so a card stays out this long per reader port.
_MIN_ABSENCE_S = 1.0
_last_left: dict[tuple[str, int], float] = {}
_last_left_lock = threading.Lock()


class VpcdCard:
    """Serves one :class:`SimulatedMyNumberCard` to vpcd.

    Args:
        card: the card.
        port: vpcd's TCP port for the reader (35963 for ``Virtual PCD 00 00``).
        delay_s: time each APDU takes (a contact reader takes tens of ms).
        remove_after: close the connection (= pull the card) after this many APDUs.
        host: vpcd's address.
    """

    def __init__(self, card: SimulatedMyNumberCard, port: int, *, delay_s: float = 0.0,
                 remove_after: int | None = None, host: str = "127.0.0.1") -> None:
        self.card = card
        self.port = port
        self.host = host
        self.delay_s = delay_s
        self.remove_after = remove_after
        self.apdus = 0
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ thread control

    def start(self) -> VpcdCard:
        """Insert the card: serve it on a daemon thread, reconnecting if vpcd restarts."""
        self._thread = threading.Thread(target=self.serve, name=f"vpcd-card-{self.port}",
                                        daemon=True)
        self._thread.start()
        return self

    def remove(self, timeout: float = 5.0) -> None:
        """Pull the card out: close the connection and stop serving."""
        self._stop.set()
        sock = self._socket
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout)

    def serve(self) -> None:
        """Connect and answer until removed; after vpcd drops the link, connect again."""
        while not self._stop.is_set():
            with _last_left_lock:
                left_at = _last_left.get((self.host, self.port), 0.0)
            if self._stop.wait(max(0.0, left_at + _MIN_ABSENCE_S - time.monotonic())):
                return
            try:
                with socket.create_connection((self.host, self.port), timeout=1.0) as sock:
                    sock.settimeout(None)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self._socket = sock
                    self.connected.set()
                    self._serve_connection(sock)
            except OSError:
                pass                       # vpcd not listening (pcscd restarting): retry
            finally:
                if self.connected.is_set():
                    with _last_left_lock:
                        _last_left[(self.host, self.port)] = time.monotonic()
                self._socket = None
                self.connected.clear()
            if self.remove_after is not None and self.apdus >= self.remove_after:
                return                     # removed on purpose: stay out
            self._stop.wait(0.1)

    # ------------------------------------------------------------ protocol

    def _serve_connection(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            message = _receive(sock)
            if message is None:
                return
            if len(message) == 1:
                self._control(sock, message[0])
                continue
            if self.remove_after is not None and self.apdus >= self.remove_after:
                return                     # the card leaves instead of answering
            self.apdus += 1
            if self.delay_s:
                time.sleep(self.delay_s)
            _send(sock, self.card.process(message))

    def _control(self, sock: socket.socket, code: int) -> None:
        if code == _GET_ATR:
            _send(sock, self.card.atr)
        elif code in (_POWER_OFF, _POWER_ON, _RESET):
            self.card.reset()


def _receive_exactly(sock: socket.socket, count: int) -> bytes | None:
    data = bytearray()
    while len(data) < count:
        # Debian's vpcd 0.8 writes length and payload in two send() calls; with Nagle and a
        # delayed ACK each APDU stalls ~44 ms. Quick-ACK is not sticky: set it before each recv.
        if hasattr(socket, "TCP_QUICKACK"):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        chunk = sock.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _receive(sock: socket.socket) -> bytes | None:
    try:
        header = _receive_exactly(sock, 2)
        if header is None:
            return None
        return _receive_exactly(sock, int.from_bytes(header, "big"))
    except OSError:
        return None


def _send(sock: socket.socket, payload: bytes) -> None:
    # One send() for length and payload: the fix upstream vpcd made on its own side.
    sock.sendall(len(payload).to_bytes(2, "big") + payload)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a test person's card to vpcd until interrupted."""
    parser = argparse.ArgumentParser(description="simulated My Number card for vpcd")
    parser.add_argument("--port", type=int, default=35963)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--person", default="plain")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--remove-after", type=int, default=None)
    args = parser.parse_args(argv)
    card = VpcdCard(SimulatedMyNumberCard(load_person(args.person)), args.port,
                    delay_s=args.delay_ms / 1000, remove_after=args.remove_after, host=args.host)
    with contextlib.suppress(KeyboardInterrupt):
        card.serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
