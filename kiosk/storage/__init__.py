"""The database layer: SQLAlchemy engines, models, repositories and Alembic migrations.

This package is the only importer of SQLAlchemy. The same code runs on an embedded SQLite
file (one tablet and one clerk PC) and on PostgreSQL (a city hall sharing one queue).
"""
