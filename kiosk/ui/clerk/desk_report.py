"""``kiosk clerk --report FILE``: the clerk desktop's page, tickets and application state as JSON.

For scripted checks that run the desk as its own process and click it with real input
events: ticket numbers, application numbers and statuses, and the visible texts (where, how
large, whether drawn whole; :mod:`kiosk.ui.common.text_report`). Personal data (the review's
values, the conversation, the resident register) is listed without its text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from kiosk.ui.clerk.clerk_window import ClerkWindow
from kiosk.ui.common.text_report import visible_texts
from kiosk.ui.common.widget_report import button_centres

__all__ = ["describe_desk"]


def describe_desk(window: QWidget) -> dict[str, object]:
    """What the clerk desktop inside ``window`` shows now."""
    clerk = window.findChild(ClerkWindow)
    if clerk is None:
        return {"page": None}
    if clerk.member is None or clerk.desk_page is None or \
            clerk.currentWidget() is not clerk.desk_page:
        return {"page": "login", "texts": visible_texts(window)}
    audit = clerk.audit
    shown: dict[str, object] = {
        "page": "desk",
        "tab": clerk.tabs.currentIndex() if clerk.tabs is not None else None,
        # The usage log (auditors): the records in the table and the line above it.
        "audit_rows": audit.table.rowCount() if audit is not None else None,
        "audit_status": audit.status.text() if audit is not None else None,
        "texts": visible_texts(window),
    }
    if clerk.queue is None:         # no counter (an auditor): no tickets, no application
        return {**shown, "current": None, "waiting": [], "open": [], "application": None,
                "status": None, "outage": False, "print_failures": 0, "transfer_to": None,
                "choices": button_centres(window, QComboBox)}
    queue, review, open_tickets = clerk.queue, clerk.review.review, clerk.open_tickets
    current = queue.desk.current
    watches = [queue.message.outage, clerk.review.outage]
    if open_tickets is not None:
        watches.append(open_tickets.message.outage)
    return {
        **shown,
        "current": current.label if current is not None else None,
        "waiting": [ticket.label for ticket in queue.tickets],
        "open": [ticket.label for ticket in open_tickets.tickets] if open_tickets else [],
        "application": review.application.id if review is not None else None,
        "status": review.status.value if review is not None else None,
        "outage": any(watch.down for watch in watches),
        "print_failures": clerk.review.print_failures,
        # The service a transfer sends to, and where its list opens (service codes only).
        "transfer_to": queue.transfer_to.currentData(),
        "choices": button_centres(window, QComboBox),
    }
