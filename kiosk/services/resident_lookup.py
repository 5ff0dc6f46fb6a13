"""Resident lookup at the clerk's desk: find, see the household and 本籍, fill the review.

Read-only and for the clerk desk only (``kiosk.app`` never builds a register on a tablet).
Looking up is a right of its own (:class:`kiosk.domain.lookup_right.LookupGrant`), granted by
an admin per staff member until the fiscal year's end; 本籍 and 筆頭者 need a grant that
includes them. Every search and every view is in the usage log as the 宛名番号 of the residents
concerned, the staff id and the time, never what was typed or shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.audit import NULL_USAGE, RegisterSearched, RegisterViewed, UsageRecorder
from kiosk.audit.events import StaffChanged
from kiosk.domain.lookup_right import LookupGrant, fiscal_year_end
from kiosk.domain.resident import Household, Resident, relation_code
from kiosk.domain.resident_query import QueryKind, parse_query
from kiosk.domain.staff import Role, StaffMember
from kiosk.errors import UserFacingError
from kiosk.i18n import S_
from kiosk.ports import Clock, ResidentRegister
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition
from kiosk.services.review import ReviewSession
from kiosk.services.staff import NotAllowedError
from kiosk.storage.lookup_grants import LookupGrantStore
from kiosk.storage.staff_store import StaffNotFoundError, StaffStore

__all__ = [
    "FILL_PARTS",
    "LookupNotAllowedError",
    "LookupResult",
    "RegisterMissingError",
    "ResidentLookup",
    "register_fill",
]

FILL_PARTS = ("household", "honseki")
# Fields a card value fills, and the resident's item the register compares with them.
_CARD_ITEMS = {"card.name": "name", "card.reading": "kana", "card.address": "address",
               "card.birth_date": "birth_date", "card.sex": "sex"}
# A household table's columns, and the resident's item that fills each.
_MEMBER_ITEMS = {"name": "name", "reading": "kana", "birth_date": "birth_date", "sex": "sex"}


class LookupNotAllowedError(UserFacingError):
    """The staff member has no valid lookup right (or not one including 本籍)."""


class RegisterMissingError(UserFacingError):
    """No resident register is configured on this PC (``[register] kind = "none"``)."""


@dataclass(frozen=True)
class LookupResult:
    """The residents found (at most the limit, by 宛名番号) and whether there were more."""

    kind: QueryKind
    residents: tuple[Resident, ...]
    more: bool = False


class ResidentLookup:
    """The lookup use cases; ``register`` is ``None`` where none is configured."""

    def __init__(self, register: ResidentRegister | None, grants: LookupGrantStore,
                 staff: StaffStore, clock: Clock, usage: UsageRecorder = NULL_USAGE,
                 *, limit: int = 50) -> None:
        self.register = register
        self._grants = grants
        self._staff = staff
        self._clock = clock
        self._usage = usage
        self.limit = limit

    @property
    def available(self) -> bool:
        """Whether this PC has a register to look in."""
        return self.register is not None

    # ------------------------------------------------------------ the right
    def right(self, member: StaffMember) -> LookupGrant | None:
        """``member``'s grant valid today, or ``None``."""
        return self._grants.valid_for(member.id, self._clock.now().date())

    def may_look_up(self, member: StaffMember) -> bool:
        """Whether ``member`` may look residents up today on this PC."""
        return self.available and member.active and self.right(member) is not None

    def _require(self, member: StaffMember, *, honseki: bool = False) -> tuple[
            ResidentRegister, LookupGrant]:
        if self.register is None:
            raise RegisterMissingError(S_("No resident register is configured on this PC."))
        grant = self.right(member) if member.active else None
        if grant is None:
            raise LookupNotAllowedError(S_(
                "You have no right to look residents up (or it ended on 31 March). Ask an "
                "admin for it."))
        if honseki and not grant.honseki:
            raise LookupNotAllowedError(S_("Your lookup right does not include the 本籍."))
        return self.register, grant

    # ------------------------------------------------------------ lookups
    def find(self, member: StaffMember, text: str) -> LookupResult:
        """The residents matching what ``member`` typed (see :func:`parse_query`).

        Raises:
            LookupNotAllowedError, RegisterMissingError, QueryError.
        """
        register, _grant = self._require(member)
        query = parse_query(text)
        found = tuple(register.find(query, self.limit + 1))
        shown = found[:self.limit]
        self._usage.record(RegisterSearched(staff=member.id, key=query.kind.value,
                                            found=len(shown),
                                            residents=tuple(one.id for one in shown)))
        return LookupResult(query.kind, shown, more=len(found) > self.limit)

    def household(self, member: StaffMember, resident_id: str) -> Household | None:
        """The household of ``resident_id``; 本籍 and 筆頭者 blanked unless the right has them."""
        register, grant = self._require(member)
        household = register.household(resident_id)
        if household is None:
            return None
        self._usage.record(RegisterViewed(
            staff=member.id, resident=resident_id,
            part="honseki" if grant.honseki else "household",
            members=tuple(one.id for one in household.members)))
        if grant.honseki:
            return household
        return Household(household.id, tuple(
            dataclasses.replace(one, honseki="", hittosha="") for one in household.members))

    def fill(self, member: StaffMember, review: ReviewSession, resident_id: str,
             parts: Collection[str]) -> tuple[list[str], list[str]]:
        """Fill the open application from ``resident_id``'s household and/or 本籍 in one
        action (values marked "register"); returns the field ids filled and left out.

        Raises:
            LookupNotAllowedError: no right, or 本籍 asked without it.
            kiosk.services.review.ReviewError: not in review, or nothing of it on this form.
        """
        register, _grant = self._require(member, honseki="honseki" in parts)
        household = register.household(resident_id)
        resident = register.resident(resident_id)
        if household is None or resident is None:
            raise UserFacingError(S_("The resident is no longer in the register."))
        values, beside = register_fill(review.session.definition, resident, household, parts)
        if not values:
            raise UserFacingError(S_("This form has no household table or 本籍 to fill."))
        filled = review.fill_from_register(values, beside)
        self._usage.record(RegisterViewed(
            staff=member.id, resident=resident_id, part="fill",
            members=tuple(one.id for one in household.members),
            application=review.application.id))
        return filled

    # ------------------------------------------------------------ grants (an admin's)
    def grant(self, login: str, *, by: StaffMember, honseki: bool = False) -> LookupGrant:
        """Give ``login`` the lookup right until this fiscal year's end (31 March).

        Raises:
            NotAllowedError: ``by`` is not an admin, or ``login`` is an auditor's account.
            StaffNotFoundError: no such login.
        """
        member = self._member(login, by)
        if member.role is Role.AUDITOR:
            raise NotAllowedError(S_("An auditor's account cannot look residents up."))
        grant = self._grants.grant(member.id, honseki=honseki, by=by.id,
                                   expires_on=fiscal_year_end(self._clock.now().date()))
        self._usage.record(StaffChanged(staff=member.id, change="lookup_granted",
                                        role=member.role.value, by=by.id))
        return grant

    def grant_for_demo(self, member: StaffMember) -> LookupGrant:
        """The demo clerk's right, 本籍 included (``kiosk demo`` on its own database only)."""
        return self.right(member) or self._grants.grant(
            member.id, honseki=True, by=None, expires_on=fiscal_year_end(self._clock.now().date()))

    def revoke(self, login: str, *, by: StaffMember) -> int:
        """End ``login``'s lookup right now; returns how many grants ended."""
        member = self._member(login, by)
        count = self._grants.revoke(member.id, by=by.id)
        self._usage.record(StaffChanged(staff=member.id, change="lookup_revoked",
                                        role=member.role.value, by=by.id))
        return count

    def rights(self) -> list[tuple[StaffMember, LookupGrant]]:
        """Every valid grant today with its staff member, by login."""
        members = {member.id: member for member in self._staff.list()}
        grants = self._grants.valid(self._clock.now().date())
        return sorted(((members[g.staff_id], g) for g in grants if g.staff_id in members),
                      key=lambda pair: pair[0].login)

    def _member(self, login: str, by: StaffMember) -> StaffMember:
        if by.role is not Role.ADMIN:
            raise NotAllowedError(S_("Only an admin can grant or revoke the lookup right."))
        member = next((one for one in self._staff.list() if one.login == login), None)
        if member is None:
            raise StaffNotFoundError(S_("There is no staff account '{login}'."), login=login)
        return member


def register_fill(form: FormDefinition, resident: Resident, household: Household,
                  parts: Collection[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the register gives ``form``: values of the fields to fill (a household table, the
    世帯主's name, 本籍 and 筆頭者) and the register's values of the card's fields (shown beside
    the card's when they differ)."""
    values: dict[str, Any] = {}
    for item in form.fields:
        if "household" in parts:
            values.update(_household_values(item, household))
        if "honseki" in parts and item.id in ("honseki", "hittosha"):
            value = resident.honseki if item.id == "honseki" else resident.hittosha
            if value:
                values[item.id] = value
    beside = {item.id: getattr(resident, _CARD_ITEMS[item.prefill]) for item in form.fields
              if item.prefill in _CARD_ITEMS and getattr(resident, _CARD_ITEMS[item.prefill])}
    return values, beside


def _household_values(item: FieldDef, household: Household) -> Mapping[str, Any]:
    if item.id == "household_head" and household.head is not None:
        return {item.id: household.head.name}
    children = {child.id for child in item.fields}
    if item.type is not FieldType.GROUP or "relation" not in children:
        return {}
    rows = []
    for member in household.members[:item.repeat_max]:
        row: dict[str, Any] = {column: getattr(member, source)
                               for column, source in _MEMBER_ITEMS.items() if column in children}
        row["relation"] = relation_code(member.relation)
        rows.append(row)
    return {item.id: rows}
