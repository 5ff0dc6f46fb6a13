"""Staff logins: a growing delay after failures, a lockout a supervisor lifts, and the usage log.

The attack: guess a clerk's password at the login as fast as a script types. Before, every
guess was checked at once and nothing was recorded.
"""

from __future__ import annotations

import pytest

from kiosk.audit.events import (
    StaffChanged,
    StaffLocked,
    StaffLoggedIn,
    StaffLoginFailed,
    StaffUnlocked,
)
from kiosk.audit.recorder import ListUsage
from kiosk.config import StaffConfig
from kiosk.domain.staff import LoginPolicy, Role
from kiosk.errors import ConfigError
from kiosk.services.staff import (
    DEMO_LOGIN,
    DEMO_PASSWORD,
    AccountLockedError,
    LoginWaitError,
    NotAllowedError,
    StaffService,
    WrongLoginError,
    login_policy,
)

PASSWORD = "correct horse battery"
POLICY = LoginPolicy(lockout_after=3, first_delay_s=2, max_delay_s=60)


@pytest.fixture
def usage():
    return ListUsage()


@pytest.fixture
def staff(storage, usage):
    service = StaffService(storage.staff, usage, POLICY)
    service.add("sato", "佐藤 一郎", Role.CLERK, PASSWORD)
    service.add("chief", "課長", Role.SUPERVISOR, PASSWORD)
    return service


@pytest.mark.parametrize(("failures", "delay"), [
    (0, 0.0), (1, 2.0), (2, 4.0), (3, 8.0), (6, 60.0), (10_000, 60.0)])
def test_login_policy_delay__failures_in_a_row__doubles_up_to_the_limit(failures, delay):
    assert LoginPolicy(first_delay_s=2, max_delay_s=60).delay_s(failures) == delay


def test_log_in__brute_force_without_waiting__one_guess_checked_then_refused(staff, storage):
    guesses = [f"guess-{n:04d}-password" for n in range(50)] + [PASSWORD]

    outcomes = []
    for guess in guesses:
        try:
            staff.log_in("sato", guess)
            outcomes.append("in")
        except (WrongLoginError, LoginWaitError, AccountLockedError) as exc:
            outcomes.append(type(exc).__name__)

    # The first guess was checked; every later one, the right password included, waited.
    assert outcomes[0] == "WrongLoginError"
    assert set(outcomes[1:]) == {"LoginWaitError"}
    assert storage.staff.credentials("sato")[2].failures == 1


def test_log_in__guesses_spaced_by_the_delay__locked_after_n_even_with_the_password(
        staff, clock):
    waits = []
    for n in range(POLICY.lockout_after):
        with pytest.raises((WrongLoginError, AccountLockedError)) as refused:
            staff.log_in("sato", f"wrong guess {n}")
        waits.append(refused.value.wait_s)
        clock.advance(seconds=refused.value.wait_s)

    assert waits == [2.0, 4.0, 0.0]
    assert isinstance(refused.value, AccountLockedError)
    clock.advance(hours=8)
    with pytest.raises(AccountLockedError):
        staff.log_in("sato", PASSWORD)


def test_log_in__failures_on_two_clerk_pcs__counted_together(storage, clock):
    first = StaffService(storage.staff, policy=POLICY)
    second = StaffService(storage.staff, policy=POLICY)
    first.add("sato", "佐藤", Role.CLERK, PASSWORD)

    with pytest.raises(WrongLoginError):
        first.log_in("sato", "not the password")
    with pytest.raises(LoginWaitError):          # the other PC waits the same delay
        second.log_in("sato", PASSWORD)
    for pc in (second, first):
        clock.advance(seconds=60)
        with pytest.raises((WrongLoginError, AccountLockedError)):
            pc.log_in("sato", "not the password")

    clock.advance(seconds=60)
    with pytest.raises(AccountLockedError):
        second.log_in("sato", PASSWORD)


def test_log_in__good_password_after_a_failure__failures_forgotten(staff, storage, clock):
    with pytest.raises(WrongLoginError):
        staff.log_in("sato", "not the password")
    clock.advance(seconds=2)

    assert staff.log_in("sato", PASSWORD).login == "sato"
    assert storage.staff.credentials("sato")[2].failures == 0


def test_log_in__many_logins_one_password__slowed_at_this_pc(staff, clock):
    with pytest.raises(WrongLoginError):
        staff.log_in("nobody-1", "spring2026 password")

    with pytest.raises(LoginWaitError):
        staff.log_in("nobody-2", "spring2026 password")
    clock.advance(seconds=2)
    with pytest.raises(WrongLoginError):
        staff.log_in("nobody-3", "spring2026 password")


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.CLERK, False), (Role.AUDITOR, False), (Role.SUPERVISOR, True), (Role.ADMIN, True)])
def test_unlock__by_role__only_supervisors_and_admins(staff, clock, role, allowed):
    asker = staff.add("asker", "x", role, PASSWORD)
    for _ in range(POLICY.lockout_after):
        with pytest.raises((WrongLoginError, AccountLockedError)):
            staff.log_in("sato", "not the password")
        clock.advance(minutes=5)

    if not allowed:
        with pytest.raises(NotAllowedError):
            staff.unlock("sato", by=asker)
        return
    assert staff.unlock("sato", by=asker).locked is False
    assert staff.log_in("sato", PASSWORD).login == "sato"


def test_usage__failed_logins_lockout_unlock__recorded_without_what_was_typed(
        staff, usage, clock):
    chief = staff.log_in("chief", PASSWORD)
    sato = next(m for m in staff.list() if m.login == "sato")
    clock.advance(seconds=1)
    with pytest.raises(WrongLoginError):
        staff.log_in("typed-by-mistake-Pa55word", "whatever was typed")
    for _ in range(POLICY.lockout_after):
        clock.advance(minutes=5)
        with pytest.raises((WrongLoginError, AccountLockedError)):
            staff.log_in("sato", "my-secret-guess")
    staff.unlock("sato", by=chief)

    kinds = [(type(e).__name__, e.data()) for e in usage.events
             if not isinstance(e, StaffChanged)]
    assert kinds == [
        ("StaffLoggedIn", {"staff": chief.id}),
        ("StaffLoginFailed", {"staff": None, "reason": "unknown", "failures": 0}),
        ("StaffLoginFailed", {"staff": sato.id, "reason": "wrong", "failures": 1}),
        ("StaffLoginFailed", {"staff": sato.id, "reason": "wrong", "failures": 2}),
        ("StaffLoginFailed", {"staff": sato.id, "reason": "wrong", "failures": 3}),
        ("StaffLocked", {"staff": sato.id, "failures": 3}),
        ("StaffUnlocked", {"staff": sato.id, "by": chief.id}),
    ]
    logged = repr([e.data() for e in usage.events])
    for typed in ("typed-by-mistake", "whatever", "my-secret-guess", "sato", PASSWORD):
        assert typed not in logged


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.CLERK, False), (Role.SUPERVISOR, False), (Role.AUDITOR, False), (Role.ADMIN, True)])
def test_staff_changes__by_role__only_admins_and_every_change_recorded(staff, usage, role,
                                                                        allowed):
    asker = staff.add("asker", "x", role, PASSWORD)
    changes = [lambda: staff.add("new1", "新人", Role.CLERK, PASSWORD, by=asker),
               lambda: staff.disable("sato", by=asker),
               lambda: staff.enable("sato", by=asker),
               lambda: staff.set_password("sato", "another long password", by=asker)]
    before = len(usage.of(StaffChanged))

    for change in changes:
        if allowed:
            change()
        else:
            with pytest.raises(NotAllowedError):
                change()

    recorded = [(e.change, e.by) for e in usage.of(StaffChanged)[before:]]
    assert recorded == ([("added", asker.id), ("disabled", asker.id), ("enabled", asker.id),
                         ("password", asker.id)] if allowed else [])


def test_add_first_admin__empty_table_only(storage, usage):
    staff = StaffService(storage.staff, usage, POLICY)

    first = staff.add_first_admin("admin", "管理者", PASSWORD)
    with pytest.raises(NotAllowedError):
        staff.add_first_admin("intruder", "侵入者", PASSWORD)

    assert first.role is Role.ADMIN
    assert [m.login for m in staff.list()] == ["admin"]
    assert [(e.change, e.by) for e in usage.of(StaffChanged)] == [("added", None)]
    for kind in (StaffLoggedIn, StaffLoginFailed, StaffLocked, StaffUnlocked):
        assert not usage.of(kind)


@pytest.mark.parametrize("values", [
    {"lockout_after": 0}, {"login_delay_s": -1.0}, {"login_delay_max_s": -5.0}])
def test_login_policy__impossible_staff_config__refused_naming_the_key(values):
    with pytest.raises(ConfigError) as refused:
        login_policy(StaffConfig(**values))

    assert next(iter(values)) in refused.value.english()


@pytest.mark.parametrize("left_as", ["missing", "locked", "disabled", "other password"])
def test_ensure_demo_account__any_state__demo_login_works(storage, clock, left_as):
    staff = StaffService(storage.staff, policy=POLICY)
    admin = staff.add("admin", "管理者", Role.ADMIN, PASSWORD)
    if left_as != "missing":
        staff.ensure_demo_account()
    if left_as == "locked":
        for _ in range(POLICY.lockout_after):
            with pytest.raises((WrongLoginError, AccountLockedError)):
                staff.log_in(DEMO_LOGIN, "a wrong guess")
            clock.advance(minutes=5)
    elif left_as == "disabled":
        staff.disable(DEMO_LOGIN, by=admin)
    elif left_as == "other password":
        staff.set_password(DEMO_LOGIN, "changed by someone", by=admin)

    staff.ensure_demo_account()

    clock.advance(minutes=5)
    assert staff.log_in(DEMO_LOGIN, DEMO_PASSWORD).role is Role.SUPERVISOR
