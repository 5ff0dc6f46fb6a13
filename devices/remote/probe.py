"""``kiosk doctor``'s checks of the remote counter's devices ([remote]): the camera, the document
camera, the microphone and the LAN addresses.

Each configured device is found or reported missing with what IT can do about it. Nothing here
opens a network connection: a Linux camera is asked what it is (``VIDIOC_QUERYCAP``, an ioctl
on the device node, no picture taken); a microphone (PulseAudio's local socket, or DirectShow)
and a Windows camera are opened through PyAV for one packet and closed; the addresses are
compared with this machine's interfaces. A file standing in for a device (training) is found
when it exists.
"""

from __future__ import annotations

import errno
import os
import struct
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.config import RemoteConfig
from kiosk.doctor import Check, Status

__all__ = ["open_device", "query_capture_card", "remote_checks"]

_VIDIOC_QUERYCAP = 0x80685600          # _IOR('V', 0, struct v4l2_capability): 104 bytes
_CAP_VIDEO_CAPTURE = 0x00000001
_CAP_DEVICE_CAPS = 0x80000000
_OPEN_TIMEOUT_S = 5.0

QueryCard = Callable[[str], str | None]
OpenInput = Callable[[str, str], None]


def query_capture_card(node: str) -> str | None:
    """The card name of the V4L2 node ``node`` when it captures video, else ``None``.

    Raises:
        OSError: the node cannot be opened or is no V4L2 device (``ENOTTY``).
    """
    import fcntl  # noqa: PLC0415 - Linux only (Windows cameras are opened through PyAV)

    fd = os.open(node, os.O_RDWR | os.O_NONBLOCK)
    try:
        buffer = bytearray(104)
        fcntl.ioctl(fd, _VIDIOC_QUERYCAP, buffer)
    finally:
        os.close(fd)
    card = bytes(buffer[16:48]).split(b"\0", 1)[0].decode(errors="replace")
    capabilities, device_caps = struct.unpack_from("<II", buffer, 84)
    caps = device_caps if capabilities & _CAP_DEVICE_CAPS else capabilities
    return card if caps & _CAP_VIDEO_CAPTURE else None


def open_device(name: str, kind: str) -> None:
    """Open the FFmpeg input ``name`` (a microphone, a Windows camera), read one packet, close."""
    import av  # noqa: PLC0415 - PyAV only when a device is checked

    from devices.remote.capture import device_format  # noqa: PLC0415

    container = av.open(name, format=device_format(kind), timeout=_OPEN_TIMEOUT_S)
    try:
        stream = container.streams.audio[0] if kind == "audio" else container.streams.video[0]
        next(container.demux(stream))
    finally:
        container.close()


def _video_check(key: str, label: str, device: str, demo: bool, *,
                 query: QueryCard, open_input: OpenInput) -> Check:
    name = f"remote.{key}"
    setting = f"[remote] {key}"
    if not device:
        status = Status.OK if demo else Status.WARN
        return Check(name, status, f"no {label} configured: a generated test picture is sent",
                     "" if demo else f"Set {setting} to the {label} (/dev/videoN; on Windows video=NAME).")
    if Path(device).is_file() and not device.startswith("/dev/"):
        return Check(name, Status.OK, f"the file {device} stands in for the {label} (training)")
    if sys.platform.startswith("win") or not device.startswith("/dev/"):
        return _opened(name, label, device, "video", setting, open_input)
    return _v4l2_check(name, label, device, setting, query)


def _v4l2_check(name: str, label: str, device: str, setting: str, query: QueryCard) -> Check:
    if not os.path.exists(device):
        return Check(name, Status.FAIL, f"{label} {device} is missing",
                     f"Plug in the {label}, or set {setting} to its node (v4l2-ctl --list-devices).")
    if not os.access(device, os.R_OK | os.W_OK):
        return Check(name, Status.FAIL, f"{label} {device} is there but this user may not use it",
                     "Add the kiosk's user to the group 'video' and log in again.")
    try:
        card = query(device)
    except OSError as exc:
        if exc.errno == errno.EBUSY:
            return Check(name, Status.WARN, f"{label} {device} is in use by another program",
                         "Close the other program (a call in progress is fine).")
        return Check(name, Status.FAIL, f"{device} is not a camera ({os.strerror(exc.errno or 0)})",
                     f"Set {setting} to the camera's node (v4l2-ctl --list-devices).")
    if card is None:
        return Check(name, Status.FAIL, f"{device} does not capture video (a metadata node?)",
                     f"Set {setting} to the camera's capture node (v4l2-ctl --list-devices).")
    return Check(name, Status.OK, f"{label} {device}: {card}")


def _opened(name: str, label: str, device: str, kind: str, setting: str,
            open_input: OpenInput) -> Check:
    try:
        open_input(device, kind)
    except ImportError:
        return Check(name, Status.FAIL, f"{label} {device} not checked: PyAV is not installed",
                     "Install the kiosk from the package with the remote counter (aiortc, PyAV).")
    except Exception as exc:          # FFmpeg's errors are many; each means "cannot use it"
        return Check(name, Status.FAIL, f"{label} {device} cannot be opened ({type(exc).__name__})",
                     f"Connect the {label}, or set {setting} to a device this PC has.")
    return Check(name, Status.OK, f"{label} {device} delivers {kind}")


def _microphone_check(device: str, demo: bool, open_input: OpenInput) -> Check:
    if not device:
        status = Status.OK if demo else Status.WARN
        return Check("remote.microphone", status, "no microphone configured: test tones are sent",
                     "" if demo else "Set [remote] microphone (a PulseAudio source such as default).")
    if Path(device).is_file():
        return Check("remote.microphone", Status.OK, f"the file {device} stands in for the microphone")
    return _opened("remote.microphone", "microphone", device, "audio", "[remote] microphone",
                   open_input)


def _address_checks(addresses: tuple[str, ...]) -> list[Check]:
    if not addresses:
        return [Check("remote.addresses", Status.FAIL, "no LAN address for the call",
                      "Set [remote] host_addresses to this PC's address on the city LAN.")]
    try:
        import ifaddr  # noqa: PLC0415 - aiortc's dependency
    except ImportError:
        return [Check("remote.addresses", Status.FAIL, "the remote counter is not installed (ifaddr)",
                      "Install the kiosk from the package with the remote counter (aiortc, PyAV).")]
    mine = {"127.0.0.1", "::1"}
    for adapter in ifaddr.get_adapters():
        mine.update(ip.ip if isinstance(ip.ip, str) else ip.ip[0] for ip in adapter.ips)
    missing = [address for address in addresses if address not in mine]
    if missing:
        return [Check("remote.addresses", Status.FAIL,
                      f"not addresses of this machine: {', '.join(missing)}",
                      "Set [remote] host_addresses to this PC's address on the city LAN.")]
    return [Check("remote.addresses", Status.OK,
                  f"WebRTC on {', '.join(addresses)} only (no STUN/TURN)")]


def remote_checks(remote: RemoteConfig, *, query: QueryCard = query_capture_card,
                  open_input: OpenInput = open_device) -> list[Check]:
    """The checks of ``[remote]``'s devices (none when the remote counter is off).

    A simulated call (demo, training) needs no device: what is not configured is fine there.
    """
    if remote.kind == "off":
        return []
    demo = remote.kind == "simulated"
    checks = [
        _video_check("camera", "camera", remote.camera, demo, query=query, open_input=open_input),
        _video_check("document_camera", "document camera", remote.document_camera, demo,
                     query=query, open_input=open_input),
        _microphone_check(remote.microphone, demo, open_input),
    ]
    if not demo:
        checks += _address_checks(remote.host_addresses)
    return checks
