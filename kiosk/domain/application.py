"""Applications a citizen submits at the tablet and a clerk reviews.

An application holds the answers of one form (with where each answer came from: the card, the
citizen, the clerk) and links to the citizen's ticket. Answers are personal data: their repr is
masked, storage encrypts them, and the retention job deletes them once the application is
finished, keeping only the anonymous figures (form, language, times, status).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "Application",
    "ApplicationStatus",
    "Provenance",
    "StoredAnswer",
    "Submission",
    "new_idempotency_key",
]


class ApplicationStatus(enum.StrEnum):
    """Where an application is in review."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    RETURNED = "returned"    # sent back to the citizen for a correction
    PRINTED = "printed"
    FILED = "filed"        # stored as the city-signed PDF instead of printed
    DONE = "done"


# Status -> the statuses it may move to.
STATUS_FLOW: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.SUBMITTED: frozenset({ApplicationStatus.IN_REVIEW}),
    ApplicationStatus.IN_REVIEW: frozenset({ApplicationStatus.APPROVED,
                                            ApplicationStatus.RETURNED}),
    ApplicationStatus.RETURNED: frozenset({ApplicationStatus.IN_REVIEW}),
    ApplicationStatus.APPROVED: frozenset({ApplicationStatus.PRINTED, ApplicationStatus.FILED}),
    ApplicationStatus.FILED: frozenset({ApplicationStatus.DONE}),
    ApplicationStatus.PRINTED: frozenset({ApplicationStatus.DONE, ApplicationStatus.PRINTED}),
    ApplicationStatus.DONE: frozenset(),
}

FINISHED = frozenset({ApplicationStatus.DONE})


class Provenance(enum.StrEnum):
    """Where an answer came from: the one list for the form session and storage alike.

    A stored value is never renamed (stored applications keep it); a new source is a new member.
    """

    CARD = "card"          # read from the My Number card, verified against the issuer
    # Read from the card when only the digest was checked (no issuer CA key configured): a
    # forger computes that digest too, so the clerk is told.
    CARD_UNVERIFIED = "card-unverified"
    CITIZEN = "citizen"    # typed or chosen by the citizen
    # Answered once for the whole visit (a life event's moving date) and copied into the form;
    # applications stored before it was kept say "citizen" for these.
    VISIT = "visit"
    CLERK = "clerk"        # corrected by the clerk
    DEFAULT = "default"    # the form's default, untouched
    REGISTER = "register"  # filled by the clerk from the resident register (住民記録)


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """One answered field. ``value`` is personal data: it never appears in a repr.

    A clerk's correction (provenance ``clerk``) also keeps the clerk's ``reason`` and the
    ``original`` stored text it replaced (``None`` when the field had no answer before), and
    where that text came from (``original_provenance``; ``None`` for corrections stored before
    it was kept): the review shows them side by side. ``original`` is personal data too.
    """

    value: str
    provenance: Provenance
    reason: str = ""
    original: str | None = None
    original_provenance: Provenance | None = None

    def __repr__(self) -> str:
        return f"StoredAnswer(value=<{len(self.value)} chars>, provenance={self.provenance.value})"


def new_idempotency_key() -> str:
    """A fresh key that names one submission across retries and outages."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Submission:
    """What the tablet sends when the citizen submits: delivered exactly once by its key."""

    form_id: str
    form_version: str
    language: str
    answers: Mapping[str, StoredAnswer] = field(repr=False)
    ticket_id: int | None = None
    idempotency_key: str = field(default_factory=new_idempotency_key)

    def __repr__(self) -> str:
        return (f"Submission(form={self.form_id}@{self.form_version}, lang={self.language}, "
                f"answers=<{len(self.answers)} fields>, ticket={self.ticket_id}, "
                f"key={self.idempotency_key[:8]}…)")


@dataclass(frozen=True)
class Application:
    """A stored application. ``answers`` is empty once the retention job purged it."""

    id: int
    idempotency_key: str
    form_id: str
    form_version: str
    language: str
    status: ApplicationStatus
    ticket_id: int | None
    submitted_at: datetime
    finished_at: datetime | None
    purged: bool
    answers: Mapping[str, StoredAnswer] = field(repr=False, default_factory=dict)
    return_reason: str = ""    # the key of the last return reason (kiosk.services.review)

    def __repr__(self) -> str:
        return (f"Application(id={self.id}, form={self.form_id}@{self.form_version}, "
                f"status={self.status.value}, answers=<{len(self.answers)} fields>, "
                f"purged={self.purged})")
