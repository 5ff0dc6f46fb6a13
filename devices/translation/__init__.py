"""Offline machine translation: Argos Translate packages installed from files (the Translator port)."""
