"""``kiosk ... | head``: a reader that stops reading ends the command quietly, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk.cli.pipes import EXIT_PIPE_CLOSED


# argparse's help swallows the write error itself and exits 0; the point there is no traceback.
@pytest.mark.parametrize(("command", "code"), [
    (["doctor", "--json"], EXIT_PIPE_CLOSED),
    (["doctor"], EXIT_PIPE_CLOSED),
    (["db", "new-key"], EXIT_PIPE_CLOSED),
    (["--help"], 0),
    (["audit", "--help"], 0),
])
def test_kiosk_command__stdout_reader_gone__quiet_exit_without_traceback(tmp_path, command,
                                                                         code):
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path), "HOME": str(tmp_path),
           "QT_QPA_PLATFORM": "offscreen"}
    read_end, write_end = os.pipe()
    os.close(read_end)                      # the reader (head) has already gone

    with subprocess.Popen([sys.executable, "-m", "kiosk", *command], stdout=write_end,
                          stderr=subprocess.PIPE, env=env) as process:
        os.close(write_end)
        _out, err = process.communicate(timeout=120)

    assert b"Traceback" not in err, err.decode()
    assert b"BrokenPipe" not in err, err.decode()
    assert process.returncode == code
