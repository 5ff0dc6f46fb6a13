"""Alembic environment: migrations always run on a connection handed in by kiosk.storage.migrate.

There is no ``alembic.ini`` and no URL here: the kiosk builds the Alembic configuration in
code (:func:`kiosk.storage.migrate.alembic_config`), so a PyInstaller build migrates too.
"""

from __future__ import annotations

from alembic import context

from kiosk.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `kiosk db upgrade`, not the alembic command")

# render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
