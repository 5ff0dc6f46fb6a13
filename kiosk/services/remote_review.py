"""Shared review during a remote call (リモート窓口): the specialist reviews the visitor's
application; the branch clerk sees what was changed.

A remote ticket names the visitor's queue ticket at the branch (``visit_ticket_id``). The
specialist at the main office opens its application in the same review as a local counter
(:class:`~kiosk.services.review.ReviewService`: corrections with reasons, approval), on the
shared database. The branch desk looks for changes without opening anything
(:meth:`RemoteReview.marks`: ids, statuses and correction counts), and only when they changed
reads the corrections (field, old value, new value, reason), recorded as a view like any
clerk's. Values are personal data: they are shown, never logged or kept by this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.application import ApplicationStatus
from kiosk.domain.remote import RemoteTicket
from kiosk.domain.staff import StaffMember
from kiosk.procedures.session import Provenance
from kiosk.services.review import ReviewField, ReviewService, ReviewSession

__all__ = ["RemoteReview", "ReviewedApplication"]


@dataclass(frozen=True)
class ReviewedApplication:
    """One of the visitor's applications as the branch sees it during the call."""

    application_id: int
    title: str
    status: ApplicationStatus
    changes: tuple[ReviewField, ...]     # the fields a clerk corrected (original, reason)

    def __repr__(self) -> str:
        return f"ReviewedApplication({self.application_id}, {self.status}, {len(self.changes)} changes)"


class RemoteReview:
    """The review of a remote ticket's visitor, for both desks of the call."""

    def __init__(self, review: ReviewService) -> None:
        self._review = review

    def open(self, remote: RemoteTicket, staff: StaffMember) -> ReviewSession | None:
        """The visitor's first application, opened for review by the specialist ``staff``;
        ``None`` when the request named no visitor or the visitor has no application."""
        if remote.visit_ticket_id is None:
            return None
        ids = self._review.applications_for_ticket(remote.visit_ticket_id)
        return self._review.open(ids[0], staff) if ids else None

    def marks(self, remote: RemoteTicket) -> tuple[tuple[int, str, int], ...]:
        """What changes when a reviewer acts (statuses, correction counts); opens nothing."""
        if remote.visit_ticket_id is None:
            return ()
        return tuple(self._review.store.review_marks(remote.visit_ticket_id))

    def changes(self, remote: RemoteTicket, staff: StaffMember) -> list[ReviewedApplication]:
        """The visitor's applications with what clerks corrected, read by the branch clerk
        ``staff`` (each read is recorded as a view; no status changes)."""
        if remote.visit_ticket_id is None:
            return []
        seen = []
        for application_id in self._review.applications_for_ticket(remote.visit_ticket_id):
            session = self._review.look(application_id, staff)
            corrected = tuple(field for field in session.fields()
                              if field.provenance is Provenance.CLERK)
            seen.append(ReviewedApplication(application_id, session.title, session.status, corrected))
        return seen
