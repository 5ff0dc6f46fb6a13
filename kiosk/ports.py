"""The seams between the core and the outside world, as small ``typing.Protocol`` classes.

Every device has a real adapter and a simulator in ``devices/``; ``kiosk.app`` picks one from
the configuration. The core depends only on these protocols, never on an adapter, so the same
services run on a tablet, on a clerk PC, in the demo and in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kiosk.doctor import Check
from kiosk.domain.identity import CardStatus, Identity, MyNumber
from kiosk.domain.payment import ChargeRequest, ChargeResult
from kiosk.domain.resident import Household, Resident
from kiosk.domain.resident_query import ResidentQuery
from kiosk.errors import DeviceError

if TYPE_CHECKING:
    from kiosk.audit.report import UsageReport
    from kiosk.procedures.model import FormDefinition
    from kiosk.procedures.receipt import Receipt, TicketSlip
    from kiosk.procedures.session import FormSession

__all__ = [
    "CALL_SOUND_RATE",
    "ApplicationExport",
    "CallSound",
    "Captioner",
    "Clock",
    "Closable",
    "ConversationRelay",
    "Delivery",
    "DocumentSigner",
    "ExportBatch",
    "ExportFile",
    "Forgetful",
    "IdentityReader",
    "ModelStore",
    "PaymentTerminal",
    "Printer",
    "Probe",
    "Purgeable",
    "ReadingProposer",
    "RelayHandler",
    "RemoteCall",
    "RemoteCallStats",
    "RemotePicture",
    "RenderReport",
    "Renderer",
    "ResidentRegister",
    "Sealing",
    "SignallingChannel",
    "Speaker",
    "SpeechListener",
    "SystemClock",
    "TerminalTimeout",
    "Translator",
    "Utterance",
    "Warmable",
]


@runtime_checkable
class Probe(Protocol):
    """Something that can test itself for ``kiosk doctor``."""

    def probe(self) -> Sequence[Check]:
        """Run the self-test; never raise."""
        ...


# ---------------------------------------------------------------- optional capabilities
# What some adapters of a port can do and others cannot (a folder printer purges its files, a
# CUPS queue has none). The composition root asks with ``isinstance`` against these, so each
# capability is named and typed once rather than probed by attribute name.
@runtime_checkable
class Closable(Protocol):
    """Holds threads, files or connections to release when the device stops."""

    def close(self) -> None:
        """Release them; the adapter is not used afterwards."""
        ...


@runtime_checkable
class Purgeable(Protocol):
    """Keeps files for a retention period (printed forms, the usage log)."""

    def purge(self) -> int:
        """Remove what outlived its retention; the number of files removed."""
        ...


@runtime_checkable
class Sealing(Protocol):
    """Seals what it recorded at intervals and sends the seals off the device."""

    def tick(self) -> None:
        """Seal an ended epoch, if one ended, and send its seal (never raises for an outage)."""
        ...


@runtime_checkable
class Warmable(Protocol):
    """Loads a slow resource on first use: worth loading before the first screen needs it."""

    def warm_up(self) -> None:
        """Load it now (called off the screens' thread)."""
        ...


@runtime_checkable
class Forgetful(Protocol):
    """Caches what a visit said (a translator's sentences): forgotten when the visit ends."""

    def forget(self) -> None:
        """Drop the cache."""
        ...


class Clock(Protocol):
    """Time source; services take one so tests and reports can fix the time."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The machine's clock, in local time with its offset (JST at the city hall)."""

    def now(self) -> datetime:
        """The current local time, timezone-aware."""
        return datetime.now(UTC).astimezone()


class Printer(Probe, Protocol):
    """Prints a finished PDF (completed form, receipt, ticket slip)."""

    def print_pdf(self, pdf: Path, *, title: str, copies: int = 1) -> str:
        """Send ``pdf`` to the printer and return a job id once the printer accepted it.

        Raises:
            kiosk.errors.DeviceError: the printer refused the job or is unreachable; the
                message carries the printer's own reason.
        """
        ...


class Speaker(Probe, Protocol):
    """Speaks guidance and call-outs; never blocks the caller."""

    def say(self, text: str, language: str) -> None:
        """Queue ``text`` to be spoken in ``language`` (a BCP 47 tag such as ``"ja"``)."""
        ...


@runtime_checkable
class Chime(Protocol):
    """A speaker that can also play the call chime before a call-out (the board's)."""

    def chime(self) -> None:
        """Queue the chime; returns at once."""
        ...


class IdentityReader(Probe, Protocol):
    """Reads the 基本4情報 from the citizen's My Number card (a PC/SC reader or the simulator).

    Every call opens the card exclusively and powers it down afterwards, so no verified state
    outlives the call. Errors are the :class:`kiosk.domain.identity.CardError` subclasses.
    """

    def status(self) -> CardStatus:
        """Reader, card presence, ATR and PIN tries left; sends no PIN."""
        ...

    def tries_left(self) -> int:
        """PIN tries left (0 = locked), asked without using a try; show it before the PIN pad."""
        ...

    def read_identity(self, pin: str, *, use_last_try: bool = False) -> Identity:
        """Verify ``pin`` once (never retried) and read name, address, birth date and sex.

        With one try left the PIN is sent only when ``use_last_try`` says the person
        confirmed it.

        Raises:
            kiosk.domain.identity.PinFormatError: ``pin`` is not exactly 4 digits (not sent).
            kiosk.domain.identity.LastTryError: 1 try left, not confirmed (not sent).
            kiosk.domain.identity.WrongPinError: refused; ``tries_left`` says how many remain.
            kiosk.domain.identity.PinLockedError: locked before or by this attempt.
            kiosk.domain.identity.CardIntegrityError: digest or signature mismatch.
        """
        ...

    def read_my_number(self, pin: str) -> MyNumber:
        """Read the 個人番号; only for procedures that legally need it, off unless configured.

        Raises:
            kiosk.domain.identity.MyNumberNotAllowedError: ``[card] allow_my_number`` is false.
        """
        ...


class ReadingProposer(Protocol):
    """Proposes the reading (フリガナ) of a name; the citizen always confirms or corrects it.

    Today's My Number cards carry no reading, so a guess from a dictionary is the best the
    kiosk can offer: it is shown pre-filled, never stored without the citizen's tap.
    """

    def propose(self, name: str) -> str | None:
        """The reading of ``name`` in full-width katakana (family and given name separated by
        U+3000 when ``name`` is), or ``None`` when no reading can be proposed; never raises."""
        ...


class Translator(Probe, Protocol):
    """Offline machine translation between BCP 47 languages (``"ja"``, ``"vi"``, ``"zh-Hans"``).

    A missing model is a normal state, not an error: :meth:`route` and :meth:`translate`
    return ``None`` and the screen says that no translation model is installed for the pair.
    """

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        """The languages the text passes through (``("ja", "en", "vi")`` when pivoting through
        English), or ``None`` when no installed model leads from ``source`` to ``target``."""
        ...

    def translate(self, text: str, source: str, target: str) -> str | None:
        """``text`` in ``target``, or ``None`` when no model leads there; never downloads."""
        ...


@dataclass(frozen=True)
class Utterance:
    """One stretch of recognised speech. The text is personal data: its repr is masked."""

    text: str = field(repr=False)
    language: str
    ended_at_s: float = 0.0        # monotonic time the speaker stopped (end of the voice chunk)
    recognised_at_s: float = 0.0   # monotonic time the text was ready
    audio_s: float = 0.0           # length of the chunk
    # Whisper's own translation into English, when it was asked for (the visitor's speech
    # where no translation model leads from their language to Japanese); personal data too.
    english: str = field(default="", repr=False)


class Captioner(Probe, Protocol):
    """Live speech recognition at the clerk's desk: microphone -> voice chunks -> text.

    Recognition runs on the captioner's own thread; ``on_utterance`` is called there and must
    only hand the text on (publish an event), never touch a widget.
    """

    def start(self, on_utterance: Callable[[Utterance], None]) -> None:
        """Open the microphone and start recognising."""
        ...

    def stop(self) -> None:
        """Stop recognising and release the microphone; what was not yet recognised is dropped."""
        ...

    def set_vocabulary(self, terms: Sequence[str]) -> None:
        """Bias recognition towards these words (procedure and field names of the visit)."""
        ...


class SpeechListener(Probe, Protocol):
    """The visitor's microphone at the counter, recognised in the language they chose.

    Like :class:`Captioner`, ``on_utterance`` is called on the listener's own thread.
    """

    @property
    def listening(self) -> bool:
        """Whether the microphone is open."""
        ...

    def start(self, language: str, on_utterance: Callable[[Utterance], None], *,
              english: bool = False) -> None:
        """Open the microphone and recognise speech in ``language`` (a BCP 47 code);
        ``english``: also give Whisper's translation into English with each utterance."""
        ...

    def stop(self) -> None:
        """Close the microphone; what was not yet recognised is dropped."""
        ...


class Notifier(Protocol):
    """Sends a short message to a visitor who opted in ("your turn is near", "called").

    ``address`` (an e-mail address, a LINE user id) is personal data: adapters never log it.
    """

    channel: str          # "email" or "line"

    def send(self, address: str, subject: str, text: str) -> None:
        """Deliver one message.

        Raises:
            DeviceError: the relay or the API refused it or could not be reached.
        """


class PaymentTerminal(Probe, Protocol):
    """The counter's payment terminal (card, e-money, QR code), or its simulator.

    Japanese counter terminals speak no open protocol: a vendor's SDK is wrapped in an
    adapter of this shape (``devices/payment``). ``reference`` names one charge across every
    retry: a terminal asked twice for the same reference charges once and answers the first
    outcome again. Only amounts, item labels and the reference cross: never a person.
    """

    kind: str             # "simulated", "http", or the vendor adapter's name

    def charge(self, request: ChargeRequest) -> ChargeResult:
        """Charge ``request.amount`` yen and wait for the visitor (paid, failed or cancelled).

        Raises:
            kiosk.errors.DeviceError: the terminal could not be reached, or did not answer in
                time (:class:`TerminalTimeout`: the outcome is unknown, ask :meth:`status`).
        """
        ...

    def status(self, reference: str) -> ChargeResult | None:
        """The final outcome of ``reference``; ``None`` when the terminal never took it or it
        is still waiting for the visitor.

        Raises:
            kiosk.errors.DeviceError: the terminal could not be reached.
        """
        ...

    def refund(self, reference: str, amount: int) -> ChargeResult:
        """Give back ``amount`` yen of the paid charge ``reference`` (outcome ``refunded``).

        Raises:
            kiosk.errors.DeviceError: refused or unreachable.
        """
        ...


class TerminalTimeout(DeviceError):
    """The terminal did not give a final answer in time: the charge may or may not be done."""


@dataclass(frozen=True)
class ExportFile:
    """One file of an export: its name in the target folder and its bytes (personal data)."""

    name: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class ExportBatch:
    """What one approved application hands to one core system: data files and their manifest.

    ``key`` names the batch for good (``juki-41``): delivering the same key again writes
    nothing. ``folder`` is the system's folder (``juki``); the manifest lists every file with
    its SHA-256 and is written last, so a reader that acts on manifests never sees half a batch.
    """

    key: str
    folder: str
    files: tuple[ExportFile, ...]
    manifest: ExportFile


@dataclass(frozen=True)
class Delivery:
    """Where a batch went: the manifest's path as the target sees it, and whether this call
    wrote it (``False``: it had been delivered before, nothing was written again)."""

    key: str
    manifest: str
    written: bool


class ApplicationExport(Probe, Protocol):
    """Hands approved applications to the core systems (a folder or spool their import reads).

    Writing is atomic per file and exactly once per batch key, across crashes: a batch that
    was cut short is finished or redone by the next :meth:`deliver` of the same key, never
    delivered twice, and never leaves a half-written file where the import looks.
    """

    def deliver(self, batch: ExportBatch) -> Delivery:
        """Write ``batch`` (or finish a delivery of it that a crash cut short).

        Raises:
            kiosk.errors.DeviceError: the folder cannot be written (full, gone, no rights).
        """
        ...

    def deliver_all(self, batches: Sequence[ExportBatch]) -> dict[str, Delivery]:
        """:meth:`deliver` for many batches at once (one flush per step, for a day's export);
        a batch another process is writing now is left out of the result.

        Raises:
            kiosk.errors.DeviceError: the folder cannot be written.
        """
        ...

    def forget_all(self, keys: Sequence[str]) -> None:
        """Drop what the adapter kept to finish these batches (once they are recorded)."""


class ResidentRegister(Probe, Protocol):
    """The read-only resident register (住民記録) the clerk looks residents up in: a nightly
    CSV extract held in memory, a SQL view on a copy database, or the demo's synthetic one.

    Nothing here writes to the register, logs a value, or is ever built on a tablet; the use
    case (:mod:`kiosk.services.resident_lookup`) checks the clerk's right and writes the usage
    log.
    """

    def find(self, query: ResidentQuery, limit: int = 50) -> Sequence[Resident]:
        """Up to ``limit`` residents matching ``query`` (by 宛名番号, birth date, reading or
        folded name, the last two from their start), in 宛名番号 order."""
        ...

    def resident(self, resident_id: str) -> Resident | None:
        """The resident with this 宛名番号, or ``None``."""
        ...

    def household(self, resident_id: str) -> Household | None:
        """The household of the resident with this 宛名番号 (世帯主 first), or ``None``."""
        ...


class DocumentSigner(Probe, Protocol):
    """Signs a finished PDF as the city (PAdES), with a time stamp where a TSA is configured.

    The real adapter holds the city's key (a PKCS#12 file or a PKCS#11 token); the simulator
    signs with a throwaway certificate named as a test signature (``test_signature``).
    """

    test_signature: bool

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        """``pdf`` with the city's signature added as an incremental update.

        Raises:
            kiosk.errors.DeviceError: the key, the token or the time-stamp server failed.
        """
        ...


RelayHandler = Callable[[dict[str, Any]], None]


class ConversationRelay(Protocol):
    """Carries conversation messages between the devices of one counter.

    A message is the JSON-ready dict of a :mod:`kiosk.domain.counter_messages` message
    (``to_wire``); the relay delivers every message to every subscriber of the counter, the
    sender's own included (the conversation drops its own echo by its ``origin``). A relay
    between devices also delivers, about itself, ``LinkChanged`` (``{"type": "link", "up":
    bool}``) when its connection comes or goes and ``Heartbeat`` (``{"type": "tick",
    "expire_s": float}``) now and then: devices not heard from for ``expire_s`` count as gone.
    """

    @property
    def shared(self) -> bool:
        """Whether messages reach other devices (``False``: this process only)."""
        ...

    def publish(self, message: Mapping[str, Any]) -> None:
        """Send ``message``; never blocks on the network and never raises for an outage."""
        ...

    def subscribe(self, handler: RelayHandler) -> None:
        """Call ``handler(message)`` for each message (on the relay's thread)."""
        ...

    def start(self) -> None:
        """Start delivering (connect, listen)."""
        ...

    def close(self) -> None:
        """Stop and forget every message not yet sent or delivered."""
        ...


class ModelStore(Probe, Protocol):
    """The device's offline models: translation packs, speech recognition, Open JTalk's
    Japanese dictionary. IT copies them on; nothing is downloaded."""

    def install_translation(self, archive: Path) -> str:
        """Install a translation pack file; returns its language pair (``ja->en``).

        Raises:
            kiosk.errors.DeviceError: not a pack, or this build cannot translate.
        """
        ...

    def install_speech(self, directory: Path) -> Path:
        """Install a speech recognition model directory; returns where it went.

        Raises:
            kiosk.errors.DeviceError: not a model, or this build cannot recognise speech.
        """
        ...

    def install_japanese(self, directory: Path) -> Path:
        """Install the Japanese dictionary (voice and readings); returns where it went.

        Raises:
            kiosk.errors.DeviceError: not the dictionary, or the copy failed.
        """
        ...

    def use_japanese_dictionary(self) -> None:
        """Make speech and readings use the installed dictionary (before either starts)."""
        ...

    def describe(self) -> list[str]:
        """One line per installed model (and per missing one), for IT."""
        ...

    def run(self) -> list[Check]:
        """Load every installed model and run it once."""
        ...


@dataclass
class RenderReport:
    """What the clerk must know about a printed PDF (field ids only, never their values)."""

    handwrite_fields: list[str] = field(default_factory=list)
    fallback_characters: int = 0
    english_lines: int = 0

    @property
    def needs_clerk(self) -> bool:
        """Whether some character must be hand-written on the paper."""
        return bool(self.handwrite_fields)


class Renderer(Protocol):
    """Draws the documents the kiosk prints or files as PDF: the completed application (the
    city's 様式 overlay where the form has one), the receipt, the ticket slip, the auditor's
    report, the application as the PDF/A a city signature goes on, and the 様式 calibration."""

    def application(self, session: FormSession, out: Path) -> RenderReport:
        """The completed form of ``session`` as the PDF file ``out``."""
        ...

    def receipt(self, receipt: Receipt, out: Path) -> None:
        """A receipt (the visit's, or a fee's 領収書) as the PDF file ``out``."""
        ...

    def slip(self, slip: TicketSlip, out: Path) -> None:
        """The ticket slip as the PDF file ``out``."""
        ...

    def report(self, report: UsageReport, out: Path) -> None:
        """The effect-verification report as the PDF file ``out``."""
        ...

    def signed_application(self, session: FormSession, when: datetime) -> tuple[bytes, int]:
        """The completed form (generic layout, with the 署名 box) as a PDF/A-2b candidate:
        its bytes and page count."""
        ...

    def calibration(self, form: FormDefinition, background: Path, out: Path) -> int:
        """The city's 様式 ``background`` with every box of ``form`` outlined and named, as the
        PDF file ``out`` (for who lays a form out); the number of boxes."""
        ...


@dataclass(frozen=True)
class RemotePicture:
    """The latest picture from the other side of a remote call, for display (RGB, 3 bytes/pixel).

    Shown, never stored: the remote counter records no video (issue 22).
    """

    width: int
    height: int
    rgb: bytes = field(repr=False)


@dataclass(frozen=True)
class RemoteCallStats:
    """What a remote call carried so far, measured on this end (counts, never content).

    ``latencies_ms`` are the capture-to-decoded-picture times of received frames, read from the
    counter and time stamped into each generated picture (real cameras stamp nothing: empty);
    ``audio_latencies_ms`` the same for generated tone bursts. ``sources_received`` counts
    the received frames per video source (``camera``, ``document``) as read from the stamp.
    """

    seconds: float = 0.0
    frames_sent: int = 0
    frames_received: int = 0
    audio_frames_sent: int = 0
    audio_frames_received: int = 0
    bytes_sent: int = 0
    latencies_ms: tuple[float, ...] = ()
    audio_latencies_ms: tuple[float, ...] = ()
    sources_received: tuple[tuple[str, int], ...] = ()
    longest_freeze_s: float = 0.0
    interruptions: int = 0
    sizes_received: tuple[tuple[str, int], ...] = ()   # "320x240" -> frames (a thin line halves)
    video_target_kbps: int = 0         # the video rate this end aims at now (the far side's estimate)
    # How fast this end's video came up: seconds from its first picture sent until the full
    # picture was first sent, and until full quality (the full picture near the ceiling,
    # [remote] max_kbps); the far side's estimates (reports) that took. ``None``: not yet.
    video_full_size_after_s: float | None = None
    video_top_after_s: float | None = None
    video_top_after_reports: int | None = None


class SignallingChannel(Protocol):
    """How two ends of a remote call find each other: JSON-ready messages both ways.

    The shape of :class:`ConversationRelay`, so the sealed PostgreSQL
    relay carries the call's offer and answer between the branch and the main office; every
    message reaches every subscriber, the sender's own included (ends drop their own echo).
    """

    def publish(self, message: Mapping[str, Any]) -> None:
        """Send ``message``; never blocks on the network and never raises for an outage."""
        ...

    def subscribe(self, handler: Callable[[dict[str, Any]], None]) -> None:
        """Call ``handler(message)`` for each message, on any thread."""
        ...


CALL_SOUND_RATE = 48_000      # the other end's voice, as a CallSound gets it: s16le mono


class CallSound(Protocol):
    """Plays the other end's voice of a remote call as it arrives; never records or keeps it.

    ``play`` gets 16-bit signed little-endian mono PCM at :data:`CALL_SOUND_RATE`, 20 ms at a
    time, on the call's own thread; it must return at once (a sound card that cannot keep up
    loses the oldest sound, never delays the call).
    """

    def play(self, pcm: bytes) -> None:
        """Play ``pcm`` after what is already queued."""
        ...

    def close(self) -> None:
        """Stop playing and drop anything queued (the call ended)."""
        ...


class RemoteCall(Probe, Protocol):
    """One end of a remote counter call (リモート窓口): video, voice and the document camera.

    ``state`` is ``idle``, ``connecting``, ``connected``, ``interrupted`` (nothing arrived for
    a second: the link dropped; both sides say so), ``ended`` or ``failed``. Nothing of a call
    is recorded or written to disk; only :meth:`stats` counts remain for the usage log.
    """

    kind: str             # "aiortc" or "simulated"

    @property
    def state(self) -> str:
        """The call's state (see the class)."""
        ...

    def listen(self, sound: CallSound) -> None:
        """Play the other end's voice on ``sound`` (call before :meth:`start`; without it the
        voice is counted and dropped). The call closes ``sound`` when it ends."""
        ...

    def listen_own(self, sound: CallSound) -> None:
        """Hand this end's own microphone, as the call sends it, to ``sound`` as well (this
        end's captions: the device is captured once, by the call). Call before :meth:`start`;
        closed when the call ends. A call without a microphone hands over nothing."""
        ...

    def start(self) -> None:
        """Begin the call (offer or answer through the signalling); returns at once."""
        ...

    def wait_connected(self, timeout_s: float) -> bool:
        """Wait until media flows both ways; ``False`` when it did not within ``timeout_s``."""
        ...

    def switch_video(self, source: str) -> None:
        """Send ``source`` (``camera`` or ``document``) instead of the current video.

        Raises:
            kiosk.errors.DeviceError: no such source on this end.
        """
        ...

    def ask_remote_video(self, source: str) -> None:
        """Ask the other end to send ``source`` (the specialist asks for the branch's
        ``document`` camera); an end without that source keeps sending what it sends."""
        ...

    def remote_picture(self) -> RemotePicture | None:
        """The latest picture received, or ``None`` before the first."""
        ...

    def stats(self) -> RemoteCallStats:
        """What the call carried so far."""
        ...

    def hang_up(self) -> RemoteCallStats:
        """End the call (the other side sees ``ended``), free the devices, return the figures."""
        ...
