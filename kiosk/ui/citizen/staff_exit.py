"""Leaving kiosk mode: only with the staff exit PIN (never the citizen's card PIN).

The PIN is compared with a salted scrypt hash (``kiosk.domain.staff.hash_password``), given by
IT as ``[ui] staff_exit_pin_hash`` (or ``KIOSK_UI_STAFF_EXIT_PIN_HASH``); without one, kiosk
mode cannot be left from the screen.
"""

from __future__ import annotations

from kiosk.domain.staff import verify_password

__all__ = ["ExitLock"]


class ExitLock:
    """Checks the staff exit PIN against its hash; a wrong PIN only counts a failure."""

    def __init__(self, pin_hash: str) -> None:
        self._hash = pin_hash
        self.failures = 0

    @property
    def configured(self) -> bool:
        """Whether an exit PIN was set up at all."""
        return bool(self._hash)

    def unlock(self, pin: str) -> bool:
        """Whether ``pin`` is the staff exit PIN."""
        ok = self.configured and verify_password(pin, self._hash)
        if not ok:
            self.failures += 1
        return ok
