"""A simulated visitor microphone (demo, UI tests): says fixed lines when opened."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from kiosk.doctor import Check, Status
from kiosk.ports import Utterance

__all__ = ["DEMO_LINES", "ScriptedListener"]

# What a visitor might say, per Whisper language code (demo only; never real speech).
DEMO_LINES: Mapping[str, tuple[str, ...]] = {
    "vi": ("Tôi muốn lấy bản sao phiếu cư trú.",),
    "en": ("I would like a copy of my residence record.",),
    "zh": ("我想办理住民票的副本。",),
    "ja": ("住民票の写しをお願いします。",),
}


class ScriptedListener:
    """Hands ``lines`` (by language; default :data:`DEMO_LINES`) to the listener on a thread
    of its own each time it is started, then waits to be stopped."""

    def __init__(self, lines: Mapping[str, Sequence[str]] | None = None) -> None:
        self._lines = DEMO_LINES if lines is None else lines
        self._thread: threading.Thread | None = None
        self._open = False

    @property
    def listening(self) -> bool:
        """Whether the simulated microphone is open."""
        return self._open

    def start(self, language: str, on_utterance: Callable[[Utterance], None], *,
              english: bool = False) -> None:
        """Say the lines of ``language`` (its code before any ``-``)."""
        code = language.split("-", maxsplit=1)[0]
        lines = list(self._lines.get(code, ()))
        self._open = True

        def say() -> None:
            for text in lines:
                if not self._open:
                    return
                on_utterance(Utterance(text, language))   # no English: the demo translates

        self._thread = threading.Thread(target=say, name="scripted-listener", daemon=True)
        self._thread.start()

    def wait_until_said(self, timeout: float = 5.0) -> None:
        """Wait until every line was handed over (tests)."""
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def stop(self) -> None:
        """Close the simulated microphone."""
        self._open = False
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def probe(self) -> Sequence[Check]:
        """Always fine: nothing to test."""
        return [Check("visitor_microphone", Status.OK, "simulated visitor microphone")]
