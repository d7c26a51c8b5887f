"""Bumble's per-packet debug formatting off for these tests (stridekit.transport.bumble.lean_logging)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stridekit.transport.bumble import lean_logging


@pytest.fixture(autouse=True)
def _lean_bumble_logging() -> Iterator[None]:
    with lean_logging():
        yield
