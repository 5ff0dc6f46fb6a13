"""``kiosk doctor``'s checks of [remote]: each configured camera, document camera and microphone
is found or reported missing with what to do; nothing is checked when the remote counter is off;
the doctor lists them."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from devices.remote.probe import open_device, remote_checks
from kiosk.config import RemoteConfig, load_config
from kiosk.doctor import Status


def _never_opened(name: str, kind: str) -> None:
    raise AssertionError(f"{kind} {name} should not be opened")


def _by_name(remote: RemoteConfig, **kw) -> dict:
    kw.setdefault("open_input", _never_opened)
    return {check.name: check for check in remote_checks(remote, **kw)}


def test_off__nothing_is_checked() -> None:
    assert remote_checks(RemoteConfig(kind="off")) == []


def test_missing_camera_and_document_camera__fail_with_the_setting_to_fix() -> None:
    checks = _by_name(RemoteConfig(kind="aiortc", host_addresses=("127.0.0.1",),
                                   camera="/dev/video97", document_camera="/dev/video98",
                                   microphone=""),
                      query=lambda node: pytest.fail("a missing node is not queried"))
    assert checks["remote.camera"].status is Status.FAIL
    assert checks["remote.camera"].detail == "camera /dev/video97 is missing"
    assert "[remote] camera" in checks["remote.camera"].fix
    assert checks["remote.document_camera"].status is Status.FAIL
    assert "[remote] document_camera" in checks["remote.document_camera"].fix
    assert checks["remote.microphone"].status is Status.WARN          # test tones would be sent
    assert checks["remote.addresses"].status is Status.OK


def test_a_node_that_is_no_camera__fails() -> None:
    # /dev/null is a character device that answers no V4L2 question (ENOTTY).
    checks = _by_name(RemoteConfig(kind="aiortc", host_addresses=("127.0.0.1",), camera="/dev/null"))
    assert checks["remote.camera"].status is Status.FAIL
    assert checks["remote.camera"].detail.startswith("/dev/null is not a camera")


def test_capture_node_is_found__a_metadata_node_is_not() -> None:
    cards = {"/dev/null": "UVC Camera (046d:0825)", "/dev/zero": None}
    checks = _by_name(RemoteConfig(kind="aiortc", host_addresses=("127.0.0.1",),
                                   camera="/dev/null", document_camera="/dev/zero"),
                      query=cards.__getitem__)
    assert checks["remote.camera"].status is Status.OK
    assert checks["remote.camera"].detail == "camera /dev/null: UVC Camera (046d:0825)"
    assert checks["remote.document_camera"].status is Status.FAIL
    assert "capture node" in checks["remote.document_camera"].fix


def test_microphone__opened_for_one_packet__or_a_clear_failure() -> None:
    opened: list[tuple[str, str]] = []
    checks = _by_name(RemoteConfig(kind="aiortc", host_addresses=("127.0.0.1",), microphone="default"),
                      open_input=lambda name, kind: opened.append((name, kind)))
    assert opened == [("default", "audio")]
    assert checks["remote.microphone"].status is Status.OK
    # A source that does not exist (with or without a sound server on this machine): fails.
    checks = _by_name(RemoteConfig(kind="aiortc", host_addresses=("127.0.0.1",),
                                   microphone="kiosk-no-such-source"),
                      open_input=open_device)
    assert checks["remote.microphone"].status is Status.FAIL
    assert "[remote] microphone" in checks["remote.microphone"].fix


def test_files_standing_in__simulated_needs_no_device(tmp_path: Path) -> None:
    clip = tmp_path / "tone.wav"
    with wave.open(str(clip), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48000)
        out.writeframes(b"\0\0" * 4800)
    checks = _by_name(RemoteConfig(kind="aiortc", host_addresses=("127.0.0.1",),
                                   document_camera=str(clip), microphone=str(clip)))
    assert checks["remote.document_camera"].status is Status.OK
    assert checks["remote.microphone"].status is Status.OK
    demo = _by_name(RemoteConfig(kind="simulated"))
    assert {check.status for check in demo.values()} == {Status.OK}
    assert "remote.addresses" not in demo


def test_an_address_not_of_this_machine__fails() -> None:
    checks = _by_name(RemoteConfig(kind="aiortc", host_addresses=("192.0.2.7",)))
    assert checks["remote.addresses"].status is Status.FAIL
    assert "192.0.2.7" in checks["remote.addresses"].detail


def test_kiosk_doctor_lists_the_remote_checks(tmp_path: Path) -> None:
    from kiosk.probes import doctor_checks

    config = load_config(None, {"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "d"), "KIOSK_SPEECH_KIND": "off",
                                "KIOSK_REMOTE_KIND": "aiortc", "KIOSK_REMOTE_HOST_ADDRESSES": "127.0.0.1",
                                "KIOSK_REMOTE_CAMERA": "/dev/video97"})
    checks = {check.name: check for check in doctor_checks(config)}
    assert checks["remote.camera"].status is Status.FAIL
    assert checks["remote.addresses"].status is Status.OK
