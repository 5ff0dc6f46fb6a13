"""The applicant's signature drawn on the tablet: strokes of points with times (pure data).

A signature is personal data, like the answers: its repr is masked, it is sealed with the
application's answers (under the reserved answer key :data:`SIGNATURE_KEY`, which is no field
id) and purged with them. Points are in the pad's own pixels (``width`` × ``height``), times
in milliseconds since the first touch; :meth:`Signature.has_enough_ink` tells a signature
from a tap.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "MIN_INK_HEIGHTS",
    "MIN_SPAN",
    "SIGNATURE_KEY",
    "Signature",
    "SignatureRecord",
    "Stroke",
    "record_from_text",
    "record_to_text",
    "stored_record",
]

SIGNATURE_KEY = "_signature"
"""The answer key the signature is sealed under (field ids never start with ``_``)."""

MIN_INK_HEIGHTS = 0.8
"""Least ink, as a multiple of the pad's height: a tap or a dot is not a signature."""

MIN_SPAN = 0.08
"""Least width of the ink, as a share of the pad's width: a short dash is not one either."""

Point = tuple[int, int, int]
"""x, y in pad pixels and t in milliseconds since the signature's first touch."""


@dataclass(frozen=True, slots=True)
class Stroke:
    """One touch from finger (or pen) down to up."""

    points: tuple[Point, ...]

    def __repr__(self) -> str:
        return f"Stroke(<{len(self.points)} points>)"

    def length(self) -> float:
        """The stroke's path length in pad pixels."""
        return sum(math.dist(a[:2], b[:2]) for a, b in zip(self.points, self.points[1:],
                                                            strict=False))


@dataclass(frozen=True, slots=True)
class Signature:
    """Strokes on a pad of ``width`` × ``height`` pixels, in the order they were drawn."""

    width: int
    height: int
    strokes: tuple[Stroke, ...] = field(default=())

    def __repr__(self) -> str:
        return f"Signature({self.width}x{self.height}, <{len(self.strokes)} strokes>)"

    def with_stroke(self, stroke: Stroke) -> Signature:
        """This signature with ``stroke`` added (an empty stroke adds nothing)."""
        if not stroke.points:
            return self
        return Signature(self.width, self.height, (*self.strokes, stroke))

    @property
    def is_empty(self) -> bool:
        """Whether nothing was drawn."""
        return not self.strokes

    def ink(self) -> float:
        """Total path length of every stroke, in pad pixels."""
        return sum(stroke.length() for stroke in self.strokes)

    def span(self) -> int:
        """Width of the ink from its leftmost to its rightmost point, in pad pixels."""
        xs = [p[0] for stroke in self.strokes for p in stroke.points]
        return max(xs) - min(xs) if xs else 0

    def has_enough_ink(self) -> bool:
        """Whether this is more than a tap, a dot or a dash (see :data:`MIN_INK_HEIGHTS`)."""
        return (self.ink() >= MIN_INK_HEIGHTS * self.height
                and self.span() >= MIN_SPAN * self.width)

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data: size and every point with its time."""
        return {"w": self.width, "h": self.height,
                "strokes": [[list(p) for p in stroke.points] for stroke in self.strokes]}

    @staticmethod
    def from_data(data: Mapping[str, Any]) -> Signature:
        """The signature of :meth:`to_data`'s output.

        Raises:
            ValueError: not a stored signature.
        """
        try:
            strokes = tuple(Stroke(tuple((int(x), int(y), int(t)) for x, y, t in points))
                            for points in data["strokes"])
            return Signature(int(data["w"]), int(data["h"]), strokes)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError("not a stored signature") from exc


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    """What is sealed with the application: the strokes and the image drawn from them."""

    signature: Signature
    png: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"SignatureRecord({self.signature!r}, png=<{len(self.png)} bytes>)"


def record_to_text(record: SignatureRecord) -> str:
    """The record as one text answer (JSON; the image in base64)."""
    data = {"v": 1, **record.signature.to_data(),
            "png": base64.b64encode(record.png).decode("ascii")}
    return json.dumps(data, separators=(",", ":"))


def record_from_text(text: str) -> SignatureRecord:
    """The record of :func:`record_to_text`'s output.

    Raises:
        ValueError: the text is not a stored signature.
    """
    try:
        data = json.loads(text)
        png = base64.b64decode(data["png"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ValueError("not a stored signature") from exc
    if not isinstance(data, dict) or data.get("v") != 1:
        raise ValueError("not a stored signature")
    return SignatureRecord(Signature.from_data(data), png)


class _Stored(Protocol):
    @property
    def value(self) -> str: ...


def stored_record(answers: Mapping[str, _Stored]) -> SignatureRecord | None:
    """The signature sealed among an application's ``answers``; ``None`` when there is none
    (signed on paper) or it cannot be read (then the paper is signed by hand)."""
    answer = answers.get(SIGNATURE_KEY)
    if answer is None:
        return None
    try:
        return record_from_text(answer.value)
    except ValueError:
        return None
