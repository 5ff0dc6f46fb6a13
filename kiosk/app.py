"""Composition root: configuration -> device adapters -> :class:`Services`.

This is the only module that imports ``devices``. It picks the real adapter or the simulator
of each device from the configuration (never from ``if testing:`` branches) and hands one
:class:`Services` object to whichever front end runs.
"""

from __future__ import annotations

import platform
import shutil
import sys
from dataclasses import dataclass

from devices.printer.cups_printer import CupsPrinter
from devices.printer.folder_printer import FolderPrinter
from devices.smartcard.readers import probe_readers
from devices.speech.voices import probe_voices
from kiosk import __version__, fonts
from kiosk.config import Config
from kiosk.doctor import Check, Status, guarded
from kiosk.events import EventBus
from kiosk.i18n import language
from kiosk.ports import Clock, Printer, SystemClock
from kiosk.storage.engine import probe_database

__all__ = ["Services", "build_services", "doctor_checks"]


@dataclass
class Services:
    """Everything a front end needs, built once at start-up and passed down explicitly."""

    config: Config
    events: EventBus
    clock: Clock
    printer: Printer
    demo: bool = False


def build_printer(config: Config, *, demo: bool = False) -> Printer:
    """The configured printer; the demo always prints to a folder."""
    if demo or config.printer.kind == "file":
        return FolderPrinter(config.print_dir)
    return CupsPrinter(config.printer.name)


def build_services(config: Config, *, demo: bool = False) -> Services:
    """Build the :class:`Services` for ``config``; ``demo`` forces simulated devices."""
    config.device.data_dir.mkdir(parents=True, exist_ok=True)
    return Services(config=config, events=EventBus(), clock=SystemClock(),
                    printer=build_printer(config, demo=demo), demo=demo)


def doctor_checks(config: Config) -> list[Check]:
    """Every self-test of this device, in the order IT reads them."""
    checks: list[Check] = []
    checks += guarded("kiosk.version", lambda: [_version_check()])
    checks += guarded("qt", _qt_checks)
    checks += guarded("fonts", _font_checks)
    checks += guarded("database.reachable", lambda: probe_database(config.database_url))
    checks += guarded("card.pcsc", lambda: _card_checks(config))
    checks += guarded("printer.ready", lambda: build_printer(config).probe())
    bcp47 = [language(code).bcp47 for code in config.ui.languages]
    checks += guarded("speech", lambda: probe_voices(bcp47))
    checks += guarded("disk.free", lambda: [_disk_check(config)])
    return checks


def _version_check() -> Check:
    return Check("kiosk.version", Status.OK,
                 f"kiosk {__version__}, Python {platform.python_version()} on {sys.platform}")


def _qt_checks() -> list[Check]:
    try:
        from kiosk.ui.common.qt_info import qt_versions  # noqa: PLC0415
    except ImportError as exc:
        return [Check("qt", Status.FAIL, f"PySide6 is not importable: {exc}",
                      "Reinstall the kiosk (make run), or on Linux install the xcb libraries.")]
    return [Check("qt", Status.OK, qt_versions())]


def _font_checks() -> list[Check]:
    checks = []
    for face in fonts.bundled_faces():
        ok = face.path.is_file() and fonts.covers(face, "窓")
        checks.append(Check(f"fonts.{face.path.stem}", Status.OK if ok else Status.FAIL,
                            f"{face.family} at {face.path}" if ok else f"missing {face.path}",
                            "" if ok else "Reinstall the kiosk: the UD fonts ship with it."))
    fallback = fonts.fallback_face()
    if fallback is None:
        checks.append(Check("fonts.IPAmjMincho", Status.WARN,
                            "IPAmj Mincho not found: rare kanji (外字) print as hand-write boxes",
                            "Debian: apt install fonts-ipamj-mincho; Windows: install ipamjm.ttf "
                            "from the IPAmj Mincho distribution for all users."))
    else:
        has_rare = fonts.covers(fallback, "\U00020bb7")
        checks.append(Check("fonts.IPAmjMincho", Status.OK if has_rare else Status.WARN,
                            f"{fallback.path}" + ("" if has_rare else " (lacks 𠮷: wrong file?)")))
    return checks


def _card_checks(config: Config) -> list[Check]:
    if config.card.simulated:
        return [Check("card.reader", Status.OK,
                      f"simulated card (person '{config.card.person}'); no reader needed")]
    return probe_readers(config.card.reader)


def _disk_check(config: Config) -> Check:
    usage = shutil.disk_usage(config.device.data_dir if config.device.data_dir.exists() else "/")
    free_gb = usage.free / 1e9
    status = Status.OK if free_gb >= 2 else Status.WARN if free_gb >= 0.5 else Status.FAIL
    return Check("disk.free", status, f"{free_gb:.1f} GB free for {config.device.data_dir}",
                 "" if status is Status.OK else "Free disk space; printed PDFs and logs need room.")
