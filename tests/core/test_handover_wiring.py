"""The composition root wires [export]: on approval the application is handed on; a broken
mapping or an unknown system stops the start with a message, not later at the desk."""

from __future__ import annotations

import pytest

from devices.export import MemorySpool
from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.domain.application import ApplicationStatus, Submission
from kiosk.domain.staff import Role
from kiosk.errors import ConfigError
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored


def _services(tmp_path, **environ):
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path),
                                        "KIOSK_AUDIT_FSYNC": "false", **environ})
    return build_services(config, demo=True)


def test_build_services__export_simulated__approval_hands_on(tmp_path):
    services = _services(tmp_path, KIOSK_EXPORT_KIND="simulated")
    try:
        form = services.forms.forms["kokuho"]
        app_id = services.submissions.submit(Submission(
            form.id, form.version, "ja", to_stored(sample_session(form)))).application_id
        staff = services.storage.staff.add("clerk1", "窓口", Role.CLERK, "scrypt$x")

        services.review.open(app_id, staff).approve()

        assert services.handover is not None
        spool = services.handover.spool
        assert isinstance(spool, MemorySpool)
        assert sorted(spool.folders) == ["kokuho"]
        assert services.storage.applications.get(app_id, services.review.sealer).status \
            is ApplicationStatus.APPROVED
    finally:
        services.close()


def test_build_services__export_off__no_handover(tmp_path):
    services = _services(tmp_path)
    try:
        assert services.handover is None
        assert services.review.handover is None
    finally:
        services.close()


@pytest.mark.parametrize(("environ", "expected"), [
    ({"KIOSK_EXPORT_KIND": "folder"}, "needs folder"),
    ({"KIOSK_EXPORT_KIND": "simulated", "KIOSK_EXPORT_SYSTEMS": "juki,nosuch"}, "nosuch"),
])
def test_build_services__export_misconfigured__refused_with_message(tmp_path, environ, expected):
    with pytest.raises(ConfigError) as raised:
        _services(tmp_path, **environ)

    assert expected in raised.value.english()
