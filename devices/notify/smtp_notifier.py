"""E-mail through the city's SMTP relay (smtplib), with a short time-out."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from kiosk.doctor import Check, Status
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

    def probe(self) -> list[Check]:
        """``kiosk doctor``: the relay answers (EHLO and NOOP; no message is sent)."""
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                smtp.ehlo()
                code, _ = smtp.noop()
        except (OSError, smtplib.SMTPException) as exc:
            return [Check("web.notify.email", Status.FAIL,
                          f"mail relay {self._host}:{self._port} unreachable "
                          f"({type(exc).__name__})",
                          "Check [web] smtp_host and smtp_port and that the relay accepts "
                          "this host.")]
        if code != 250:
            return [Check("web.notify.email", Status.FAIL,
                          f"mail relay {self._host}:{self._port} answers {code}")]
        return [Check("web.notify.email", Status.OK,
                      f"mail relay {self._host}:{self._port} answers")]
