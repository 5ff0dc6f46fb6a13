"""The visit's signature: strokes the pad hands over, checked for ink, sealed per application.

The tablet's signature pad adds one stroke per touch and clears on request; it publishes no
change (a screen rebuilt under the finger would move). On submit the visit asks
:meth:`SignatureCapture.check` (some ink but too little is refused with a message in the
citizen's language) and then puts :meth:`SignatureCapture.answer` under
:data:`~kiosk.domain.signature.SIGNATURE_KEY` in each application whose form is signed.
An empty pad is allowed: the citizen then signs the printed form at the counter.
"""

from __future__ import annotations

import time

from kiosk.domain.application import Provenance, StoredAnswer
from kiosk.domain.signature import Point, Signature, Stroke, record_to_text
from kiosk.domain.signature_image import record_of
from kiosk.errors import UserFacingError
from kiosk.i18n import N_

__all__ = ["SignatureCapture", "SignatureTooShortError"]


class SignatureTooShortError(UserFacingError):
    """The pad holds a tap or a dash, not a signature (the citizen's input, not a failure)."""

    def __init__(self) -> None:
        super().__init__(N_("This is too short for a signature. Please write your name in "
                            "the box, or clear it to sign on paper at the counter."))


class SignatureCapture:
    """The strokes of one visit's signature (in memory only; dropped with the visit)."""

    def __init__(self) -> None:
        self.signature: Signature | None = None
        self._origin: float | None = None     # monotonic time of the first touch

    def now_ms(self) -> int:
        """Milliseconds since the signature's first touch (the first call starts the clock)."""
        now = time.monotonic()
        if self._origin is None:
            self._origin = now
        return round((now - self._origin) * 1000)

    def __repr__(self) -> str:
        return f"SignatureCapture({self.signature!r})"

    def add_stroke(self, points: list[Point], width: int, height: int) -> None:
        """Add one stroke drawn on a pad of ``width`` × ``height`` pixels.

        A pad of another size (the screen was rebuilt at another text scale) starts afresh:
        strokes of two sizes would not line up.
        """
        current = self.signature
        if current is None or (current.width, current.height) != (width, height):
            current = Signature(width, height)
        self.signature = current.with_stroke(Stroke(tuple(points)))

    def clear(self) -> None:
        """Wipe the pad (to sign again, or to sign on paper instead)."""
        self.signature = None
        self._origin = None

    @property
    def is_empty(self) -> bool:
        """Whether nothing is drawn."""
        return self.signature is None or self.signature.is_empty

    def check(self) -> None:
        """Refuse a tap or a dash; an empty pad passes (paper signature at the counter).

        Raises:
            SignatureTooShortError: some ink, but not enough for a signature.
        """
        if self.signature is not None and not self.signature.is_empty \
                and not self.signature.has_enough_ink():
            raise SignatureTooShortError

    def answer(self) -> StoredAnswer | None:
        """The signature as the sealed answer (strokes, times and image), or ``None``."""
        if self.signature is None or not self.signature.has_enough_ink():
            return None
        return StoredAnswer(record_to_text(record_of(self.signature)), Provenance.CITIZEN)
