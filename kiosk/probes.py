"""The doctor's probes of this configuration's adapters, and the card readers IT sees.

:mod:`kiosk.checkup` holds the checks that need no device library; this module builds the
configured adapters through the composition root (:mod:`kiosk.app`) and asks each for its own
checks (``kiosk doctor``, the demo's start-up report). Nothing here runs on a screen's path.
"""

from __future__ import annotations

from devices.remote.probe import remote_checks
from devices.smartcard.card_reader import load_issuer_key
from devices.smartcard.readers import list_readers, probe_readers
from devices.speech.voices import probe_voices
from kiosk.app import (
    build_document_signer,
    build_export,
    build_models,
    build_notifiers,
    build_payment_terminal,
    build_printer,
    build_register,
)
from kiosk.checkup import DeviceProbes, device_checks
from kiosk.config import Config
from kiosk.doctor import Check, Status
from kiosk.errors import ConfigError, UserFacingError
from kiosk.i18n import language
from kiosk.ports import Closable, Probe

__all__ = ["card_reader_names", "doctor_checks", "notifier_checks", "register_checks"]


def doctor_checks(config: Config) -> list[Check]:
    """Every self-test of this device (:mod:`kiosk.checkup`), with this configuration's
    adapters probed."""
    models = build_models(config)
    models.use_japanese_dictionary()
    bcp47 = [language(code).bcp47 for code in config.ui.languages]
    return device_checks(config, DeviceProbes(
        qt=_qt_checks, card=lambda: _card_checks(config),
        register=lambda: register_checks(config),
        printer=lambda: _printer_checks(config),
        payment=lambda: _payment_checks(config),
        signing=(None if config.signing.kind == "off"
                 else lambda: build_document_signer(config).probe()),
        voices=lambda: probe_voices(bcp47), models=models.probe,
        export=lambda: _export_checks(config), notifiers=lambda: notifier_checks(config),
        remote=None if config.remote.kind == "off" else lambda: remote_checks(config.remote)))


def _printer_checks(config: Config) -> list[Check]:
    if config.printer.kind != "qt":
        return list(build_printer(config).probe())
    from kiosk.ui.adapters import qt_printer  # noqa: PLC0415 - the doctor checks Qt's printer too

    return list(build_printer(config, qt_printer=qt_printer).probe())


def _payment_checks(config: Config) -> list[Check]:
    terminal = build_payment_terminal(config)
    if terminal is None:
        return [Check("payment.terminal", Status.OK,
                      "payments off ([payment] kind = none): fees are only totalled")]
    return list(terminal.probe())


def _export_checks(config: Config) -> list[Check]:
    spool = build_export(config)
    return [] if spool is None else list(spool.probe())


def _qt_checks() -> list[Check]:
    try:
        from kiosk.ui.common.qt_info import qt_versions  # noqa: PLC0415
    except ImportError as exc:
        return [Check("qt", Status.FAIL, f"PySide6 is not importable: {exc}",
                      "Reinstall the kiosk (make run), or on Linux install the xcb libraries.")]
    return [Check("qt", Status.OK, qt_versions())]


def _card_checks(config: Config) -> list[Check]:
    if config.card.simulated:
        return [Check("card.reader", Status.OK,
                      f"simulated card (person '{config.card.person}'); no reader needed")]
    return [*probe_readers(config.card.reader), _issuer_key_check(config)]


def _issuer_key_check(config: Config) -> Check:
    # Without the issuer CA key only the digest is checked, which a forger computes too: a
    # real reader must not run that way, so this fails rather than warns.
    fix = ("Set [card] issuer_ca_key to the PEM file of the issuer CA public key "
           "(J-LIS 券面事項入力補助AP CA); see the README, \"Card reader\".")
    if not config.card.issuer_ca_key:
        return Check("card.issuer_key", Status.FAIL,
                     "no issuer CA key: card data cannot be verified against the issuer", fix)
    try:
        load_issuer_key(config.card.issuer_ca_key)
    except ConfigError as exc:
        return Check("card.issuer_key", Status.FAIL, exc.english(), fix)
    return Check("card.issuer_key", Status.OK,
                 f"{config.card.issuer_ca_key}: card data and card verified against the issuer")


def card_reader_names(config: Config) -> list[str]:
    """The PC/SC readers this computer sees, for IT (``kiosk card status``); none when the
    card is simulated or PC/SC is not running."""
    if config.card.simulated:
        return []
    try:
        return list_readers()
    except RuntimeError:
        return []


def notifier_checks(config: Config) -> list[Check]:
    """``kiosk doctor``: each configured notifier answers (nothing is sent to anyone)."""
    checks: list[Check] = []
    for notifier in build_notifiers(config).values():
        if isinstance(notifier, Probe):
            checks += notifier.probe()
    return checks


def register_checks(config: Config) -> list[Check]:
    """``kiosk doctor``: the clerk PC's resident register opens and answers (none elsewhere)."""
    if config.device.role not in ("clerk", "demo") or config.register.kind == "none":
        return []
    try:
        register = build_register(config)
    except UserFacingError as exc:
        return [Check("register", Status.FAIL, exc.english(),
                      "check [register] and the extract (kiosk register load FILE --mapping MAP)")]
    assert register is not None
    try:
        return list(register.probe())
    finally:
        if isinstance(register, Closable):
            register.close()
