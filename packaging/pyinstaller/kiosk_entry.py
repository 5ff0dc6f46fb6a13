"""Entry point of the bundled kiosk (PyInstaller runs this file as ``__main__``)."""

from kiosk.cli import main

raise SystemExit(main())
