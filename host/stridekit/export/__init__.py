"""Export formats, registered by name (`stride export FILE --format NAME`).

A format is a function that writes the steps of some sessions to a text stream and
returns how many rows it wrote; modules register theirs with `@register("name")`
(glasgow's data-logger pattern), so the CLI lists whatever is installed. Binary
formats (fit, c3d) write a file instead: `@register_file("name")`, returning an
ExportResult with what they wrote and anything the reader should know.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from stridekit.errors import StrideError
from stridekit.session import Session

Exporter = Callable[[Sequence[Session], TextIO], int]
EXPORTERS: dict[str, Exporter] = {}


class ExportError(StrideError, ValueError):
    """The sessions cannot be exported in this format (says why: no steps, one foot...)."""


@dataclass
class ExportResult:
    """What a file exporter wrote: a count of `what`, and notes on anything left out."""

    n: int
    what: str
    notes: list[str] = field(default_factory=list)


FileExporter = Callable[[Sequence[Session], Path], ExportResult]
FILE_EXPORTERS: dict[str, FileExporter] = {}


def register_file(name: str) -> Callable[[FileExporter], FileExporter]:
    """Decorator: make a file (binary) exporter available under `name`."""

    def deco(fn: FileExporter) -> FileExporter:
        FILE_EXPORTERS[name] = fn
        return fn

    return deco


def file_exporter(name: str) -> FileExporter | None:
    """The file exporter called `name`, or None if `name` is a text format or unknown."""
    _load()
    return FILE_EXPORTERS.get(name)


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
        raise ValueError(f"unknown export format {name!r}: one of {', '.join(names())}")
    return EXPORTERS[name]


def names() -> list[str]:
    _load()
    return sorted([*EXPORTERS, *FILE_EXPORTERS])


def _load() -> None:
    # the built-in formats register themselves when imported
    for mod in ("csv", "samples", "fit", "c3d"):
        importlib.import_module(f"stridekit.export.{mod}")
