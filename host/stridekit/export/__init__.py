"""Export formats, registered by name (`stride export FILE --format NAME`).

A format is a function that writes the steps of some sessions to a text stream and
returns how many rows it wrote; modules register theirs with `@register("name")`
(glasgow's data-logger pattern), so the CLI lists whatever is installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TextIO

from stridekit.session import Session

Exporter = Callable[[Sequence[Session], TextIO], int]
EXPORTERS: dict[str, Exporter] = {}


def register(name: str) -> Callable[[Exporter], Exporter]:
    """Decorator: make an exporter available under `name`."""

    def deco(fn: Exporter) -> Exporter:
        EXPORTERS[name] = fn
        return fn

    return deco


def exporter(name: str) -> Exporter:
    """The exporter called `name`; ValueError lists the known ones."""
    _load()
    if name not in EXPORTERS:
        raise ValueError(f"unknown export format {name!r}: one of {', '.join(sorted(EXPORTERS))}")
    return EXPORTERS[name]


def names() -> list[str]:
    _load()
    return sorted(EXPORTERS)


def _load() -> None:
    # the built-in formats register themselves when imported
    importlib.import_module("stridekit.export.csv")
