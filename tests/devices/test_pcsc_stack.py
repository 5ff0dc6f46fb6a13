"""The real PC/SC stack of the test suite: pcscd + vpcd with the emulated card as its own process."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.pcscd

SELECT_TEXT_AP = [0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01,
                  0x04, 0x08]


def _card_present(reader_name: str) -> bool:
    from smartcard.Exceptions import CardConnectionException, NoCardException
    from smartcard.System import readers

    reader = next(r for r in readers() if str(r) == reader_name)
    connection = reader.createConnection()
    try:
        connection.connect()
    except (NoCardException, CardConnectionException):
        return False
    connection.disconnect()
    return True


def test_pcsc_stack__emulated_card_process__is_seen_in_virtual_pcd_00_00(pcscd):
    from smartcard.System import readers

    card = subprocess.Popen([sys.executable, "-m", "devices.smartcard.vpcd_card",
                             "--port", str(pcscd.vpcd_port(0)), "--person", "plain"])
    try:
        assert [str(r) for r in readers()] == ["Virtual PCD 00 00", "Virtual PCD 00 01"]
        deadline = time.monotonic() + 10
        while not _card_present("Virtual PCD 00 00") and time.monotonic() < deadline:
            time.sleep(0.1)
        reader = next(r for r in readers() if str(r) == "Virtual PCD 00 00")
        connection = reader.createConnection()
        connection.connect()
        atr = bytes(connection.getATR())
        _data, sw1, sw2 = connection.transmit(SELECT_TEXT_AP)
        connection.disconnect()

        assert atr.hex().upper().startswith("3B")
        assert (sw1, sw2) == (0x90, 0x00)
        assert not _card_present("Virtual PCD 00 01")
    finally:
        card.terminate()
        card.wait(10)
