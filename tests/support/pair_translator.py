"""A stand-in translator with the routes of an install holding en<->ja and zh-Hans<->ja packs
only (no vi pack): its output names the direction, so a test sees which route ran."""

from __future__ import annotations

__all__ = ["PairTranslator"]

_PAIRS = frozenset({("en", "ja"), ("ja", "en"), ("zh-Hans", "ja"), ("ja", "zh-Hans")})


class PairTranslator:
    """``translate`` gives ``<source->target>text`` on an installed pair, else ``None``."""

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        return (source, target) if (source, target) in _PAIRS else None

    def translate(self, text: str, source: str, target: str) -> str | None:
        return f"<{source}->{target}>{text}" if self.route(source, target) else None

    def probe(self) -> list[object]:
        return []
