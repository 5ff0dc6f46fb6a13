"""Alembic migrations of the shared database; run them with ``kiosk db upgrade``."""
