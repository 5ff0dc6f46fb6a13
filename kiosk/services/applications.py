"""Submitting applications from the tablet, through the local outbox, exactly once.

The tablet seals the answers, writes them to its outbox, then delivers. When the shared
database is unreachable the application waits in the outbox (still encrypted), the citizen is
told plainly to go to the counter, and a courier delivers it when the database is back. The
shared database's unique idempotency key turns any repeat delivery into a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.audit.events import FormSubmitted
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.domain.application import Provenance, Submission
from kiosk.domain.signature import SIGNATURE_KEY
from kiosk.i18n import N_
from kiosk.ports import Clock
from kiosk.storage.application_store import ApplicationStore, SealedSubmission
from kiosk.storage.outbox import Outbox
from kiosk.storage.sealing import AnswerSealer

__all__ = ["OFFLINE_MESSAGE", "SubmissionService", "SubmitResult", "submitted_event"]

OFFLINE_MESSAGE = N_("Your application is saved on this tablet. The connection to the counter "
                     "system is down, so please go to the counter and show your ticket number.")


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """What happened to a submission."""

    idempotency_key: str
    application_id: int | None     # None while it waits in the outbox
    message_id: str = ""           # for the citizen when it waits (OFFLINE_MESSAGE)

    @property
    def delivered(self) -> bool:
        """Whether the shared database holds the application now."""
        return self.application_id is not None


class SubmissionService:
    """Seals, stores locally, and delivers citizens' applications."""

    def __init__(self, store: ApplicationStore, outbox: Outbox, sealer: AnswerSealer,
                 clock: Clock, usage: UsageRecorder = NULL_USAGE) -> None:
        self._store = store
        self._usage = usage
        self._outbox = outbox
        self._sealer = sealer
        self._clock = clock

    def seal(self, submission: Submission) -> SealedSubmission:
        """Encrypt the answers, bound to the submission's idempotency key."""
        return SealedSubmission(
            idempotency_key=submission.idempotency_key, form_id=submission.form_id,
            form_version=submission.form_version, language=submission.language,
            ticket_id=submission.ticket_id, answer_count=len(submission.answers),
            key_id=self._sealer.key_id,
            sealed=self._sealer.seal(submission.answers, submission.idempotency_key),
            submitted_at=self._clock.now(),
        )

    def submit(self, submission: Submission) -> SubmitResult:
        """Store ``submission`` locally first, then deliver it; never raises for an outage."""
        key = submission.idempotency_key
        self._outbox.put(self.seal(submission))
        delivered = self._outbox.deliver(self._store, late=False, only_key=key)
        result = (SubmitResult(key, delivered[key]) if key in delivered
                  else SubmitResult(key, None, OFFLINE_MESSAGE))
        self._usage.record(submitted_event(submission, result.application_id))
        return result

    def deliver_pending(self) -> int:
        """Deliver what waits in the outbox (the courier calls this); returns how many."""
        return len(self._outbox.deliver(self._store, late=True))

    def pending(self) -> int:
        """How many applications wait in the outbox."""
        return self._outbox.pending()


def submitted_event(submission: Submission, application_id: int | None) -> FormSubmitted:
    """The usage event of a submission: how many answers came from where, never a value."""
    count = {kind: 0 for kind in Provenance}
    for field_id, answer in submission.answers.items():
        if field_id != SIGNATURE_KEY:        # a signature is no typed field
            count[answer.provenance] += 1
    return FormSubmitted(
        form=submission.form_id, version=submission.form_version, language=submission.language,
        ticket=submission.ticket_id, application=application_id,
        card_fields=count[Provenance.CARD] + count[Provenance.CARD_UNVERIFIED],
        # A visit's answer was typed once for all its forms (stored as "citizen" until 2026-12).
        typed_fields=count[Provenance.CITIZEN] + count[Provenance.VISIT],
        corrected_fields=count[Provenance.CLERK], default_fields=count[Provenance.DEFAULT],
        delivered=application_id is not None)
