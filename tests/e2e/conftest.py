"""End-to-end tests start real processes; the QApplication of pytest-qt is not used here."""
