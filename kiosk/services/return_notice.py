"""The citizen's tablet at the counter shows why their application went back to them.

When the clerk returns an application (:class:`~kiosk.services.review.ApplicationReturned`),
the fixed reason travels to the counter's other device over the conversation's relay, as a
:class:`~kiosk.services.counter_signals.CounterNotice` naming the catalog message and the language
the citizen applied in: the tablet shows the people-made translation, never free text.
"""

from __future__ import annotations

from kiosk.events import EventBus, Subscription
from kiosk.services.conversation import Conversation
from kiosk.services.review import RETURN_REASONS, ApplicationReturned

__all__ = ["forward_returns"]


def forward_returns(events: EventBus, conversation: Conversation) -> Subscription:
    """Send each return's reason to the citizen's tablet; close the result to stop."""
    def forward(event: ApplicationReturned) -> None:
        message_id = RETURN_REASONS.get(event.reason_id)
        if message_id is not None:
            conversation.signals.notice(message_id, event.language)

    return events.subscribe(ApplicationReturned, forward)
