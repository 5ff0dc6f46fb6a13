"""A signer made at its first use, in a module without pyHanko.

The services of every device build their document signer at start; with the throwaway test
signer that is a :class:`LazySigner`, and keeping pyHanko (and the HTTP client it brings for
time stamps) out of this module keeps it out of the tablet's start-up (issue 18).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.signing.pades import PadesSigner
    from kiosk.doctor import Check

__all__ = ["LazySigner"]


class LazySigner:
    """A signer made at its first use (the demo's throwaway key costs a key generation)."""

    def __init__(self, make: Callable[[], PadesSigner], *, test_signature: bool) -> None:
        self._make = make
        self._signer: PadesSigner | None = None
        self._lock = threading.Lock()
        self.test_signature = test_signature

    def __repr__(self) -> str:
        return f"LazySigner(test={self.test_signature}, made={self._signer is not None})"

    def _get(self) -> PadesSigner:
        with self._lock:
            if self._signer is None:
                self._signer = self._make()
            return self._signer

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        """Sign with the signer, made now if it is the first time."""
        return self._get().sign(pdf, reason=reason, location=location)

    def probe(self) -> list[Check]:
        """The made signer's checks."""
        return self._get().probe()
