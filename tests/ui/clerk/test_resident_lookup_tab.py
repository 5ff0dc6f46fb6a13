"""住民照会 at the clerk desktop: only with the right, search, household, one-action fill, lock."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from devices.register.synthetic import SyntheticRegister
from kiosk.domain.application import Submission
from kiosk.domain.staff import Role
from kiosk.procedures.sample import sample_session
from kiosk.procedures.session import Provenance
from kiosk.procedures.stored import to_stored
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.staff import StaffService

from ..clipping import clipped_texts
from .conftest import PASSWORD

pytestmark = pytest.mark.gui


@pytest.fixture
def lookup(world):
    services = world.services
    services.resident_lookup = ResidentLookup(
        SyntheticRegister(2000), services.storage.lookup_grants, services.storage.staff,
        services.clock, services.usage)
    admin = StaffService(services.storage.staff).add("admin9", "管理", Role.ADMIN, PASSWORD)
    return services.resident_lookup, admin


def _login(qtbot, window, login="clerk1"):
    window.login.login.setText(login)
    window.login.password.setText(PASSWORD)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)


def _tabs(window):
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_desk__no_lookup_right__no_lookup_tab(qtbot, window, lookup):
    _login(qtbot, window)
    assert "住民照会" not in _tabs(window)
    assert window.resident_lookup is None


def test_lookup_tab__search_by_hiragana__matches_and_household_shown_whole(qtbot, window,
                                                                          lookup):
    service, admin = lookup
    service.grant("clerk1", by=admin)
    _login(qtbot, window)
    assert "住民照会" in _tabs(window)
    tab = window.resident_lookup

    tab.search("100000002")

    assert [one.id for one in tab.residents] == ["100000002"]
    assert tab.household is not None
    texts = [tab.members.item(row, 1).text() for row in range(tab.members.rowCount())]
    assert texts == [one.name for one in tab.household.members]
    assert tab.results.textElideMode() == Qt.TextElideMode.ElideNone
    assert not tab.fill_honseki.isEnabled()        # the right has no 本籍
    tab.search("さとう")
    assert tab.residents
    assert all(one.kana.startswith("サトウ") for one in tab.residents)


def test_lookup_tab__bad_date__translated_message(qtbot, window, lookup):
    service, admin = lookup
    service.grant("clerk1", by=admin)
    _login(qtbot, window)
    window.resident_lookup.search("4310501")
    assert "存在する和暦の日付ではありません" in window.resident_lookup.message.text()


def test_lookup_tab__fill_household__review_shows_register_values(qtbot, window, world,
                                                                  lookup):
    service, admin = lookup
    service.grant("clerk1", by=admin, honseki=True)
    form = world.services.forms.form("idou")
    session = sample_session(form, today=date(2026, 12, 5))
    result = world.services.submissions.submit(Submission(form.id, form.version, "ja",
                                                          to_stored(session), None))
    _login(qtbot, window)
    staff = world.services.storage.staff.list()
    clerk = next(one for one in staff if one.login == "clerk1")
    window.review.show_application(world.services.review.open(result.application_id, clerk))
    tab = window.resident_lookup
    tab.search("100000001")

    qtbot.mouseClick(tab.fill_household, Qt.MouseButton.LeftButton)

    assert "住民記録から反映しました" in tab.message.text()
    members = next(f for f in window.review.fields if f.field_id == "members")
    assert members.provenance is Provenance.REGISTER
    row = [f.field_id for f in window.review.fields].index("members")
    assert "(住民記録)" in window.review.table.item(row, 0).text()


def test_lock__values_shown__cleared(qtbot, window, lookup):
    service, admin = lookup
    service.grant("clerk1", by=admin)
    _login(qtbot, window)
    window.resident_lookup.search("100000002")

    window.lock()

    tab = window.resident_lookup
    assert (tab.results.rowCount(), tab.members.rowCount(), tab.query.text()) == (0, 0, "")


def test_lookup_tab__desk_size__every_text_shown_whole(qtbot, window, lookup):
    service, admin = lookup
    service.grant("clerk1", by=admin, honseki=True)
    window.resize(1400, 900)
    _login(qtbot, window)
    window.tabs.setCurrentWidget(window.resident_lookup)
    window.resident_lookup.search("100000012")
    qtbot.waitExposed(window)

    assert window.resident_lookup.members.rowCount() >= 1
    # The layout settles on the next turns of the event loop; then nothing may be cut off.
    qtbot.waitUntil(lambda: clipped_texts(window.resident_lookup) == [], timeout=3000)
