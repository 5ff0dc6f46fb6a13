"""E-mail through the city's SMTP relay (smtplib), with a short time-out."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["SmtpNotifier"]


class SmtpNotifier:
    """Sends plain-text mail from ``sender`` through ``host``:``port`` (STARTTLS if offered)."""

    channel = "email"

    def __init__(self, host: str, port: int, sender: str, *, timeout_s: float = 5.0) -> None:
        self._host, self._port, self._sender, self._timeout = host, port, sender, timeout_s

    def send(self, address: str, subject: str, text: str) -> None:
        """Send one message.

        Raises:
            DeviceError: the relay refused it or could not be reached (no address in it).
        """
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, address, subject
        message.set_content(text)
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                if smtp.has_extn("starttls"):
                    smtp.starttls()
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeviceError(S_("The mail relay did not take the message ({reason})."),
                              reason=type(exc).__name__) from None
