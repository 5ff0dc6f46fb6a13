"""The fonts registered on a thread of their own (``preload_fonts``) while the picture is up:
:func:`load_fonts` waits for that thread and finds every face registered, as a load on the
GUI thread would have. Each case runs in a fresh interpreter: this one's fonts are loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

_SCRIPT = """
import json, sys, threading
from kiosk.ui.common.qt_app import qt_application
from kiosk.ui.common import application as fonts_module

qt_application()
seen = []
register = fonts_module._register_fonts
def watched():
    seen.append(threading.current_thread().name)
    return register()
fonts_module._register_fonts = watched
if sys.argv[1] == "preload":
    fonts_module.preload_fonts()
    fonts_module.preload_fonts()        # a second call starts nothing more
fonts_module.load_fonts()
app = fonts_module.application()
print(json.dumps({"threads": seen,
                  "faces": [face.family for face in fonts_module.loaded_faces()],
                  "font": app.font().families()}))
"""


def _run(mode: str) -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", _SCRIPT, mode], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120,
                          check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_preloaded__registered_on_the_fonts_thread__same_faces_as_a_load_on_the_gui_thread():
    preloaded, plain = _run("preload"), _run("plain")

    assert preloaded["threads"][0] == "fonts"
    assert set(preloaded["threads"][1:]) == {"MainThread"}    # found done, nothing left
    assert set(plain["threads"]) == {"MainThread"}
    assert preloaded["faces"] == plain["faces"]
    assert preloaded["font"] == plain["font"]
    assert len(preloaded["faces"]) >= 2
