"""Fixtures of the form-engine tests."""

from __future__ import annotations

import pytest

from kiosk.procedures.catalog import FormCatalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> FormCatalog:
    """The bundled forms/ directory, loaded once."""
    return load_catalog()
