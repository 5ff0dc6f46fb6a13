"""LINE push messages through the Messaging API (``POST /v2/bot/message/push``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["LINE_API", "LineNotifier"]

LINE_API = "https://api.line.me"


class LineNotifier:
    """Pushes a text message to a user of the city's official account.

    Args:
        token: the channel access token (secret; never logged).
        endpoint: the API's base URL (a local stub in tests).
    """

    channel = "line"

    def __init__(self, token: str, endpoint: str = LINE_API, *, timeout_s: float = 5.0) -> None:
        self._token, self._endpoint, self._timeout = token, endpoint.rstrip("/"), timeout_s

    def __repr__(self) -> str:
        return f"LineNotifier(endpoint={self._endpoint!r})"

    def send(self, address: str, subject: str, text: str) -> None:
        """Push ``subject`` and ``text`` as one text message to user ``address``.

        Raises:
            DeviceError: the API refused it (status) or could not be reached.
        """
        if not self._endpoint.startswith(("https://", "http://")):
            raise DeviceError(S_("LINE endpoint must be http(s)."))
        body = json.dumps({"to": address, "messages": [
            {"type": "text", "text": f"{subject}\n{text}"[:5000]}]}).encode()
        request = urllib.request.Request(  # noqa: S310 - http(s) checked above
            f"{self._endpoint}/v2/bot/message/push", data=body, method="POST",
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {self._token}"})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout):  # noqa: S310
                return
        except urllib.error.HTTPError as exc:
            reason = f"HTTP {exc.code}"
            exc.close()
        except (urllib.error.URLError, OSError) as exc:
            reason = type(exc).__name__
        raise DeviceError(S_("LINE did not take the message ({reason})."), reason=reason)

    def probe(self) -> list[Check]:
        """``kiosk doctor``: the API takes the token (``GET /v2/bot/info``; nothing is sent)."""
        if not self._endpoint.startswith(("https://", "http://")):
            return [Check("web.notify.line", Status.FAIL, "LINE endpoint must be http(s)")]
        request = urllib.request.Request(  # noqa: S310 - http(s) checked above
            f"{self._endpoint}/v2/bot/info", headers={"Authorization": f"Bearer {self._token}"})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout):  # noqa: S310
                return [Check("web.notify.line", Status.OK,
                              f"{self._endpoint} takes the channel token")]
        except urllib.error.HTTPError as exc:
            detail = f"{self._endpoint} answers HTTP {exc.code}"
            exc.close()
        except (urllib.error.URLError, OSError) as exc:
            detail = f"{self._endpoint} unreachable ({type(exc).__name__})"
        return [Check("web.notify.line", Status.FAIL, detail,
                      "Check [web] line_token (the channel access token) and that this host "
                      "may reach the LINE API through the city's proxy.")]
