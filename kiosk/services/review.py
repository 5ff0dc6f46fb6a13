"""Application review at the counter: read, correct with a reason, approve, print, finish.

The clerk opens the application of the called ticket. Every field shows where its value came
from (card, citizen, clerk); a clerk's change needs a reason and keeps the card's original
next to it (the diff). Approval checks the form again; printing renders the completed form
and sends it to the printer; only a print the printer accepted marks the application printed,
so a failed print loses nothing. A failure the clerk is shown (the printer, the database) is
recorded in the usage log as ``ErrorOccurred("review.print", "DeviceError")`` and the like.
Returning it needs one of the fixed reasons, which is stored with the application so the
citizen is told it in their own language.

Each correction is saved at once, sealed like the submission (with the clerk's reason and the
value it replaced), with a record of who changed which field when; reopening the application
shows the corrections, and approval and printing use them.

Answers are personal data: they live in the :class:`ReviewSession` only while the clerk has
the application open, the printed PDF is deleted once the printer accepted it, and nothing
here logs a value.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kiosk import fonts
from kiosk.audit import (
    NULL_USAGE,
    ApplicationActed,
    ClerkEdited,
    ClerkViewed,
    PrintDone,
    UsageRecorder,
    error_code,
    error_event,
)
from kiosk.domain.application import Application, ApplicationStatus, StoredAnswer
from kiosk.domain.signature import stored_record
from kiosk.domain.staff import StaffMember
from kiosk.domain.text_cleaning import strip_unsafe
from kiosk.errors import DeviceError, UserFacingError
from kiosk.events import Event, EventBus
from kiosk.i18n import N_, S_, translator
from kiosk.ports import Printer, Renderer, RenderReport
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.kana import plain_text
from kiosk.procedures.layout import format_value
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition
from kiosk.procedures.pictures import picture_path
from kiosk.procedures.session import AnswerLockedError, FormSession, Provenance
from kiosk.procedures.stored import restore, session_provenance, to_stored, typed_value
from kiosk.procedures.values import InvalidAnswerError
from kiosk.services.electronic import ElectronicFiling
from kiosk.storage.application_store import ApplicationStore
from kiosk.storage.sealing import AnswerSealer

__all__ = [
    "RETURN_REASONS",
    "STATUS_NAMES",
    "ApplicationReturned",
    "ApplicationViewed",
    "ReviewError",
    "ReviewField",
    "ReviewService",
    "ReviewSession",
]

_log = logging.getLogger(__name__)

# Why an application goes back to the citizen: fixed texts, so the citizen reads them in
# their own language (a clerk's free text could not be translated offline reliably). The
# short key is what the database stores; the text is the catalog's message id.
RETURN_REASONS: Mapping[str, str] = {
    "missing_information": N_("Some information is missing. Please complete the form with "
                              "the clerk's help."),
    "document_needed": N_("A document is needed for this application. Please bring it and "
                          "come back."),
    "other_counter": N_("This application is handled at another counter. Please follow the "
                        "clerk's guidance."),
    "records_mismatch": N_("The information does not match our records. Please talk with "
                           "the clerk."),
}

# Every review status as the clerk reads it (the stored value is English, for the database).
STATUS_NAMES: Mapping[ApplicationStatus, str] = {
    ApplicationStatus.SUBMITTED: S_("submitted"),
    ApplicationStatus.IN_REVIEW: S_("in review"),
    ApplicationStatus.APPROVED: S_("approved"),
    ApplicationStatus.RETURNED: S_("returned to the citizen"),
    ApplicationStatus.PRINTED: S_("printed"),
    ApplicationStatus.FILED: S_("filed as a signed PDF"),
    ApplicationStatus.DONE: S_("done"),
}

class ReviewError(UserFacingError):
    """The clerk's action cannot be done now (the message says why)."""


# What the clerk is told to do differently (a reason, a value that fits, the order of the
# steps): the clerk's input, not a failure, so not an error of the usage log.
_CLERK_INPUT = (ReviewError, InvalidAnswerError, AnswerLockedError)


@dataclass(frozen=True, slots=True)
class ApplicationViewed(Event):
    """A clerk opened an application (for the audit log: ids only, never content)."""

    application_id: int
    staff_id: int


@dataclass(frozen=True, slots=True)
class ApplicationReturned(Event):
    """An application went back to its citizen with one of :data:`RETURN_REASONS`."""

    application_id: int
    ticket_id: int
    staff_id: int
    reason_id: str      # a key of RETURN_REASONS
    language: str = "ja"    # the catalog code the citizen applied in (they are told in it)


@dataclass(frozen=True)
class ReviewField:
    """One field as the review screen shows it. ``value`` and ``original`` are personal data."""

    field_id: str
    label: str
    value: str
    provenance: Provenance | None
    original: str = ""          # the value a clerk's change replaced (the diff)
    reason: str = ""            # why the clerk changed it
    # Where ``original`` came from (card, citizen, default...); None: not known (an older save).
    original_provenance: Provenance | None = None
    rare_characters: tuple[str, ...] = ()   # 外字 candidates: check against the 住民票
    handwrite: tuple[str, ...] = ()         # no font draws them: write by hand on the paper
    card_unverified: bool = False           # from a card not verified against the issuer
    register_value: str = ""    # the resident register's value, shown beside a differing one

    def __repr__(self) -> str:
        return f"ReviewField({self.field_id}, provenance={self.provenance}, value=<hidden>)"


def _rare(text: str) -> tuple[str, ...]:
    """Characters outside the Basic Multilingual Plane or with a variation selector (外字)."""
    found = [ch for ch in text if ord(ch) > 0xFFFF and not 0xE0100 <= ord(ch) <= 0xE01EF]
    found += [text[i - 1] + ch for i, ch in enumerate(text) if i and 0xE0100 <= ord(ch) <= 0xE01EF]
    return tuple(dict.fromkeys(found))


class ReviewSession:
    """One application open at one clerk's desk."""

    def __init__(self, service: ReviewService, application: Application,
                 session: FormSession, staff: StaffMember) -> None:
        self._service = service
        self.application = application
        self.session = session
        self.staff = staff
        # field id -> (the stored text the clerk's first change replaced, the latest reason)
        self._corrections: dict[str, tuple[str | None, str]] = {
            field_id: (answer.original, answer.reason)
            for field_id, answer in application.answers.items()
            if answer.provenance is Provenance.CLERK}
        # field id -> where that replaced text came from (the card, the citizen...)
        self._original_sources: dict[str, Provenance | None] = {
            field_id: answer.original_provenance
            for field_id, answer in application.answers.items()
            if answer.provenance is Provenance.CLERK}
        # Answers of fields this form version no longer has: kept as stored, never dropped.
        self._foreign = {field_id: answer for field_id, answer in application.answers.items()
                         if not _has_field(session.definition, field_id)}
        # Kept through the clerk's saves: a correction must not make the card look verified.
        self._card = (Provenance.CARD_UNVERIFIED
                      if any(answer.provenance is Provenance.CARD_UNVERIFIED
                             for answer in application.answers.values())
                      else Provenance.CARD)
        self.last_print_report: RenderReport | None = None
        self.last_job = ""
        # field id -> the register's value for a field the card (or a clerk) answered: shown
        # beside it when they differ, never written over it. On this screen only, not stored.
        self._register_beside: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"ReviewSession(application={self.application.id}, staff={self.staff.id})"

    @property
    def status(self) -> ApplicationStatus:
        """The application's review status."""
        return self.application.status

    @property
    def title(self) -> str:
        """The form's Japanese title."""
        return self.session.definition.title.get("ja")

    @property
    def department(self) -> str:
        """The department that handles the form, in Japanese (the clerk's language)."""
        return plain_text(self.session.definition.department.get("ja"))

    @property
    def picture(self) -> Path | None:
        """The form's pictogram, as the citizen saw it on the tablet (``None`` without one)."""
        return picture_path(self.session.definition.picture)

    def fields(self) -> list[ReviewField]:
        """Every visible answerable field with its value, provenance and flags."""
        form = self.session.definition
        faces = [*fonts.bundled_faces(), *filter(None, [fonts.fallback_face()])]
        result = []
        for item in form.fields:
            if not item.type.holds_value or not self.session.is_visible(item.id):
                continue
            text = self._text(item, self.session.value(item.id))
            answer = self.session.answers.get(item.id)
            original, reason = self._corrections.get(
                item.id, (None, answer.reason if answer is not None else ""))
            text = strip_unsafe(text)         # the clerk's screen shows no controls or bidi
            register = (strip_unsafe(self._text(item, self._register_beside[item.id]))
                        if item.id in self._register_beside else "")
            result.append(ReviewField(
                item.id, item.label.get("ja"), text,
                answer.provenance if answer is not None else None,
                original=("" if original is None
                          else strip_unsafe(self._text(item, typed_value(form, item, original)))),
                original_provenance=_from_stored(self._original_sources.get(item.id)),
                reason=reason,
                rare_characters=_rare(text),
                handwrite=tuple(fonts.missing_characters(text, faces)),
                card_unverified=(self._card is Provenance.CARD_UNVERIFIED and answer
                                 is not None and answer.provenance is Provenance.CARD),
                register_value=register if "".join(register.split()) != "".join(text.split())
                else ""))
        return result

    def _text(self, item: FieldDef, value: Any) -> str:
        if item.type is FieldType.GROUP and isinstance(value, list):
            return " / ".join("、".join(format_value(self.session.definition, child,
                                                   row.get(child.id)) for child in item.fields)
                              for row in value)
        return format_value(self.session.definition, item, value)

    def edit(self, field_id: str, value: Any, reason: str) -> None:
        """Correct a field and save the correction; ``reason`` is required for every change.

        The stored answers are replaced at once (sealed), keeping the value the clerk's first
        change replaced, so the diff survives a reopening. If saving fails the field keeps
        its previous value.

        Raises:
            ReviewError: no reason, or the application is not in review.
            kiosk.procedures.values.InvalidAnswerError: the value does not fit the field.
            kiosk.errors.StorageError: the correction could not be saved.
        """
        with self._service.errors_shown("review.edit"):
            self._require(ApplicationStatus.IN_REVIEW)
            if not reason.strip():
                raise ReviewError(S_("Please give the reason for this correction."))
            before_text = to_stored(self.session, self._card).get(field_id)
            before = self.session.answers.get(field_id)
            self.session.set(field_id, value, by=Provenance.CLERK, reason=reason)
            original = (self._corrections[field_id][0] if field_id in self._corrections
                        else before_text.value if before_text is not None else None)
            source = (self._original_sources.get(field_id) if field_id in self._corrections
                      else before_text.provenance if before_text is not None else None)
            corrections = {**self._corrections, field_id: (original, reason.strip())}
            try:
                self._service.store.save_corrections(
                    self.application.id,
                    self._sealable(corrections, {**self._original_sources, field_id: source}),
                    [field_id], self.staff.id,
                    self._service.sealer)
            except Exception:
                self.session.revert(field_id, before)
                raise
            self._corrections = corrections
            self._original_sources[field_id] = source

    def fill_from_register(self, values: Mapping[str, Any],
                           beside: Mapping[str, Any]) -> tuple[list[str], list[str]]:
        """Fill fields from the resident register in one action, marked "register", and save.

        A field answered by the card or corrected by a clerk keeps its value; the register's
        value of such a field (and of every field in ``beside``) is shown beside it when the
        two differ. A value that does not fit its field is left out. Returns the field ids
        filled and those left out. If saving fails nothing changes.

        Raises:
            ReviewError: the application is not in review.
            kiosk.errors.StorageError: the values could not be saved.
        """
        with self._service.errors_shown("review.register"):
            self._require(ApplicationStatus.IN_REVIEW)
            before = dict(self.session.answers)
            filled, left_out, kept = [], [], dict(beside)
            for field_id, value in values.items():
                current = self.session.answers.get(field_id)
                if current is not None and current.provenance in (Provenance.CARD,
                                                                  Provenance.CLERK):
                    kept[field_id] = value
                    continue
                try:
                    self.session.set(field_id, value, by=Provenance.REGISTER)
                except (InvalidAnswerError, KeyError):
                    left_out.append(field_id)
                    continue
                filled.append(field_id)
            try:
                if filled:
                    self._service.store.save_corrections(
                        self.application.id,
                        self._sealable(self._corrections, self._original_sources),
                        filled, self.staff.id, self._service.sealer)
            except Exception:
                self.session.restore(before)
                raise
            self._register_beside.update(kept)
            return filled, left_out

    def _sealable(self, corrections: Mapping[str, tuple[str | None, str]],
                  sources: Mapping[str, Provenance | None]) -> dict[str, StoredAnswer]:
        """The whole answer set as stored text, the clerk's fields with reason and original."""
        answers = {**self._foreign, **to_stored(self.session, self._card)}
        for field_id, (original, reason) in corrections.items():
            current = answers.get(field_id)
            # A cleared field stays as an empty clerk answer: its reason and original remain.
            answers[field_id] = StoredAnswer(current.value if current is not None else "",
                                             Provenance.CLERK, reason, original,
                                             sources.get(field_id) if original is not None
                                             else None)
        return answers

    def approve(self) -> None:
        """Check the form again and approve it; approving it again changes nothing.

        Raises:
            ReviewError: required answers are missing or invalid (the count is given).
        """
        with self._service.errors_shown("review.approve"):
            if self.status is ApplicationStatus.APPROVED:
                return          # a second press of the same intention (a double click)
            self._require(ApplicationStatus.IN_REVIEW)
            issues = self.session.validate()
            if issues:
                raise ReviewError(S_("{n} fields still need a correction before approval."),
                                  n=len(issues))
            if self._corrections:
                self._service.usage.record(ClerkEdited(staff=self.staff.id,
                                                       application=self.application.id,
                                                       fields=len(self._corrections)))
            self._move(ApplicationStatus.APPROVED)
            self._service.usage.record(ApplicationActed(self.staff.id, self.application.id,
                                                        "approved"))
            if self._service.handover is not None:
                # [export]: hand the data on to the core systems (a failure is left for
                # `kiosk export --date`; the approval stands).
                self._service.handover(self.application.id)

    def print_form(self, *, reprint: bool = False) -> str:
        """Print the completed form; returns the printer's job id.

        A printed form is printed again only when ``reprint`` says the clerk asked for a
        reprint: a second "print" of the same form (a double click, a stale screen) prints
        nothing. The PDF exists only until the printer accepted it. On a printer error nothing
        changes: the application stays approved (or printed) and the error carries the
        printer's reason.

        Raises:
            ReviewError: not approved yet, or already printed and no reprint asked for.
            kiosk.errors.DeviceError: the printer refused the job.
        """
        with self._service.errors_shown("review.print"):
            if self.status not in (ApplicationStatus.APPROVED, ApplicationStatus.PRINTED):
                raise ReviewError(S_("Approve the application before printing it."))
            if self.status is ApplicationStatus.PRINTED and not reprint:
                raise ReviewError(S_("This form is already printed. Press Reprint to print "
                                     "it again."))
            if self.delivery == "electronic" and self.can_file():
                raise ReviewError(S_("This procedure is filed as a signed PDF, not printed."))
            with tempfile.TemporaryDirectory(prefix="kiosk-review-") as folder:
                pdf = Path(folder) / f"application-{self.application.id}.pdf"
                self.last_print_report = self._service.renderer.application(self.session, pdf)
                try:
                    job = self._service.printer.print_pdf(
                        pdf, title=f"application {self.application.id}")
                except DeviceError as exc:
                    self._service.usage.record(PrintDone(kind="form", ok=False, pages=0,
                                                         reason=error_code(exc)))
                    raise
            self._service.usage.record(PrintDone(kind="form", ok=True, pages=1))
            self.last_job = job
            self._move(ApplicationStatus.PRINTED)
            return job

    @property
    def delivery(self) -> str:
        """How the procedure leaves the counter: ``paper``, ``electronic`` or ``clerk``."""
        return self.session.definition.print.delivery

    @property
    def signed_on_tablet(self) -> bool:
        """Whether the citizen signed on the tablet (the image is ``session.signature_png``)."""
        return self.session.signature_png is not None

    def can_file(self) -> bool:
        """Whether a signed electronic application can replace the paper now."""
        return (self.status is ApplicationStatus.APPROVED and self.delivery != "paper"
                and self.signed_on_tablet and self._service.filing is not None)

    def file_signed(self) -> Path:
        """File the approved application as a city-signed PDF/A instead of printing it.

        Raises:
            ReviewError: not approved, a paper procedure, no tablet signature, or no
                document store configured.
            kiosk.errors.DeviceError: signing failed (nothing was stored).
            kiosk.errors.StorageError: the document store cannot be written.
        """
        with self._service.errors_shown("review.file"):
            self._require(ApplicationStatus.APPROVED)
            if self.delivery == "paper":
                raise ReviewError(S_("This procedure is delivered on paper."))
            if not self.signed_on_tablet:
                raise ReviewError(S_("The citizen did not sign on the tablet: print the form "
                                     "for a signature."))
            filing = self._service.filing
            if filing is None:
                raise ReviewError(S_("Signed electronic applications are not set up on this "
                                     "PC ([signing])."))
            filed = filing.file(self.session, self.application.id)
            self._move(ApplicationStatus.FILED)
            return filed.path

    def finish(self) -> None:
        """Mark the application done (after the citizen signed the printed form, or once it
        was filed as a signed PDF); finishing it again changes nothing."""
        with self._service.errors_shown("review.finish"):
            if self.status is ApplicationStatus.DONE:
                return          # a second press of the same intention
            if self.status is not ApplicationStatus.FILED:
                self._require(ApplicationStatus.PRINTED)
            if self._service.release_gate is not None:
                self._service.release_gate(self)     # payments: no release while a fee is due
            self._move(ApplicationStatus.DONE)
            self._service.usage.record(ApplicationActed(self.staff.id, self.application.id,
                                                        "finished"))

    def send_back(self, reason_id: str) -> None:
        """Return the application to the citizen with one of :data:`RETURN_REASONS` (its key).

        The reason is stored with the application (see :meth:`ReviewService.return_notices`).

        Raises:
            ReviewError: not one of the fixed reasons, or not in review.
        """
        with self._service.errors_shown("review.return"):
            if reason_id not in RETURN_REASONS:
                raise ReviewError(S_("Choose one of the reasons the citizen can read."))
            self._require(ApplicationStatus.IN_REVIEW)
            self._move(ApplicationStatus.RETURNED, return_reason=reason_id)
            self._service.usage.record(ApplicationActed(self.staff.id, self.application.id,
                                                        "returned", reason_id))
            self._service.events.publish(ApplicationReturned(
                self.application.id, self.application.ticket_id or 0, self.staff.id, reason_id,
                self.application.language))

    def citizen_notice(self, reason_id: str, language: str | None = None) -> str:
        """The return reason as the citizen reads it: in the language they applied in (or in
        ``language``: the clerk's desk reads it in Japanese)."""
        return "".join(translator(language or self.application.language)(text)
                       for text in _reason_texts([reason_id]))

    def _require(self, status: ApplicationStatus) -> None:
        if self.status is not status:
            raise ReviewError(S_("The application is {status}; this is not possible now."),
                              status=self.status.value)

    def _move(self, status: ApplicationStatus, *, return_reason: str = "") -> None:
        self._service.store.set_status(self.application.id, status, self.staff.id,
                                       return_reason=return_reason)
        self.application = replace(self.application, status=status,
                                   return_reason=return_reason or self.application.return_reason)


def _from_stored(provenance: Provenance | None) -> Provenance | None:
    return None if provenance is None else session_provenance(provenance)


def _with_status(application: Application, status: ApplicationStatus) -> Application:
    return replace(application, status=status)


def _has_field(form: FormDefinition, field_id: str) -> bool:
    try:
        form.field(field_id)
    except KeyError:
        return False
    return True


class ReviewService:
    """Opens applications for review. ``store`` is the application store, ``opener`` opens
    its sealed answers (the submission service's sealer)."""

    def __init__(self, store: ApplicationStore, opener: AnswerSealer, catalog: FormCatalog,
                 printer: Printer, renderer: Renderer, events: EventBus,
                 usage: UsageRecorder = NULL_USAGE) -> None:
        self.store = store
        self.usage = usage
        self._opener = opener
        self._catalog = catalog
        self.printer = printer
        self.renderer = renderer    # draws the completed form the printer is given
        self.events = events
        # Called before an application is finished; raises ReviewError to hold it (fees
        # unpaid, kiosk.services.payments). None: nothing holds it ([payment] kind = none).
        self.release_gate: Callable[[ReviewSession], None] | None = None
        # Set by kiosk.app when [export] is configured: hands an approved application on.
        self.handover: Callable[[int], None] | None = None
        # Signed electronic applications (kiosk.app sets it when [signing] is configured).
        self.filing: ElectronicFiling | None = None

    @contextlib.contextmanager
    def errors_shown(self, where: str) -> Iterator[None]:
        """Usage log: a failure of ``where`` (``review.print``) that the clerk's screen shows,
        once, as ``ErrorOccurred``; what the clerk entered wrong is not recorded."""
        try:
            yield
        except UserFacingError as exc:
            if not isinstance(exc, _CLERK_INPUT):
                self.usage.record(error_event(where, exc))
            raise

    @property
    def sealer(self) -> AnswerSealer:
        """The key that seals and opens the answers (the submissions' key)."""
        return self._opener

    def applications_for_ticket(self, ticket_id: int) -> list[int]:
        """The ids of the ticket's applications, oldest first."""
        return self.store.ids_for_ticket(ticket_id)

    def returned_reasons(self, ticket_id: int) -> list[str]:
        """The message ids of why the ticket's returned applications went back (for the clerk)."""
        return list(_reason_texts(r.reason_id for r in self.store.returned_for_ticket(ticket_id)))

    def return_notices(self, ticket_id: int) -> list[str]:
        """What the citizen is told about each returned application, in their language."""
        notices = []
        for returned in self.store.returned_for_ticket(ticket_id):
            tr = translator(returned.language)
            notices += [tr(text) for text in _reason_texts([returned.reason_id])]
        return notices

    def open(self, application_id: int, staff: StaffMember) -> ReviewSession:
        """Open an application for ``staff``; a new one moves to "in review".

        Every opening is published as :class:`ApplicationViewed` (ids only) for the audit log.
        """
        return self._open(application_id, staff, take=True)

    def look(self, application_id: int, staff: StaffMember) -> ReviewSession:
        """An application as it is now, for reading only: its status stays (the branch desk of
        a remote call sees what the specialist changed). Published and recorded as a view."""
        return self._open(application_id, staff, take=False)

    def _open(self, application_id: int, staff: StaffMember, *, take: bool) -> ReviewSession:
        with self.errors_shown("review.open"):
            application = self.store.get(application_id, self._opener)
            self.events.publish(ApplicationViewed(application_id, staff.id))
            self.usage.record(ClerkViewed(staff=staff.id, application=application_id))
            _log.info("application %d opened by staff %d", application_id, staff.id)
            if take and application.status in (ApplicationStatus.SUBMITTED,
                                               ApplicationStatus.RETURNED):
                self.store.set_status(application_id, ApplicationStatus.IN_REVIEW, staff.id)
                application = _with_status(application, ApplicationStatus.IN_REVIEW)
            definition = self._catalog.form(application.form_id)
            session = restore(definition, application.answers,
                              today=application.submitted_at.date(),
                              application_id=str(application.id))
            signature = stored_record(application.answers)
            session.signature_png = signature.png if signature is not None else None
            return ReviewSession(self, application, session, staff)


def _reason_texts(reason_ids: Iterable[str]) -> Iterable[str]:
    # A key this version does not know (a newer device stored it) is left out, not guessed.
    return (RETURN_REASONS[key] for key in reason_ids if key in RETURN_REASONS)
