"""The citizen messages the web templates use, marked here so that extraction finds them.

The extractor reads Python only; tests/web/test_template_messages.py checks that every
``tr(N_("..."))`` in ``kiosk/web/templates`` is listed here.
"""

from __future__ import annotations

from kiosk.i18n import N_

__all__ = ["TEMPLATE_MESSAGES"]

TEMPLATE_MESSAGES = (
    N_("1. Add the city's official account as a friend."),
    N_("2. Send it this code:"),
    N_("Cancel this reservation"),
    N_("E-mail me when my turn is near"),
    N_("Get a LINE message when your turn is near"),
    N_("I am back"),
    N_("I have stepped out"),
    N_("No name or contact is needed. Keep the page you get: it is your reservation."),
    N_("Now calling"),
    N_("Please enter a valid e-mail address."),
    N_("Recent calls"),
    N_("Reservation code"),
    N_("Reserve"),
    N_("Reserve a time"),
    N_("Send"),
    N_("Sound and vibration when called"),
    N_("The counter knows that you have stepped out."),
    N_("Tickets taken today, by hour"),
    N_("This time could not be booked (it may be full). Please choose another."),
    N_("Time"),
    N_("Too many reservations from this connection today."),
    N_("Waiting at the counters now"),
    N_("We will e-mail you when your turn is near and when you are called."),
    N_("When you arrive, show this code to the reader of the tablet at the counter. "
       "Please come on time: the reservation is released a little after its start."),
    N_("Your number"),
    N_("Your reservation"),
)
