"""Print the project's runtime + dev requirements without Qt, for the core-only venv.

The core must import and pass its tests without PySide6 (napari's guard); this venv proves it.
"""

import sys
import tomllib
from pathlib import Path

QT_PACKAGES = ("pyside6", "pytest-qt")

project = tomllib.loads(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml").read_text())["project"]
requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
for requirement in requirements:
    name = requirement.split(";")[0].strip().lower()
    if not name.startswith(QT_PACKAGES):
        print(requirement.split("#")[0].strip())
