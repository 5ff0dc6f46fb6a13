"""A web host on a real uvicorn server for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from webhost import Host, start_host


@pytest.fixture
def host() -> Iterator[Host]:
    running = start_host()
    yield running
    running.server.stop()
