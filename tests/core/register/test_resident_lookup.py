"""The lookup use case: the right per staff member until 31 March, 本籍 only with it, the usage
log (ids only), and the review's one-action household / 本籍 fill with its provenance."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiosk.app import Services, build_services
from kiosk.audit import ListUsage, RegisterSearched, RegisterViewed
from kiosk.config import load_config
from kiosk.domain.application import Provenance as StoredProvenance
from kiosk.domain.application import Submission
from kiosk.domain.lookup_right import fiscal_year_end
from kiosk.domain.staff import Role, StaffMember
from kiosk.procedures.sample import sample_session
from kiosk.procedures.session import Answer, Provenance
from kiosk.procedures.stored import to_stored
from kiosk.services.resident_lookup import (
    LookupNotAllowedError,
    RegisterMissingError,
    ResidentLookup,
)
from kiosk.services.staff import NotAllowedError, StaffService
from kiosk.storage.database import open_storage
from kiosk.storage.sealing import generate_key_text


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


@dataclass
class Desk:
    services: Services
    lookup: ResidentLookup
    usage: ListUsage
    clock: FixedClock
    admin: StaffMember
    clerk: StaffMember
    auditor: StaffMember


@pytest.fixture
def desk(tmp_path: Path, database_url: str):
    config = load_config(None, environ={
        "KIOSK_DEVICE_ROLE": "clerk", "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_DATABASE_URL": database_url, "KIOSK_DATABASE_ANSWERS_KEY": generate_key_text(),
        "KIOSK_REGISTER_KIND": "synthetic", "KIOSK_SPEECH_KIND": "file",
        "KIOSK_PRINTER_KIND": "file"})
    clock = FixedClock(datetime(2026, 12, 5, 1, 0, tzinfo=UTC))
    open_storage(database_url, clock, auto_upgrade=True).close()   # `kiosk db upgrade`
    services = build_services(config, clock=clock)
    staff = StaffService(services.storage.staff)
    admin = staff.add("admin1", "管理者", Role.ADMIN, "admin-password-1")
    clerk = staff.add("clerk1", "窓口一郎", Role.CLERK, "clerk-password-1")
    auditor = staff.add("audit1", "監査", Role.AUDITOR, "audit-password-1")
    assert services.resident_lookup is not None
    usage = ListUsage()
    lookup = ResidentLookup(services.resident_lookup.register, services.storage.lookup_grants,
                            services.storage.staff, clock, usage)
    yield Desk(services, lookup, usage, clock, admin, clerk, auditor)
    services.close()


@pytest.mark.parametrize(("today", "end"), [
    (date(2026, 4, 1), date(2027, 3, 31)), (date(2026, 12, 5), date(2027, 3, 31)),
    (date(2027, 3, 31), date(2027, 3, 31)), (date(2027, 1, 2), date(2027, 3, 31)),
])
def test_fiscal_year_end__any_day__the_next_31_march(today: date, end: date) -> None:
    assert fiscal_year_end(today) == end


def test_find__no_grant__refused(desk: Desk) -> None:
    with pytest.raises(LookupNotAllowedError):
        desk.lookup.find(desk.clerk, "さとう")
    assert desk.usage.events == []


def test_find__granted__found_and_logged_as_ids_only(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)

    result = desk.lookup.find(desk.clerk, "さとう")

    assert result.residents
    assert all(one.kana.startswith("サトウ") for one in result.residents)
    [event] = [e for e in desk.usage.events if isinstance(e, RegisterSearched)]
    assert (event.staff, event.key, event.found) == (desk.clerk.id, "kana", len(result.residents))
    assert event.residents == tuple(one.id for one in result.residents)
    logged = json.dumps([e.data() for e in desk.usage.events], ensure_ascii=False)
    assert "サトウ" not in logged
    assert "佐藤" not in logged


def test_grant__after_31_march__right_ended(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)
    assert desk.lookup.may_look_up(desk.clerk)

    desk.clock.at = datetime(2027, 3, 31, 14, 0, tzinfo=UTC)
    assert desk.lookup.may_look_up(desk.clerk)
    desk.clock.at = datetime(2027, 4, 1, 1, 0, tzinfo=UTC)

    assert not desk.lookup.may_look_up(desk.clerk)
    with pytest.raises(LookupNotAllowedError):
        desk.lookup.find(desk.clerk, "19800101")


def test_revoke__granted__refused_at_once(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)
    assert desk.lookup.revoke("clerk1", by=desk.admin) == 1

    with pytest.raises(LookupNotAllowedError):
        desk.lookup.find(desk.clerk, "さとう")
    assert desk.lookup.rights() == []


@pytest.mark.parametrize("who", ["clerk", "auditor"])
def test_grant__by_a_non_admin__refused(desk: Desk, who: str) -> None:
    with pytest.raises(NotAllowedError):
        desk.lookup.grant("clerk1", by=getattr(desk, who))


def test_grant__to_an_auditor__refused(desk: Desk) -> None:
    with pytest.raises(NotAllowedError):
        desk.lookup.grant("audit1", by=desk.admin)


def test_household__grant_without_honseki__honseki_blank_and_viewed_logged(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)
    resident = desk.lookup.find(desk.clerk, "100000002").residents[0]

    household = desk.lookup.household(desk.clerk, resident.id)

    assert household is not None
    assert household.members[0].relation == "世帯主"
    assert all(one.honseki == "" and one.hittosha == "" for one in household.members)
    viewed = [e for e in desk.usage.events if isinstance(e, RegisterViewed)]
    assert [(e.resident, e.part) for e in viewed] == [(resident.id, "household")]


def test_household__grant_with_honseki__honseki_shown(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin, honseki=True)
    household = desk.lookup.household(desk.clerk, "100000001")
    assert household is not None
    assert household.members[0].honseki


def test_find__no_register_on_this_pc__clear_error(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)
    bare = ResidentLookup(None, desk.services.storage.lookup_grants,
                          desk.services.storage.staff, desk.clock)
    with pytest.raises(RegisterMissingError):
        bare.find(desk.clerk, "さとう")


def _submitted(desk: Desk, form_id: str, **changes: object) -> int:
    form = desk.services.forms.form(form_id)
    session = sample_session(form, today=date(2026, 12, 5))
    for field_id, value in changes.items():
        session.answers[field_id] = Answer(value, Provenance.CARD, locked=True)
    ticket = desk.services.queue.take_ticket("A")
    result = desk.services.submissions.submit(Submission(form.id, form.version, "ja",
                                                         to_stored(session),
                                                         ticket.ticket.id))
    assert result.application_id is not None
    return result.application_id


def test_fill__household__table_filled_marked_register_and_kept_on_reopen(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)
    application = _submitted(desk, "idou")
    review = desk.services.review.open(application, desk.clerk)
    household = desk.lookup.household(desk.clerk, "100000001")
    assert household is not None

    filled, left_out = desk.lookup.fill(desk.clerk, review, "100000001", ["household"])

    assert set(filled) == {"members", "household_head"}
    assert left_out == []
    reopened = desk.services.review.open(application, desk.clerk)
    members = reopened.session.value("members")
    assert [row["name"] for row in members] == [one.name for one in household.members][:6]
    assert members[0]["relation"] == "head"
    assert reopened.session.provenance("members") is Provenance.REGISTER
    stored = desk.services.storage.applications.get(application, desk.services.review.sealer)
    assert stored.answers["members"].provenance is StoredProvenance.REGISTER
    assert stored.answers["household_head"].provenance is StoredProvenance.REGISTER
    fill = [e for e in desk.usage.events if isinstance(e, RegisterViewed) and e.part == "fill"]
    assert [(e.resident, e.application) for e in fill] == [("100000001", application)]


def test_fill__honseki_without_that_right__refused(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)
    review = desk.services.review.open(_submitted(desk, "koseki"), desk.clerk)
    with pytest.raises(LookupNotAllowedError):
        desk.lookup.fill(desk.clerk, review, "100000001", ["honseki"])


def test_fill__honseki__filled_from_register(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin, honseki=True)
    review = desk.services.review.open(_submitted(desk, "koseki"), desk.clerk)
    resident = desk.lookup.register.resident("100000001")  # type: ignore[union-attr]
    assert resident is not None

    desk.lookup.fill(desk.clerk, review, "100000001", ["honseki"])

    field = next(f for f in review.fields() if f.field_id == "honseki")
    assert (field.value, field.provenance) == (resident.honseki, Provenance.REGISTER)


def test_fill__card_value_differs__card_kept_register_shown_beside(desk: Desk) -> None:
    desk.lookup.grant("clerk1", by=desk.admin)
    resident = desk.lookup.register.resident("100000001")  # type: ignore[union-attr]
    assert resident is not None
    application = _submitted(desk, "idou", applicant_name="登米\u3000花子")
    review = desk.services.review.open(application, desk.clerk)

    desk.lookup.fill(desk.clerk, review, "100000001", ["household"])

    name = next(f for f in review.fields() if f.field_id == "applicant_name")
    assert (name.value, name.provenance) == ("登米\u3000花子", Provenance.CARD)
    assert name.register_value == resident.name


def test_provenance__register_answer__sealed_and_restored_not_citizen(desk: Desk) -> None:
    application = _submitted(desk, "koseki")
    review = desk.services.review.open(application, desk.clerk)
    review.fill_from_register({"honseki": "宮城県登米市迫町佐沼字中江1番地"}, {})
    stored = desk.services.storage.applications.get(application, desk.services.review.sealer)
    assert stored.answers["honseki"].provenance is StoredProvenance.REGISTER
    assert replace(stored.answers["honseki"]).provenance.value == "register"
    reopened = desk.services.review.open(application, desk.clerk)
    assert reopened.session.provenance("honseki") is Provenance.REGISTER
