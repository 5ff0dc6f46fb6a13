"""Device configuration: one TOML file per device, with ``KIOSK_*`` environment overrides.

The file is read once at start-up into frozen dataclasses. Every key has a default that suits
the demo (simulated devices, an embedded SQLite database in the user's data directory), so an
empty file is a valid configuration. Validation is strict: an unknown section or key, or a value
of the wrong type, stops the start with a message that names the file, the key and what is
expected. Any key can be overridden by an environment variable named
``KIOSK_<SECTION>_<KEY>`` in capitals, for example ``KIOSK_DATABASE_URL``.

See ``packaging/config/*.toml`` for commented templates of a tablet, a clerk PC and a board.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from kiosk.config_checks import check_unknown_keys
from kiosk.config_sections import (
    DeviceConfig,
    Role,
    UiConfig,
    env_variable,
    read_section,
    read_toml,
)
from kiosk.errors import ConfigError
from kiosk.i18n import S_

__all__ = [
    "SCHEMA_VERSION",
    "AuditConfig",
    "CardConfig",
    "Config",
    "DatabaseConfig",
    "DeviceConfig",
    "ExportConfig",
    "ModelsConfig",
    "PaymentConfig",
    "PrinterConfig",
    "RegisterConfig",
    "RemoteConfig",
    "Role",
    "SigningConfig",
    "SpeechConfig",
    "StaffConfig",
    "UiConfig",
    "WebConfig",
    "env_variable",
    "load_config",
]

SCHEMA_VERSION = 1

@dataclass(frozen=True)
class DatabaseConfig:
    """Where the ticket queue and applications live.

    An empty URL means an embedded SQLite file ``kiosk.sqlite3`` in the data directory; a
    ``postgresql+psycopg://`` URL shares one queue between several devices.
    """

    url: str = ""
    # AES-GCM key of application answers (base64:..., file:..., keyring:service/name); never
    # stored in the database. Empty: a key file in the data directory (embedded SQLite only).
    answers_key: str = field(default="", repr=False)
    retention_hours: int = 72         # answers of finished applications are deleted after this


@dataclass(frozen=True)
class CardConfig:
    """The My Number card reader."""

    simulated: bool = True
    reader: str = ""                  # substring of the PC/SC reader name; empty = the only one
    person: str = "plain"             # simulated card: which test person is inserted
    apdu_delay_ms: int = 0            # simulated card: delay per APDU, to feel a real reader
    issuer_ca_key: str = ""           # PEM file of the issuer CA key that signs EF 0004
    allow_my_number: bool = False     # reading EF 0001 (個人番号) is off unless a procedure needs it


@dataclass(frozen=True)
class PrinterConfig:
    """Where completed forms, receipts and ticket slips go."""

    kind: Literal["file", "cups", "qt"] = "file"   # qt: Qt print (Windows, or Linux without lp)
    name: str = ""                    # CUPS / Qt printer name; empty = the default printer
    output_dir: Path | None = None    # file printer: defaults to <data_dir>/printed
    retention_hours: int = 24         # file printer: printed forms are deleted after this


@dataclass(frozen=True)
class SpeechConfig:
    """Voice guidance and call-outs."""

    kind: Literal["system", "file", "off"] = "system"
    output_dir: Path | None = None    # file speaker: defaults to <data_dir>/speech
    headset: bool = False             # personal data is spoken only through a headset


@dataclass(frozen=True)
class ModelsConfig:
    """Offline models IT installs: translation packs and the speech recognition model."""

    dir: Path | None = None           # defaults to <data_dir>/models (kiosk models install ...)
    captions: bool = True             # live captions at the clerk's desk (needs a model and a mic)
    # Command that writes 16 kHz mono signed 16-bit PCM to stdout; empty = the platform default
    # (arecord on Linux). Audio never leaves the device: the command must read a local device.
    microphone: str = ""
    # The visitor's microphone at the counter (the clerk PC's second one, or the tablet's on a
    # full build): a capture command like ``microphone``, "default" for the platform default;
    # empty = the visitor does not speak on this device. It uses the captions' model.
    visitor_microphone: str = ""
    stt_threads: int = 2              # CPU threads for recognition (the tablet has 2 cores)


@dataclass(frozen=True)
class AuditConfig:
    """The local usage log (kiosk.audit): where it lives and how long days are kept."""

    log_dir: Path | None = None       # default: <data_dir>/audit
    retention_days: int = 800         # two fiscal years: the yearly report needs the last one
    fsync: bool = True                # force every record to disk before going on
    seal_interval_s: int = 300        # sealing epoch (kiosk audit init-key): the key evolves
    heads_url: str = ""               # where seals go off the device; default: [database] url


@dataclass(frozen=True)
class StaffConfig:
    """Staff logins: the delay after a failed login and the lockout (the same on every PC)."""

    lockout_after: int = 5            # failed logins in a row that lock the account
    login_delay_s: float = 2.0        # wait after the first failure; doubles with each one
    login_delay_max_s: float = 60.0   # the longest wait between two tries


@dataclass(frozen=True)
class WebConfig:
    """The phones' web service (role ``web``, internet segment) and the feed that serves it.

    The inner side (tablets, clerk PCs, the queue) publishes to ``feed_url`` and pulls the
    phones' messages back; the web host only listens. Keys: ``base64:...`` or ``file:...``.
    """

    listen: str = "127.0.0.1"         # web host: address uvicorn binds
    port: int = 8088
    site: str = "tome"                # the site name in the feed and in /board?site=
    # Base URL printed in the ticket's QR code (https://wait.example.jp); empty = no web link.
    public_url: str = ""
    # Inner side: where the queue posts its feed (http(s)://web-host:8088); empty = no feed.
    feed_url: str = ""
    feed_key: str = field(default="", repr=False)    # HMAC key shared by both sides only
    token_key: str = field(default="", repr=False)   # inner side only: derives ticket tokens
    publish_interval_s: float = 1.0   # inner side: how often the queue is looked at
    stale_after_s: int = 20           # web host: older feed = "status not available"
    behind_tls: bool = False          # web host: served over HTTPS (by a proxy): send HSTS
    rate_per_minute: int = 120        # web host: requests per client address per minute
    # Inner side: "your turn is near" (README). Empty host / token: that channel is off.
    notify_at: int = 3                # people ahead when "your turn is near" is sent
    offer_alerts: bool = False        # web host: the ticket page offers the e-mail opt-in
    smtp_host: str = ""               # the city's mail relay
    smtp_port: int = 25
    smtp_from: str = ""
    line_token: str = field(default="", repr=False)   # Messaging API channel access token
    line_endpoint: str = "https://api.line.me"
    # Web host: LINE opt-in on the ticket page (webhook URL <public_url>/line/webhook).
    line_add_url: str = ""                # the official account's "add friend" link
    line_channel_secret: str = field(default="", repr=False)   # signs LINE's webhook calls
    # Inner side: reservations (予約); places per slot per service: `kiosk reservations`.
    reserve_days: str = "12345"           # days with slots: 1 = Monday ... 7 = Sunday
    reserve_hours: str = "09:00-16:00"   # first slot's start - no slot starts at or after
    reserve_slot_minutes: int = 30
    reserve_days_ahead: int = 7           # today included
    reserve_grace_minutes: int = 15       # then a reservation not checked in is a no-show
    reserve_priority: int = 1             # checked-in tickets go ahead of walk-ins (0)


@dataclass(frozen=True)
class PaymentConfig:
    """Fees paid at the counter. ``none`` keeps fees as totals only (no payment is asked and
    finishing does not wait for one); ``simulated`` is the demo's and training's terminal;
    ``http`` a terminal (or its vendor's bridge) speaking docs/payment-terminal-http.md."""

    kind: Literal["none", "simulated", "http"] = "none"
    url: str = ""                     # http: the terminal's local URL (http://127.0.0.1:18080)
    wait_s: float = 120.0             # how long the visitor has on the terminal before cancel
    request_timeout_s: float = 5.0    # the longest wait for one answer of the terminal
    cash: bool = True                 # the clerk may also take cash
    issuer: str = "登米市"             # who issues the receipt (領収書)


@dataclass(frozen=True)
class ExportConfig:
    """Handing approved applications on to the core systems (住民記録, 国保 ...) as data.

    ``kind = "folder"`` writes JSON, CSV and a manifest per application into ``folder`` (one
    subfolder per system) on approval; ``"simulated"`` keeps them in memory (training).
    """

    kind: Literal["off", "folder", "simulated"] = "off"
    folder: Path | None = None        # the spool the core systems' import or RPA reads
    systems: tuple[str, ...] = ()     # mapping names (forms/export/*.toml); empty = every one
    mappings_dir: Path | None = None  # default: the bundled forms/export


@dataclass(frozen=True)
class RegisterConfig:
    """The read-only resident register the clerk looks residents up in (clerk PCs only).

    ``csv``: the nightly extract at ``path`` read through the TOML ``mapping``, held in
    memory; ``sql``: the view ``kiosk_residents`` of a copy database at ``url`` (a read-only
    user); ``synthetic``: made-up residents (training); ``none``: no lookup. The demo uses
    ``synthetic`` unless another kind is set.
    """

    kind: Literal["none", "csv", "sql", "synthetic"] = "none"
    path: Path | None = None          # csv: the extract IT drops nightly
    mapping: Path | None = None       # csv: which column holds what
    url: str = field(default="", repr=False)   # sql: the copy database (may hold a password)
    limit: int = 50                   # residents shown per search at most


@dataclass(frozen=True)
class SigningConfig:
    """Signed electronic applications (clerk PCs): the city's key, the TSA, the store.

    ``kind``: ``off`` (paper only; the demo signs with a test certificate), ``test`` (a
    throwaway certificate named as a test signature: training), ``pkcs12`` (a key file) or
    ``pkcs11`` (the city's token). Secrets are read from 0600 files, never from this file.
    """

    kind: Literal["off", "test", "pkcs12", "pkcs11"] = "off"
    pkcs12: Path | None = None            # the city's key and certificate chain (.p12)
    passphrase_file: Path | None = None   # its passphrase, first line (0600)
    pkcs11_module: Path | None = None     # the token's PKCS#11 library (.so / .dll)
    pkcs11_token: str = ""                # token label
    pkcs11_key: str = ""                  # key and certificate label on the token
    pin_file: Path | None = None          # the token's user PIN, first line (0600)
    tsa_url: str = ""                     # RFC 3161 time-stamp server on the city LAN
    document_dir: Path | None = None      # the document store; default <data_dir>/documents
    trust_root: Path | None = None        # PEM of the city's CA, for kiosk verify-pdf
    reason: str = "申請書の受付"            # the signature's stated reason
    location: str = "登米市役所"


@dataclass(frozen=True)
class RemoteConfig:
    """The remote counter (リモート窓口, issue 22): a main-office clerk desk (``side = "office"``)
    takes branch counters' requests for a specialist; a branch's desk (``"branch"``, named by
    ``[device] counter``) asks and calls once one is accepted. ``simulated`` shows a generated far side
    (training, demo); ``aiortc`` calls over WebRTC on the city LAN, on ``host_addresses`` only
    (this PC's LAN address), the offer and answer through the shared PostgreSQL."""

    kind: Literal["off", "simulated", "aiortc"] = "off"
    side: Literal["office", "branch"] = "office"   # takes requests, or asks (総合支所)
    host_addresses: tuple[str, ...] = ()
    camera: str = ""                  # /dev/video0, "video=NAME" (Windows); "": a test picture
    document_camera: str = ""         # the document camera (書画カメラ), likewise
    microphone: str = ""              # a PulseAudio source ("default"); "": test tones
    start_kbps: int = 200             # the video starts here (a thin branch line must carry it)
    max_kbps: int = 1500              # and never goes above, whatever the far side estimates


@dataclass(frozen=True)
class Config:
    """The whole configuration of one device."""

    schema_version: int = SCHEMA_VERSION
    device: DeviceConfig = field(default_factory=DeviceConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    card: CardConfig = field(default_factory=CardConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    models: ModelsConfig = field(default_factory=ModelsConfig)
    audit: AuditConfig = field(default_factory=AuditConfig)
    staff: StaffConfig = field(default_factory=StaffConfig)
    web: WebConfig = field(default_factory=WebConfig)
    payment: PaymentConfig = field(default_factory=PaymentConfig)
    export: ExportConfig = field(default_factory=ExportConfig)
    register: RegisterConfig = field(default_factory=RegisterConfig)
    signing: SigningConfig = field(default_factory=SigningConfig)
    remote: RemoteConfig = field(default_factory=RemoteConfig)
    source: Path | None = None        # the file it was read from, for messages

    @property
    def database_url(self) -> str:
        """The database URL with the embedded default filled in."""
        if self.database.url:
            return self.database.url
        return f"sqlite:///{self.device.data_dir / 'kiosk.sqlite3'}"

    @property
    def print_dir(self) -> Path:
        """Output folder of the file printer."""
        return self.printer.output_dir or self.device.data_dir / "printed"

    @property
    def document_dir(self) -> Path:
        """The document store of signed electronic applications."""
        return self.signing.document_dir or self.device.data_dir / "documents"

    @property
    def audit_dir(self) -> Path:
        """Folder of the usage logs of this device (and of others copied here to audit)."""
        return self.audit.log_dir or self.device.data_dir / "audit"

    @property
    def speech_dir(self) -> Path:
        """Output folder of the file speaker."""
        return self.speech.output_dir or self.device.data_dir / "speech"

    @property
    def models_dir(self) -> Path:
        """Folder of the installed translation packs and speech recognition model."""
        return self.models.dir or self.device.data_dir / "models"


_SECTIONS: dict[str, type[Any]] = {
    "device": DeviceConfig,
    "database": DatabaseConfig,
    "card": CardConfig,
    "printer": PrinterConfig,
    "speech": SpeechConfig,
    "ui": UiConfig,
    "models": ModelsConfig,
    "audit": AuditConfig,
    "staff": StaffConfig,
    "web": WebConfig,
    "payment": PaymentConfig,
    "export": ExportConfig,
    "register": RegisterConfig,
    "signing": SigningConfig,
    "remote": RemoteConfig,
}


def load_config(path: Path | None, environ: Mapping[str, str] | None = None) -> Config:
    """Read ``path`` (or only defaults when it is ``None``) and apply ``KIOSK_*`` overrides.

    Raises:
        ConfigError: the file is unreadable, is not TOML, or holds an invalid value.
    """
    env = os.environ if environ is None else environ
    where = str(path) if path is not None else "(defaults)"
    raw = read_toml(path)
    version = raw.pop("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ConfigError(
            S_("{file}: schema_version {found} is not supported; this kiosk reads version {expected}."),
            file=where, found=str(version), expected=SCHEMA_VERSION)
    check_unknown_keys(raw, {name: [f.name for f in fields(cls)]
                             for name, cls in _SECTIONS.items()}, where)
    sections = {
        name: read_section(cls, raw.get(name, {}), name, where, env)
        for name, cls in _SECTIONS.items()
    }
    return Config(source=path, **sections)
