"""One adapter per device, the real one or its simulator, chosen from the configuration.

The printer, the speaker, the card reader and its monitor, the translator, the captioner and
the visitor's microphone, the offline models, the renderer, the payment terminal, the export
spool, the resident register, the notifiers and the city's signer. Heavy libraries (numpy and
the recognizer, pyHanko, aiortc) are imported inside the function that needs them: the
tablet's start is measured and must not wait for them. So are the adapters of a device or a
setting a tablet may not have (pyscard for a real reader, CUPS, the mail and HTTP clients of
the notifiers and the payment terminal, the export spool, the register's extract).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.audio.whisper_model import stt_model_dir
from devices.export.memory_spool import MemorySpool
from devices.offline_models import (
    SPEECH_RECOGNIZER,
    TRANSLATION_ENGINE,
    OfflineModels,
    missing_module,
)
from devices.payment.simulated_terminal import SimulatedTerminal
from devices.printer.folder_printer import FolderPrinter
from devices.printer.renderer import ReportlabRenderer
from devices.register.synthetic import SyntheticRegister
from devices.signing.lazy_signer import LazySigner
from devices.smartcard.card_reader import CardIdentityReader, load_issuer_key
from devices.smartcard.simulated_card import SimulatedMyNumberCard, SimulatedSlot, load_person
from devices.speech.reading import OpenJTalkReadings
from devices.speech.sinks import FileSink, PlayerSink
from devices.speech.speaker import QueuedSpeaker, SilentSpeaker
from devices.speech.synthesizer import Synthesizer
from devices.translation.argos_translator import ArgosTranslator
from devices.translation.packages import installed_packages
from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.events import EventBus
from kiosk.file_modes import private_dir, read_secret_file
from kiosk.i18n import S_, language
from kiosk.ports import (
    ApplicationExport,
    Captioner,
    DocumentSigner,
    IdentityReader,
    ModelStore,
    Notifier,
    PaymentTerminal,
    Printer,
    ReadingProposer,
    Renderer,
    ResidentRegister,
    Speaker,
    Translator,
)
from kiosk.procedures.catalog import FormCatalog
from kiosk.services.conversation import Conversation
from kiosk.services.visitor_speech import VisitorSpeech

if TYPE_CHECKING:
    from devices.signing.pades import PadesSigner
    from devices.smartcard.pcsc_transport import PcscSlot
    from devices.smartcard.reader_monitor import ReaderMonitor


def build_printer(config: Config, *, demo: bool = False,
                  qt_printer: Callable[[str], Printer] | None = None) -> Printer:
    """The configured printer; the demo always prints to a folder.

    ``qt_printer`` makes the Qt printer (``[printer] kind = "qt"``, Windows has no CUPS): Qt
    lives in kiosk.ui, so the front end that runs hands it over (:mod:`kiosk.ui.adapters`).

    Raises:
        RuntimeError: ``kind = "qt"`` without ``qt_printer`` (a wiring error).
    """
    if demo or config.printer.kind == "file":
        return FolderPrinter(config.print_dir, retention_hours=config.printer.retention_hours,
                             delete_on_close=demo, training_only=config.device.role != "demo")
    if config.printer.kind == "qt":
        if qt_printer is None:
            raise RuntimeError("[printer] kind = qt needs the front end's Qt printer")
        return qt_printer(config.printer.name)
    from devices.printer.cups_printer import CupsPrinter  # noqa: PLC0415 - configured only

    return CupsPrinter(config.printer.name)


def build_speaker(config: Config, *, demo: bool = False) -> Speaker:
    """The configured speaker: the loudspeaker, WAV files in ``config.speech_dir``, or off.

    The demo writes WAV files (three windows on one desk should not all talk aloud).
    """
    if config.speech.kind == "off":
        return SilentSpeaker()
    languages = [language(code).bcp47 for code in config.ui.languages]
    sink = (FileSink(config.speech_dir) if demo or config.speech.kind == "file"
            else PlayerSink())
    return QueuedSpeaker(Synthesizer(), sink, languages=languages)


def build_identity_reader(config: Config) -> IdentityReader:
    """The My Number card reader: the in-process simulated card or the configured PC/SC reader.

    Raises:
        ConfigError: unknown simulated person, or an unreadable issuer CA key.
    """
    issuer_key = load_issuer_key(config.card.issuer_ca_key)
    if config.card.simulated:
        try:
            person = load_person(config.card.person)
        except KeyError as exc:
            raise ConfigError(S_("[card] person: no simulated person named '{person}'."),
                              person=config.card.person) from exc
        slot: SimulatedSlot | PcscSlot = SimulatedSlot(
            SimulatedMyNumberCard(person), delay_s=config.card.apdu_delay_ms / 1000)
    else:
        # pyscard only with a real reader: the simulated card's tablets start without it.
        from devices.smartcard.pcsc_transport import PcscSlot  # noqa: PLC0415

        slot = PcscSlot(config.card.reader)
    return CardIdentityReader(slot, issuer_key=issuer_key,
                              allow_my_number=config.card.allow_my_number)


def build_card_monitor(config: Config, events: EventBus) -> ReaderMonitor | None:
    """The thread that publishes card inserted/removed and reader lost/recovered events.

    ``None`` for the simulated card, which has no slot to watch. The caller starts it.
    """
    if config.card.simulated:
        return None
    from devices.smartcard.reader_monitor import ReaderMonitor  # noqa: PLC0415 - pyscard

    return ReaderMonitor(config.card.reader, events.publish)


def build_payment_terminal(config: Config) -> PaymentTerminal | None:
    """The counter's payment terminal from ``[payment] kind`` (``None`` for ``none``)."""
    payment = config.payment
    if payment.kind == "simulated":
        return SimulatedTerminal()
    if payment.kind == "http":
        if not payment.url:
            raise ConfigError(S_("[payment] kind = \"http\" needs [payment] url (the "
                                 "terminal's local address)."))
        from devices.payment.http_terminal import HttpTerminal  # noqa: PLC0415 - configured

        return HttpTerminal(payment.url, request_timeout_s=payment.request_timeout_s,
                            wait_s=payment.wait_s)
    return None


def build_export(config: Config) -> ApplicationExport | None:
    """The ``[export]`` adapter: the spool folder, the in-memory simulator, or none."""
    if config.export.kind == "simulated":
        return MemorySpool()
    if config.export.kind == "folder":
        if config.export.folder is None:
            raise ConfigError(S_("[export] kind = \"folder\" needs folder = \"...\" (the "
                                 "folder the core systems import from)."))
        from devices.export.folder_spool import FolderSpool  # noqa: PLC0415 - configured

        return FolderSpool(private_dir(config.export.folder))
    return None


def build_register(config: Config, *, demo: bool = False) -> ResidentRegister | None:
    """The resident register of a clerk PC (the demo's synthetic one by default), or ``None``:
    never on a tablet, a board or the web host, whatever ``[register]`` says.

    Raises:
        ConfigError: ``[register]`` lacks what its kind needs.
        DeviceError: the CSV extract cannot be read.
    """
    if config.device.role not in ("clerk", "demo"):
        return None
    settings = config.register
    kind = "synthetic" if demo and settings.kind == "none" else settings.kind
    if kind == "csv":
        if settings.path is None or settings.mapping is None:
            raise ConfigError(S_('[register] kind = "csv" needs path (the extract) and mapping '
                                 "(its column mapping file)."))
        from devices.register.csv_extract import CsvRegister  # noqa: PLC0415 - clerk PCs

        return CsvRegister(settings.path, settings.mapping)
    if kind == "sql":
        if not settings.url:
            raise ConfigError(S_('[register] kind = "sql" needs url (the copy database).'))
        # Only here: its table's PostgreSQL index options load the PostgreSQL dialect.
        from kiosk.storage.register_view import SqlViewRegister  # noqa: PLC0415

        return SqlViewRegister(settings.url)
    return SyntheticRegister() if kind == "synthetic" else None


def build_notifiers(config: Config) -> dict[str, Notifier]:
    """The "your turn is near" channels ``[web]`` configures (a relay, a LINE token)."""
    web = config.web
    notifiers: dict[str, Notifier] = {}
    # Imported when configured: the mail and HTTP clients cost every device's start.
    if web.smtp_host:
        from devices.notify.smtp_notifier import SmtpNotifier  # noqa: PLC0415

        notifiers["email"] = SmtpNotifier(web.smtp_host, web.smtp_port, web.smtp_from)
    if web.line_token:
        from devices.notify.line_notifier import LineNotifier  # noqa: PLC0415

        notifiers["line"] = LineNotifier(web.line_token, web.line_endpoint)
    return notifiers


def build_renderer() -> Renderer:
    """The kiosk's PDFs (forms, receipts, the auditor's report, the PDF/A to sign)."""
    return ReportlabRenderer()


def build_translator(config: Config) -> Translator | None:
    """Argos Translate on the installed packs, or ``None`` when none is installed or this build
    has no translation engine (the tablet build)."""
    if missing_module(TRANSLATION_ENGINE) or not installed_packages(config.models_dir):
        return None
    return ArgosTranslator(config.models_dir)


def build_captioner(config: Config, events: EventBus, catalog: FormCatalog) -> Captioner | None:
    """Live captions from the configured microphone, or ``None`` when off, when no model exists
    or when this build has no speech recognizer (the tablet build).

    The captioner expects the counter's words: the desk's procedures, the city's place names
    and, once the conversation learns them, the visitor's procedures
    (:mod:`kiosk.services.caption_vocabulary`). The microphone opens only when a clerk starts
    captions, not here.
    """
    model = stt_model_dir(config.models_dir)
    if not config.models.captions or not (model / "model.bin").is_file() or \
            missing_module(SPEECH_RECOGNIZER):
        return None
    # numpy and the recognizer only on a device with captions: the tablet starts sooner.
    from devices.audio.live import LiveCaptioner  # noqa: PLC0415
    from devices.audio.recognizer import WhisperRecognizer  # noqa: PLC0415
    from devices.audio.sources import CommandSource  # noqa: PLC0415
    from kiosk.services.caption_vocabulary import (  # noqa: PLC0415
        CaptionVocabulary,
        follow_visits,
        load_place_names,
    )

    command = config.models.microphone or None
    captioner = LiveCaptioner(lambda: CommandSource(command),
                              WhisperRecognizer(model, threads=config.models.stt_threads))
    follow_visits(events, captioner, CaptionVocabulary(catalog, load_place_names(),
                                                       config.device.services))
    return captioner


def build_visitor_speech(config: Config, captioner: Captioner | None,
                         conversation: Conversation | None,
                         events: EventBus) -> VisitorSpeech | None:
    """The visitor's microphone (``[models] visitor_microphone``) on the captions' model, or
    ``None`` when not configured or when this device has no captions model."""
    setting = config.models.visitor_microphone.strip()
    if not setting or conversation is None or captioner is None:
        return None
    from devices.audio.live import LiveCaptioner  # noqa: PLC0415 - only with captions
    from devices.audio.sources import CommandSource  # noqa: PLC0415
    from devices.audio.visitor_listener import VisitorListener  # noqa: PLC0415

    if not isinstance(captioner, LiveCaptioner):
        return None
    command = None if setting == "default" else setting
    listener = VisitorListener(lambda: CommandSource(command), captioner.recognizer)
    return VisitorSpeech(conversation, events, listener)


def build_models(config: Config) -> ModelStore:
    """The device's offline models (``kiosk models``, ``kiosk doctor``)."""
    return OfflineModels(config.models_dir, role=config.device.role,
                         captions=config.models.captions, stt_threads=config.models.stt_threads)


def build_document_signer(config: Config, *, demo: bool = False) -> DocumentSigner:
    """The city's signer from ``[signing]``; a throwaway test signer when none is configured.

    Raises:
        ConfigError: a key file or secret is missing or readable by others.
        kiosk.errors.DeviceError: the key file or token cannot be opened.
    """
    # pyHanko is imported when a signer is made, for the test signer at its first use: the
    # tablet's start does not wait for it (issue 18).
    signing = config.signing
    if signing.kind == "pkcs12" and not demo:
        from devices.signing.pades import pkcs12_signer  # noqa: PLC0415

        if signing.pkcs12 is None:
            raise ConfigError(S_("[signing] kind = \"pkcs12\" needs [signing] pkcs12."))
        passphrase = read_secret_file(signing.passphrase_file, "passphrase")
        return pkcs12_signer(signing.pkcs12, passphrase.encode() if passphrase else None,
                             signing.tsa_url)
    if signing.kind == "pkcs11" and not demo:
        if signing.pkcs11_module is None:
            raise ConfigError(S_("[signing] kind = \"pkcs11\" needs [signing] pkcs11_module."))
        from devices.signing.pades import pkcs11_signer  # noqa: PLC0415

        return pkcs11_signer(signing.pkcs11_module, signing.pkcs11_token, signing.pkcs11_key,
                             read_secret_file(signing.pin_file, "PIN"), signing.tsa_url)
    tsa_url = signing.tsa_url
    return LazySigner(lambda: _throwaway_signer(tsa_url), test_signature=True)


def _throwaway_signer(tsa_url: str) -> PadesSigner:
    from devices.signing.pades import throwaway_signer  # noqa: PLC0415

    return throwaway_signer(tsa_url)


def build_reading() -> ReadingProposer:
    """The proposer of a name's reading (フリガナ): Open JTalk's dictionary, loaded when first
    asked or warmed up (:meth:`kiosk.app.Services.warm_up`)."""
    return OpenJTalkReadings()
