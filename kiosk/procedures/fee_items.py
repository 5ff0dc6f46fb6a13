"""Itemised fees of a filled form: each fee line of the form's table with its quantity.

The forms compute their fee in a calculated field (``copies * fee('juminhyo')``); the
quantity of each fee line is read from that same expression by evaluating it with that
line's fee set to 1 and every other line to 0. Every fee expression in ``forms/`` is linear
in its fees (a sum of count x fee), so this gives the ordinance's unit amount x quantity
that the clerk, the terminal and the receipt show, and the items always add up to the total
the citizen saw on the tablet (:meth:`FormSession.total_fee`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.procedures.expressions import evaluate
from kiosk.procedures.model import Fee, LocalText
from kiosk.procedures.session import FormSession

__all__ = ["FeeItem", "fee_items", "items_total"]


@dataclass(frozen=True)
class FeeItem:
    """One fee line: what for (in every language), the unit amount, how many, the ordinance."""

    form_id: str
    kind: str
    label: LocalText
    unit_amount: int
    quantity: int
    basis: str = ""            # 登米市手数料条例 別表 ... (the article the amount comes from)
    per: str = "copy"

    @property
    def amount(self) -> int:
        """Unit amount x quantity, in yen."""
        return self.unit_amount * self.quantity


class _OneFee:
    """The session's environment with every fee at 0 except ``kind`` at 1."""

    def __init__(self, session: FormSession, kind: str) -> None:
        self._session, self._kind = session, kind

    def value(self, name: str) -> Any:
        item = _field(self._session, name)
        if item is not None and item.calculate is not None and name.startswith("fee"):
            return evaluate(item.calculate.tree, self)
        return self._session.value(name)

    def fee(self, kind: str) -> int:
        return 1 if kind == self._kind else 0

    def today(self) -> date:
        return self._session.today()


def _field(session: FormSession, name: str) -> Any:
    try:
        return session.definition.field(name)
    except KeyError:
        return None


def _quantity(session: FormSession, fee: Fee) -> int:
    count = 0
    for item in session.definition.fields:
        if item.id.startswith("fee") and item.calculate is not None and \
                session.is_visible(item.id):
            value = evaluate(item.calculate.tree, _OneFee(session, fee.kind))
            count += int(value) if isinstance(value, int | float) else 0
    return max(count, 0)


def fee_items(session: FormSession) -> list[FeeItem]:
    """The fee lines of ``session`` that cost something, in the order of the form's table."""
    form = session.definition
    items = []
    for fee in form.fees:
        quantity = _quantity(session, fee)
        if quantity and fee.amount:
            items.append(FeeItem(form.id, fee.kind, fee.label, fee.amount, quantity, fee.basis,
                                 fee.per))
    return items


def items_total(items: list[FeeItem]) -> int:
    """The items' sum in yen."""
    return sum(item.amount for item in items)
