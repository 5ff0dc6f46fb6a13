"""Listing PC/SC readers through pcscd (Linux) or WinSCard (Windows), for doctor and IT."""

from __future__ import annotations

from kiosk.doctor import Check, Status

__all__ = ["list_readers", "probe_readers"]


def list_readers() -> list[str]:
    """Names of the PC/SC readers the system sees now.

    Raises:
        RuntimeError: the PC/SC service is not running or pyscard is not installed; the message
            says which.
    """
    try:
        from smartcard.pcsc.PCSCExceptions import EstablishContextException  # noqa: PLC0415
        from smartcard.System import readers  # noqa: PLC0415
    except ImportError as exc:
        raise RuntimeError(f"pyscard is not installed ({exc})") from exc
    try:
        return [str(reader) for reader in readers()]
    except EstablishContextException as exc:
        raise RuntimeError(f"the PC/SC service is not running ({exc})") from exc


def probe_readers(wanted: str) -> list[Check]:
    """Check that pcscd answers and that the configured reader is present."""
    try:
        names = list_readers()
    except RuntimeError as exc:
        return [Check("card.pcsc", Status.FAIL, str(exc),
                      "Linux: start pcscd (systemctl start pcscd.socket). "
                      "Windows: start the Smart Card service (SCardSvr).")]
    checks = [Check("card.pcsc", Status.OK, f"PC/SC service answers, {len(names)} reader(s)")]
    matching = [name for name in names if wanted in name]
    if not matching:
        target = f"matching '{wanted}'" if wanted else ""
        checks.append(Check("card.reader", Status.FAIL, f"no reader {target}".strip() +
                            f"; present: {', '.join(names) or 'none'}",
                            "Plug in the card reader, or set [card] reader to part of its name."))
    elif len(matching) > 1:
        checks.append(Check("card.reader", Status.WARN,
                            f"{len(matching)} readers match: {', '.join(matching)}",
                            "Set [card] reader to a longer part of the right reader's name."))
    else:
        checks.append(Check("card.reader", Status.OK, f"using {matching[0]}"))
    return checks
