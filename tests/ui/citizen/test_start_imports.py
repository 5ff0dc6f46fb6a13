"""What ``kiosk tablet`` loads before its kept picture is on the screen: Qt, the picture and
the reading of ``[ui]``, and nothing that only the screens or the services behind it need.

Each module costs the first screen its load time (issue 18); one imported at the top of a
module read early (the catalogs for a marker, the whole configuration, the database) would
slip in unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys

# What `kiosk tablet` imports on its way to the picture (kiosk.cli.tablet, run_tablet), and
# does on it: the command line parsed, [ui] and [device] read.
_BEFORE_THE_PICTURE = """
import json, sys
from kiosk.cli import build_parser, requested_commands
import kiosk.cli.tablet
from kiosk.config_sections import config_file, read_device, read_ui
import kiosk.ui.citizen.run_tablet
argv = ["tablet", "--report", "report.json"]
build_parser(requested_commands(argv)).parse_args(argv)
read_ui(config_file(None)), read_device(config_file(None))
print(json.dumps(sorted(sys.modules)))
"""

# Each is loaded behind the picture, by the services or the screens.
_NOT_YET = ("kiosk.i18n", "kiosk.ruby", "kiosk.config", "kiosk.app", "kiosk.services",
            "kiosk.storage", "kiosk.ui.citizen.tablet", "kiosk.ui.citizen.boot_screen",
            "kiosk.ui.common.theme", "sqlalchemy", "babel", "platformdirs", "tomllib")


def test_tablet_start__before_the_picture__only_qt_the_picture_and_its_settings(tmp_path):
    environ = {"HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
               "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", _BEFORE_THE_PICTURE], env=environ,
                          capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout))

    assert "kiosk.ui.citizen.welcome_picture" in loaded     # it does run that far
    early = {name for name in loaded
             if any(name == module or name.startswith(module + ".") for module in _NOT_YET)}
    assert early == set()
