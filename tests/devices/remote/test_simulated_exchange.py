"""The demo's two simulated ends of one call: each shows what the other sends, the specialist's
request switches the branch's document camera, hanging up on one side ends the other; ends of
other calls are not joined."""

from __future__ import annotations

import numpy as np

from devices.remote.media import read_stamp
from devices.remote.simulated import SimulatedExchange


def _source(call) -> str:
    picture = call.remote_picture()
    assert picture is not None
    luma = np.frombuffer(picture.rgb, dtype=np.uint8).reshape(picture.height, picture.width, 3)[:, :, 0]
    stamp = read_stamp(luma)
    assert stamp is not None
    return stamp.source


def test_two_ends_of_one_call_are_joined() -> None:
    exchange = SimulatedExchange(connect_s=0.0)
    branch = exchange.end("c1", offering=True)
    office = exchange.end("c1", offering=False)
    elsewhere = exchange.end("c2", offering=True)
    for call in (branch, office, elsewhere):
        call.start()
    assert _source(office) == _source(branch) == "camera"

    office.ask_remote_video("document")                  # the specialist asks for the paper
    assert _source(office) == "document"
    assert _source(branch) == "camera"                   # the branch still sees the specialist
    assert _source(elsewhere) == "camera"                # another call is not touched
    branch.switch_video("camera")                        # the branch switches back by itself
    assert _source(office) == "camera"

    office.hang_up()
    assert branch.state == "ended"
    assert elsewhere.state == "connected"
    assert exchange.end("c1", offering=False).state == "idle"    # a new call of that id starts afresh
