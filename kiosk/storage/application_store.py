"""Applications in the shared database: idempotent insert, review, corrections, purge of answers.

Answers arrive already sealed (see :mod:`kiosk.storage.sealing`); this module never sees them
in clear except in :meth:`ApplicationStore.get`, which opens them for the clerk, and in
:meth:`ApplicationStore.save_corrections`, which seals a clerk's corrections with the same key.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from kiosk.domain.application import (
    FINISHED,
    STATUS_FLOW,
    Application,
    ApplicationStatus,
    Provenance,
    StoredAnswer,
)
from kiosk.errors import StorageError
from kiosk.i18n import S_
from kiosk.ports import Clock
from kiosk.storage.engine import dialect_insert, transaction
from kiosk.storage.schema import application_corrections, application_events, applications
from kiosk.storage.sealing import AnswerSealer

__all__ = [
    "ApplicationNotFoundError",
    "ApplicationStore",
    "Correction",
    "ReturnedApplication",
    "SealedSubmission",
    "StatusError",
]

_log = logging.getLogger(__name__)


class ApplicationNotFoundError(StorageError):
    """No application with that id."""


class StatusError(StorageError):
    """The application cannot move to that status from where it is."""


@dataclass(frozen=True, slots=True)
class Correction:
    """Who corrected which field when (no value: the values stay sealed)."""

    field_id: str
    staff_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ReturnedApplication:
    """An application waiting for its citizen: the language to tell them in, and why."""

    application_id: int
    language: str
    reason_id: str


@dataclass(frozen=True)
class SealedSubmission:
    """A submission whose answers are already encrypted: safe to keep in the outbox."""

    idempotency_key: str
    form_id: str
    form_version: str
    language: str
    ticket_id: int | None
    answer_count: int
    key_id: str
    sealed: bytes
    submitted_at: datetime

    def __repr__(self) -> str:
        return (f"SealedSubmission(key={self.idempotency_key[:8]}…, form={self.form_id}, "
                f"{len(self.sealed)} sealed bytes)")


def _application(row: Any, sealer: AnswerSealer) -> Application:
    answers = ({} if row.answers_sealed is None
               else sealer.open(row.answers_sealed, row.idempotency_key))
    return Application(
        id=row.id, idempotency_key=row.idempotency_key, form_id=row.form_id,
        form_version=row.form_version, language=row.language,
        status=ApplicationStatus(row.status), ticket_id=row.ticket_id,
        submitted_at=row.submitted_at, finished_at=row.finished_at,
        purged=row.purged_at is not None, answers=answers, return_reason=row.return_reason,
    )


class ApplicationStore:
    """Application rows on one engine."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._upsert = dialect_insert(engine)

    def insert(self, submission: SealedSubmission, *, late: bool = False) -> tuple[int, bool]:
        """Store ``submission`` once: a second insert with the same key is a no-op.

        Returns:
            (application id, whether this call created it)
        """
        with transaction(self._engine, write=True) as connection:
            created = connection.execute(
                self._upsert(applications).values(
                    idempotency_key=submission.idempotency_key, form_id=submission.form_id,
                    form_version=submission.form_version, language=submission.language,
                    status=ApplicationStatus.SUBMITTED.value, ticket_id=submission.ticket_id,
                    answer_count=submission.answer_count, answers_key_id=submission.key_id,
                    answers_sealed=submission.sealed, submitted_at=submission.submitted_at,
                    delivered_late=late,
                ).on_conflict_do_nothing(index_elements=["idempotency_key"])
                .returning(applications.c.id)
            ).scalar()
            if created is None:
                existing = connection.execute(
                    select(applications.c.id)
                    .where(applications.c.idempotency_key == submission.idempotency_key)
                ).scalar_one()
                return existing, False
            connection.execute(insert(application_events).values(
                application_id=created, from_status="",
                to_status=ApplicationStatus.SUBMITTED.value, staff_id=None,
                at=self._clock.now(),
            ))
            return created, True

    def get(self, application_id: int, sealer: AnswerSealer) -> Application:
        """One application with its answers opened (empty once purged)."""
        with transaction(self._engine) as connection:
            row = connection.execute(
                select(applications).where(applications.c.id == application_id)).first()
        if row is None:
            raise ApplicationNotFoundError(S_("Application {id} does not exist."),
                                           id=application_id)
        return _application(row, sealer)

    def get_many(self, application_ids: Collection[int], sealer: AnswerSealer
                 ) -> list[Application]:
        """Several applications in one query (a day's export), in id order; missing ids are
        left out."""
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(applications).where(applications.c.id.in_(list(application_ids)))
                .order_by(applications.c.id)).all()
        return [_application(row, sealer) for row in rows]

    def ids_for_ticket(self, ticket_id: int) -> list[int]:
        """The applications that belong to a ticket, oldest first."""
        with transaction(self._engine) as connection:
            return list(connection.execute(
                select(applications.c.id).where(applications.c.ticket_id == ticket_id)
                .order_by(applications.c.id)).scalars())

    def review_marks(self, ticket_id: int) -> list[tuple[int, str, int]]:
        """Per application of a ticket, oldest first: its id, status and how many corrections
        were saved. No answer is opened: another desk (the remote counter's branch) polls it to
        learn whether a reviewer changed something since it last looked."""
        counted = (select(func.count(application_corrections.c.id))
                   .where(application_corrections.c.application_id == applications.c.id)
                   .scalar_subquery())
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(applications.c.id, applications.c.status, counted)
                .where(applications.c.ticket_id == ticket_id).order_by(applications.c.id)).all()
        return [(int(row[0]), str(row[1]), int(row[2])) for row in rows]

    def languages_for_ticket(self, ticket_id: int) -> list[str]:
        """The languages the ticket holder used for its applications (no answers are opened)."""
        with transaction(self._engine) as connection:
            return list(dict.fromkeys(connection.execute(
                select(applications.c.language).where(applications.c.ticket_id == ticket_id)
                .order_by(applications.c.id)).scalars()))

    def forms_for_ticket(self, ticket_id: int) -> list[str]:
        """The procedures (form ids) of the ticket's applications, oldest first, once each."""
        with transaction(self._engine) as connection:
            return list(dict.fromkeys(connection.execute(
                select(applications.c.form_id).where(applications.c.ticket_id == ticket_id)
                .order_by(applications.c.id)).scalars()))

    def returned_for_ticket(self, ticket_id: int) -> list[ReturnedApplication]:
        """The ticket's applications now returned to the citizen, oldest first."""
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(applications.c.id, applications.c.language, applications.c.return_reason)
                .where(applications.c.ticket_id == ticket_id,
                       applications.c.status == ApplicationStatus.RETURNED.value)
                .order_by(applications.c.id)).all()
        return [ReturnedApplication(row.id, row.language, row.return_reason) for row in rows]

    def save_corrections(self, application_id: int, answers: Mapping[str, StoredAnswer],
                         corrected: Collection[str], staff_id: int,
                         sealer: AnswerSealer) -> None:
        """Replace the answers of an application in review with the clerk-corrected set.

        ``answers`` is the whole set; the ``corrected`` fields must be clerk answers carrying
        their reason, or values the clerk filled from the resident register. They are sealed
        bound to the application's idempotency key, and one :class:`Correction` row per
        corrected field records who changed it when.

        Raises:
            ApplicationNotFoundError: no such application.
            StatusError: the application is not in review, or its answers were purged.
            ValueError: a corrected field is missing, not a clerk answer, or has no reason.
        """
        for field_id in corrected:
            answer = answers.get(field_id)
            if answer is None or not (answer.provenance is Provenance.REGISTER or (
                    answer.provenance is Provenance.CLERK and answer.reason.strip())):
                raise ValueError(f"field {field_id} is not a clerk's correction with a reason "
                                 "nor a value from the register")
        now = self._clock.now()
        with transaction(self._engine, write=True) as connection:
            row = connection.execute(
                select(applications.c.idempotency_key, applications.c.status,
                       applications.c.purged_at)
                .where(applications.c.id == application_id).with_for_update()).first()
            if row is None:
                raise ApplicationNotFoundError(S_("Application {id} does not exist."),
                                               id=application_id)
            if row.status != ApplicationStatus.IN_REVIEW.value or row.purged_at is not None:
                raise StatusError(S_("Only an application in review can be corrected "
                                     "(this one is {status})."), status=row.status)
            connection.execute(update(applications).where(applications.c.id == application_id)
                               .values(answers_sealed=sealer.seal(answers, row.idempotency_key),
                                       answers_key_id=sealer.key_id,
                                       answer_count=len(answers)))
            if corrected:
                connection.execute(insert(application_corrections), [
                    {"application_id": application_id, "field_id": field_id,
                     "staff_id": staff_id, "at": now} for field_id in corrected])
        # Field ids name the form's fields, never their values.
        _log.info("application %d: staff %d corrected %s", application_id, staff_id,
                  ",".join(sorted(corrected)))

    def corrections(self, application_id: int) -> list[Correction]:
        """Who corrected which field of the application when, oldest first."""
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(application_corrections.c.field_id, application_corrections.c.staff_id,
                       application_corrections.c.at)
                .where(application_corrections.c.application_id == application_id)
                .order_by(application_corrections.c.id)).all()
        return [Correction(row.field_id, row.staff_id, row.at) for row in rows]

    def set_status(self, application_id: int, status: ApplicationStatus,
                   staff_id: int | None, *, return_reason: str = "") -> None:
        """Move an application along its review flow, recording who did it.

        ``return_reason`` (the key of a fixed return reason) is stored with a move to
        "returned"; the citizen is told that reason in their own language.

        Raises:
            StatusError: the move is not part of the flow.
            ValueError: a reason with a move other than to "returned".
        """
        if return_reason and status is not ApplicationStatus.RETURNED:
            raise ValueError("a return reason goes only with a move to 'returned'")
        now = self._clock.now()
        with transaction(self._engine, write=True) as connection:
            current = connection.execute(
                select(applications.c.status).where(applications.c.id == application_id)
                .with_for_update()).scalar()
            if current is None:
                raise ApplicationNotFoundError(S_("Application {id} does not exist."),
                                          id=application_id)
            before = ApplicationStatus(current)
            if status not in STATUS_FLOW[before]:
                raise StatusError(S_("An application that is {before} cannot become {after}."),
                                  before=before.value, after=status.value)
            values: dict[str, object] = {"status": status.value}
            if return_reason:
                values["return_reason"] = return_reason
            if status in FINISHED:
                values["finished_at"] = now
            connection.execute(update(applications)
                               .where(applications.c.id == application_id).values(**values))
            connection.execute(insert(application_events).values(
                application_id=application_id, from_status=before.value,
                to_status=status.value, staff_id=staff_id, at=now))

    def purge_answers(self, finished_before: datetime) -> int:
        """Delete the answers of applications finished before ``finished_before``.

        The row stays (form, language, status, times): the anonymous figures need it.

        Returns:
            how many applications were purged now.
        """
        now = self._clock.now()
        with transaction(self._engine, write=True) as connection:
            result = connection.execute(
                update(applications)
                .where(applications.c.status.in_([s.value for s in FINISHED]),
                       applications.c.finished_at < finished_before,
                       applications.c.purged_at.is_(None))
                .values(answers_sealed=None, answers_key_id=None, purged_at=now))
            return result.rowcount
