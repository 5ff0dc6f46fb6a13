"""``kiosk doctor``'s self-test of a device: every check, in the order IT reads them.

The checks of the core (version, build files, fonts, database, clock, conversation relay,
disk, web feed, file modes) are made here. Those of devices and adapters (Qt, the card
reader, the register, the printer, payments, the signing key, voices, models, export,
notifiers, the remote counter's cameras and microphone) come as :class:`DeviceProbes` from
the composition root (:mod:`kiosk.app`), which alone knows which adapter this configuration
picks. Each runs guarded: a probe that raises
becomes one failed check, never a traceback.
"""

from __future__ import annotations

import platform
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kiosk import __version__, fonts
from kiosk.config import Config, DeviceConfig
from kiosk.deploy.provenance import file_checksum, probe_build
from kiosk.doctor import Check, Status, guarded
from kiosk.feed.probe import probe_feed
from kiosk.file_modes import kiosk_folders, mode_checks
from kiosk.ports import SystemClock
from kiosk.storage.engine import probe_clock, probe_database
from kiosk.storage.migrate import probe_schema

__all__ = ["DeviceProbes", "ProbeRun", "device_checks"]

ProbeRun = Callable[[], Iterable[Check]]


@dataclass(frozen=True)
class DeviceProbes:
    """The adapters' self-tests, as the composition root builds them for one configuration.

    ``signing`` is ``None`` when documents are not signed here (``[signing] kind = "off"``);
    ``remote`` when this desk has no remote counter (``[remote] kind = "off"``).
    """

    qt: ProbeRun
    card: ProbeRun
    register: ProbeRun
    printer: ProbeRun
    payment: ProbeRun
    signing: ProbeRun | None
    voices: ProbeRun
    models: ProbeRun
    export: ProbeRun
    notifiers: ProbeRun
    remote: ProbeRun | None = None


def device_checks(config: Config, probes: DeviceProbes) -> list[Check]:
    """Every self-test of this device, in the order IT reads them."""
    checks: list[Check] = []
    checks += guarded("kiosk.version", lambda: [_version_check(config)])
    checks += guarded("build.files", probe_build)
    checks += guarded("qt", probes.qt)
    checks += guarded("fonts", _font_checks)
    checks += guarded("database.reachable", lambda: probe_database(config.database_url))
    checks += guarded("database.schema", lambda: probe_schema(config.database_url))
    checks += guarded("clock.skew", lambda: probe_clock(config.database_url, SystemClock().now))
    checks += guarded("conversation", lambda: _conversation_checks(config))
    checks += guarded("card.pcsc", probes.card)
    checks += guarded("register", probes.register)
    checks += guarded("printer.ready", probes.printer)
    checks += guarded("payment.terminal", probes.payment)
    if probes.signing is not None:
        checks += guarded("signing.key", probes.signing)
    checks += guarded("speech", probes.voices)
    checks += guarded("models", probes.models)
    checks += guarded("disk.free", lambda: [_disk_check(config)])
    checks += guarded("web.feed", lambda: probe_feed(config))
    checks += guarded("export.folder", probes.export)
    checks += guarded("web.notify", probes.notifiers)
    if probes.remote is not None:
        checks += guarded("remote", probes.remote)
    checks += guarded("files", lambda: mode_checks(kiosk_folders(config)))
    return checks


def _version_check(config: Config) -> Check:
    return Check("kiosk.version", Status.OK,
                 f"kiosk {__version__}, Python {platform.python_version()} on {sys.platform}, "
                 f"config {config.source or '(defaults)'} sha256 {file_checksum(config.source)}")


def _font_checks() -> list[Check]:
    checks = []
    for face in fonts.bundled_faces():
        ok = face.path.is_file() and fonts.covers(face, "窓")
        checks.append(Check(f"fonts.{face.path.stem}", Status.OK if ok else Status.FAIL,
                            f"{face.family} at {face.path}" if ok else f"missing {face.path}",
                            "" if ok else "Reinstall the kiosk: the UD fonts ship with it."))
    for script in fonts.SCRIPT_FONTS:
        found = fonts.script_face(script)
        languages = ", ".join(script.languages)
        name = f"fonts.{script.linux[0].replace(' ', '')}"
        if found is None:
            checks.append(Check(name, Status.WARN, f"no font for {languages}: shown as boxes",
                                f"Debian: apt install {script.package}; Windows: restore the "
                                f"{script.windows[0]} system font."))
        else:
            checks.append(Check(name, Status.OK, f"{found.family} at {found.path} ({languages})"))
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


def _conversation_checks(config: Config) -> list[Check]:
    # psycopg only when the doctor runs, not whenever this module is imported.
    from kiosk.storage.conversation_relay import (  # noqa: PLC0415
        pairing_check,
        probe_statement_logging,
    )

    checks = probe_statement_logging(config.database_url)
    if config.database.url and config.device.role in ("tablet", "clerk"):
        checks.append(pairing_check(config.device.counter,
                                    default=config.device.counter == DeviceConfig().counter))
    return checks


def _disk_check(config: Config) -> Check:
    usage = shutil.disk_usage(config.device.data_dir if config.device.data_dir.exists() else "/")
    free_gb = usage.free / 1e9
    status = Status.OK if free_gb >= 2 else Status.WARN if free_gb >= 0.5 else Status.FAIL
    return Check("disk.free", status, f"{free_gb:.1f} GB free for {config.device.data_dir}",
                 "" if status is Status.OK else "Free disk space; printed PDFs and logs need room.")
