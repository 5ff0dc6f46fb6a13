"""The fee of the open application, item by item, and taking it: cash or cashless, the
receipt (printed or as a QR code on the screen), a refund.

The terminal's wait for the visitor runs off the GUI thread (:class:`BackgroundCall`); the
buttons stay off until it answers. Shows amounts, fee names and the ordinance only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.application import ApplicationStatus
from kiosk.domain.payment import Payment, PaymentMethod, PaymentStatus
from kiosk.errors import DeviceError, UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.services.payments import FeeQuote, PaymentService
from kiosk.services.review import ReviewSession
from kiosk.ui.common.background_call import BackgroundCall

__all__ = ["FeePanel"]

_PAYABLE = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.PRINTED})
_STATUS = {PaymentStatus.PENDING: S_("no result yet"), PaymentStatus.PAID: S_("paid"),
           PaymentStatus.FAILED: S_("failed"), PaymentStatus.CANCELLED: S_("cancelled"),
           PaymentStatus.REFUNDED: S_("refunded")}
_METHOD = {PaymentMethod.CASH: S_("cash"), PaymentMethod.CASHLESS: S_("cashless")}


def _qr_pixmap(text: str, scale: int = 3) -> QPixmap:
    """The QR code of ``text`` drawn by segno as PNG and loaded by Qt."""
    import io  # noqa: PLC0415

    import segno  # noqa: PLC0415

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class FeePanel(QWidget):
    """The fee of :attr:`review` (set by :meth:`show_review`); ``paid`` after each payment."""

    paid = Signal()

    def __init__(self, tr: Translator, payments: PaymentService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fee-panel")
        self._tr, self._payments = tr, payments
        self.review: ReviewSession | None = None
        self.quote: FeeQuote | None = None
        self.last: Payment | None = None
        self.heading = QLabel(tr(S_("Fees")))
        self.heading.setObjectName("clerk-heading")
        self.items = QTableWidget(0, 5)
        self.items.setObjectName("fee-items")
        self.items.setHorizontalHeaderLabels([tr(S_("Fee")), tr(S_("Unit (yen)")),
                                              tr(S_("Quantity")), tr(S_("Amount (yen)")),
                                              tr(S_("Ordinance"))])
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.verticalHeader().setVisible(False)
        self.total = QLabel("")
        self.total.setObjectName("fee-total")
        self.message = QLabel("", wordWrap=True)
        self.message.setObjectName("fee-message")
        self.qr = QLabel("")
        self.qr.setObjectName("fee-qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons: dict[str, QPushButton] = {}
        self._call = BackgroundCall(self)
        self._call.done.connect(self._on_terminal_done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.items)
        layout.addWidget(self.total)
        layout.addLayout(self._controls())
        below = QHBoxLayout()           # the QR beside the message: the review keeps its room
        below.addWidget(self.message, 1)
        below.addWidget(self.qr)
        layout.addLayout(below)
        self.show_review(None)

    def _controls(self) -> QGridLayout:
        grid = QGridLayout()
        for index, (key, text, handler) in enumerate((
                ("cash", S_("Paid in cash"), self._on_cash),
                ("cashless", S_("Pay cashless (terminal)"), self._on_cashless),
                ("resolve", S_("Ask the terminal again"), self._on_resolve),
                ("receipt", S_("Print receipt"), self._on_receipt),
                ("qr", S_("Receipt as QR code"), self._on_qr),
                ("refund", S_("Refund"), self._on_refund))):
            button = QPushButton(self._tr(text))
            button.setObjectName(f"fee-{key}")
            button.clicked.connect(handler)
            self.buttons[key] = button
            grid.addWidget(button, index // 3, index % 3)
        return grid

    # ------------------------------------------------------------ showing
    def show_review(self, review: ReviewSession | None) -> None:
        """Show the fee of ``review`` (``None``: nothing open)."""
        if review is None or self.review is None or review.application.id != \
                self.review.application.id:
            self.last = None
            self.qr.clear()
            self.message.clear()
        self.review = review
        self.refresh()

    def refresh(self) -> None:
        """Reload the quote and the payments of the open application."""
        review = self.review
        self.quote = (self._payments.quote(review.application.id, review.session)
                      if review is not None else None)
        quote = self.quote
        rows = list(quote.items) if quote is not None else []
        self.items.setRowCount(len(rows))
        for row, item in enumerate(rows):
            for column, text in enumerate((item.label.get("ja"), f"{item.unit_amount:,}",
                                           str(item.quantity), f"{item.amount:,}", item.basis)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if 1 <= column <= 3:      # yen and counts line up on the right
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                          Qt.AlignmentFlag.AlignVCenter)
                self.items.setItem(row, column, cell)
        # As tall as its rows (a form has one to three fee lines): the review keeps the room.
        self.items.setFixedHeight(self.items.horizontalHeader().height() + 4 + sum(
            self.items.rowHeight(row) for row in range(max(1, len(rows)))))
        if quote is None:
            self.total.setText(self._tr(S_("No application open.")))
        elif not quote.items:
            self.total.setText(self._tr(S_("No fee for this application.")))
        else:
            self.total.setText(self._tr(S_("Total {total} yen, paid {paid} yen, due {due} yen"),
                                        total=f"{quote.total:,}", paid=f"{quote.paid:,}",
                                        due=f"{quote.due:,}"))
        if review is not None and self.last is None:
            done = [p for p in self._payments.payments(review.application.id)
                    if p.status is PaymentStatus.PAID]
            self.last = done[-1] if done else None
        self._update_buttons()

    def _update_buttons(self) -> None:
        quote, review, busy = self.quote, self.review, self._call.busy
        due = bool(quote and quote.due and quote.pending is None)
        payable = review is not None and review.status in _PAYABLE and due and not busy
        paid = self.last is not None and self.last.status is PaymentStatus.PAID and not busy
        allowed = {"cash": payable and self._payments.cash,
                   "cashless": payable and self._payments.terminal is not None,
                   "resolve": quote is not None and quote.pending is not None and not busy,
                   "receipt": paid, "qr": paid, "refund": paid}
        for key, button in self.buttons.items():
            button.setEnabled(allowed[key])

    # ------------------------------------------------------------ actions
    def _on_cash(self) -> None:
        review = self.review
        if review is not None:
            self._done(self._safely(lambda: self._payments.pay_cash(review)))

    def _on_cashless(self) -> None:
        review = self.review
        if review is None:
            return
        self.message.setText(self._tr(S_("Waiting for the visitor on the terminal...")))
        self._call.start(lambda: self._payments.pay_cashless(review))
        self._update_buttons()

    def _on_resolve(self) -> None:
        quote = self.quote
        if quote is None or quote.pending is None:
            return
        pending = quote.pending
        self.message.setText(self._tr(S_("Asking the terminal...")))
        self._call.start(lambda: self._payments.resolve(pending.id, quote.form_id))
        self._update_buttons()

    def _on_terminal_done(self, result: object) -> None:
        if isinstance(result, UserFacingError):
            self.message.setText(self._tr(result.message_id, **result.params))
            self.refresh()
            return
        if isinstance(result, Exception):
            self.message.setText(self._tr(S_("Something went wrong. Check the terminal.")))
            self.refresh()
            return
        assert isinstance(result, Payment)
        self._done(result)

    def _done(self, payment: Payment | None) -> None:
        if payment is None:
            return
        if payment.status is PaymentStatus.PAID:
            self.last = payment
        self.message.setText(self._tr(S_("{method}: {status} ({amount} yen) {slip}"),
                                      method=self._tr(_METHOD[payment.method]),
                                      status=self._tr(_STATUS[payment.status]),
                                      amount=f"{payment.amount:,}", slip=payment.slip))
        self.refresh()
        self.paid.emit()

    def _on_receipt(self) -> None:
        last, review = self.last, self.review
        if last is None or review is None:
            return
        language = review.application.language
        if self._safely(lambda: self._payments.print_receipt(last.id, language)) is not None:
            self.message.setText(self._tr(S_("Receipt sent to the printer.")))

    def _on_qr(self) -> None:
        if self.last is not None:
            self.qr.setPixmap(_qr_pixmap(self._payments.receipt_qr(self.last.id)))

    def _on_refund(self) -> None:
        last = self.last
        if last is None:
            return
        refunded = self._safely(lambda: self._payments.refund(last.id))
        if refunded is not None:
            self.last = None
            self.qr.clear()
            self._done(refunded)

    def _safely(self, action: object) -> Payment | None:
        try:
            result = action()  # type: ignore[operator]
        except DeviceError as exc:
            self.message.setText(self._tr(S_("The device refused: {reason}"),
                                          reason=exc.english()))
            return None
        except UserFacingError as exc:
            self.message.setText(self._tr(exc.message_id, **exc.params))
            return None
        return result  # type: ignore[no-any-return]
