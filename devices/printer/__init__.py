"""Printers: CUPS on Linux, Qt print on Windows and Linux, and a to-folder printer for the demo."""
