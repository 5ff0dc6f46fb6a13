"""Identify: the My Number card with an on-screen PIN pad, or continue without the card.

Tries left are shown before the PIN pad; the PIN is masked, never spoken, and handed to the
card once. With one try left, OK does not send it: a separate confirmation says the card will
lock and what to do instead (the counter, with an ID), and only its own button sends the PIN.
A locked card stops with a plain "go to the counter"; a removed card ends the visit.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.services.visit import SOMETHING_WENT_WRONG, CardOutcome, CardResult, Visit
from kiosk.ui.citizen.screen_base import Actions, CitizenScreen
from kiosk.ui.common.background_call import BackgroundCall
from kiosk.ui.common.numeric_keypad import PinPad

__all__ = ["IdentifyScreen", "PadState"]


class PadState(enum.Enum):
    """Which part of identification is on screen."""

    CHOICE = "choice"
    PIN = "pin"
    CONFIRM_LAST = "confirm-last"    # one try left: the citizen confirms before it is spent
    READING = "reading"
    LOCKED = "locked"


class IdentifyScreen(CitizenScreen):
    """Card or no card; PIN pad; reading; locked."""

    def __init__(self, visit: Visit, target: int, parent: QWidget | None = None) -> None:
        super().__init__(visit, target, parent)
        self.state = PadState.CHOICE
        self.message = ""
        self.tries: int | None = None
        self.pad = PinPad(target)
        self.pad.count_changed.connect(self._on_count)
        self._call = BackgroundCall(self)
        self._call.done.connect(self._on_done)

    def reset(self) -> None:
        """Back to the first question (a new visit, or the screen shown again)."""
        self.state, self.message, self.tries = PadState.CHOICE, "", None
        self.pad.clear()

    def refresh(self) -> None:
        """Redraw; the PIN pad is kept (detached first so the redraw does not delete it)."""
        self.pad.hide()
        self.pad.setParent(None)
        super().refresh()

    def build(self, layout: QVBoxLayout) -> None:
        """The part of the flow the state says."""
        if self.message:
            layout.addWidget(self.label("⚠ " + self.message, role="error", name="card-message"))
        {PadState.CHOICE: self._build_choice, PadState.PIN: self._build_pin,
         PadState.CONFIRM_LAST: self._build_confirm_last,
         PadState.READING: self._build_reading, PadState.LOCKED: self._build_locked,
         }[self.state](layout)

    def footer_actions(self) -> Actions:
        """Back (not while reading); OK on the PIN pad; on the last try's confirmation, enter
        the PIN again on the Back place and send it on the forward place (design 04b)."""
        if self.state is PadState.READING:
            return Actions()
        if self.state is PadState.CONFIRM_LAST:
            return Actions(self.action(N_("Enter the PIN again"), "last-try-again",
                                       self._on_enter_again),
                           self.action(N_("Use this PIN"), "last-try-confirm",
                                       lambda: self._send_pin(use_last_try=True), mark="check"))
        forward = self.action(N_("OK"), "pin-ok", self._on_pin_ok, mark="forward") \
            if self.state is PadState.PIN else None
        return Actions(self.action(N_("Back"), "back", self._on_back, mark="back"), forward)

    def _build_choice(self, layout: QVBoxLayout) -> None:
        tr = self.marked
        layout.addWidget(self.label(tr(N_("Do you have your My Number card? With the card, "
                                          "your name, address and birth date are filled in "
                                          "for you.")), role="title"))
        layout.addWidget(self.label(tr(N_("Put the card in the reader, then tap the button."))))
        row = QHBoxLayout()
        card = self.button(tr(N_("I put my card in")), "use-card", role="primary")
        card.clicked.connect(self._on_use_card)
        none = self.button(tr(N_("Continue without the card")), "no-card")
        none.clicked.connect(self._on_without_card)
        row.addWidget(card)
        row.addWidget(none)
        layout.addLayout(row)

    def _build_pin(self, layout: QVBoxLayout) -> None:
        tr = self.visit.tr
        layout.addWidget(self.label(self.marked(N_("Please enter the 4-digit PIN of your card. Nobody "
                                          "can see or hear the digits.")), role="title"))
        if self.tries is not None:
            layout.addWidget(self.label(tr.plural("{n} try left before the card locks.",
                                                  "{n} tries left before the card locks.",
                                                  self.tries),
                                        role="warning" if self.tries == 1 else "heading",
                                        name="tries-left"))
        self.masked = self.label(self.pad.masked(), role="pin", name="pin-mask", spoken=False)
        # The dots as the typed digits will set them: no word joiners of a spaced language
        # (drawn from a taller fallback font, they made the first digit raise the pad).
        self.masked.setText(self.pad.masked())
        self.masked.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.masked)
        layout.addWidget(self.pad)
        self.pad.show()

    def _build_confirm_last(self, layout: QVBoxLayout) -> None:
        """The separate confirmation before the last try (design 04b): retype or send."""
        tr = self.marked
        layout.addWidget(self.label("⚠ " + tr(N_("Only 1 try left")), role="warning",
                                    name="last-try-title"))
        layout.addWidget(self.label(tr(N_("If this PIN is wrong, the card will be locked and "
                                          "cannot be used on this tablet any more.")),
                                    name="last-try-lock"))
        layout.addWidget(self.label(tr(N_("If you are not sure of the PIN, do not try it: go "
                                          "to the counter with an ID (for example a driving "
                                          "licence or a passport). The staff will help you "
                                          "there.")), name="last-try-instead"))
        layout.addWidget(self.label(tr(N_("PIN entered: {dots}"), dots=self.pad.masked()),
                                    role="heading", name="pin-mask", spoken=False))
        none = self.button(tr(N_("Continue without the card")), "no-card")
        none.clicked.connect(self._on_without_card)
        layout.addWidget(none)

    def _build_reading(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.label(self.marked(N_("Reading your card… Please do not take "
                                                   "it out.")), role="title", name="reading"))

    def _build_locked(self, layout: QVBoxLayout) -> None:
        tr = self.marked
        layout.addWidget(self.label(tr(N_("The PIN of this card is locked. Please go to the "
                                          "counter to have it reset.")), role="title",
                                    name="locked"))
        if self.visit.offers_pin_reset():
            reset = self.button(tr(N_("Apply to reset the PIN")), "pin-reset", role="primary")
            reset.clicked.connect(self._on_pin_reset)
            layout.addWidget(reset)
        none = self.button(tr(N_("Continue without the card")), "no-card")
        none.clicked.connect(self._on_without_card)
        layout.addWidget(none)

    # ------------------------------------------------------------ handlers
    def _on_count(self, _count: int) -> None:
        if self.state is PadState.PIN and hasattr(self, "masked"):
            self.masked.setText(self.pad.masked())

    def _on_use_card(self) -> None:
        self.message = ""
        try:
            self.tries = self.visit.card.tries_left()
        except UserFacingError as exc:
            self.message = self.visit.tr(exc.message_id, **exc.params)
            self.refresh()
            return
        self.state = PadState.LOCKED if self.tries == 0 else PadState.PIN
        self.refresh()

    def _on_without_card(self) -> None:
        self.reset()
        self.visit.card.continue_without()

    def _on_pin_reset(self) -> None:
        self.reset()
        self.visit.apply_for_pin_reset()

    def _on_back(self) -> None:
        if self.state is PadState.CHOICE:
            self.visit.back()
            return
        self.reset()
        self.refresh()

    def _on_pin_ok(self) -> None:
        if len(self.pad.text) != self.pad.max_length:
            self.message = self.visit.tr(N_("The PIN has exactly 4 digits. Please enter it "
                                            "again."))
            self.refresh()
            return
        if self.tries == 1:
            # The last try is never spent by OK alone: the citizen confirms it separately.
            self.state, self.message = PadState.CONFIRM_LAST, ""
            self.refresh()
            return
        self._send_pin()

    def _on_enter_again(self) -> None:
        self.pad.clear()
        self.state = PadState.PIN
        self.refresh()

    def _send_pin(self, *, use_last_try: bool = False) -> None:
        if len(self.pad.text) != self.pad.max_length:
            return      # a double tap after the PIN was taken: nothing to send
        pin = self.pad.take_pin()
        self.state, self.message = PadState.READING, ""
        self.refresh()
        self._call.start(lambda: self.visit.card.read(pin, use_last_try=use_last_try))

    def _on_done(self, result: object) -> None:
        if not isinstance(result, CardResult):
            # An unexpected failure outside the card's read (the visit turns those into a
            # CardResult itself): a plain message, never a traceback.
            if isinstance(result, BaseException):
                self.visit.error_shown("card.read", result)
            self.state = PadState.CHOICE
            self.message = self.visit.tr(SOMETHING_WENT_WRONG)
            self.refresh()
            return
        self._show_result(result)

    def _show_result(self, result: CardResult) -> None:
        if result.outcome in (CardOutcome.READ, CardOutcome.REMOVED):
            self.reset()     # the visit moved on (forms) or ended (card removed)
            return
        self.message = self.visit.tr(result.message_id, **dict(result.params or {}))
        self.tries = result.tries_left
        # LAST_TRY: the card had one try left although this screen thought otherwise; the
        # citizen types the PIN again and gets the confirmation.
        self.state = {CardOutcome.WRONG_PIN: PadState.PIN, CardOutcome.LAST_TRY: PadState.PIN,
                      CardOutcome.LOCKED: PadState.LOCKED}.get(result.outcome, PadState.CHOICE)
        self.refresh()
