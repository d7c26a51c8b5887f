"""The `stride` command: one module per group of subcommands, printing only.

Each module parses its options, calls the library code that does the work and prints
the result; nothing below this package imports it (tests/unit/test_layers.py).
"""

from stridekit.cli.main import app

__all__ = ["app"]
