"""The `stride` command group: errors a user can fix become one line and exit code 2.

Every subcommand runs inside `StrideGroup.invoke`, so a StrideError (bad input,
a bad path, an unreachable service) or an OSError (missing folder, full disk,
no permission) that a command did not handle itself is printed as
`error: <message>` on standard error with exit code 2, never as a traceback.
STRIDEKIT_TRACEBACK=1 shows the traceback instead (for bug reports).
"""

from __future__ import annotations

import os
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from stridekit.errors import StrideError

EXIT_BAD_INPUT = 2
err_console = Console(stderr=True, soft_wrap=True)  # paths in messages stay greppable


def fail(message: str) -> typer.Exit:
    """Print `error: message` on standard error; the typer.Exit(2) to raise."""
    err_console.print(f"[red]error:[/] {escape(message)}")
    return typer.Exit(EXIT_BAD_INPUT)


class StrideGroup(TyperGroup):
    """TyperGroup whose subcommands report user-fixable errors in one line (exit 2)."""

    def invoke(self, ctx: Any) -> Any:  # typer's own click Context
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `stride export ... | head`: the reader left, nothing to say
            raise typer.Exit(0) from None
        except (StrideError, OSError) as e:
            if os.environ.get("STRIDEKIT_TRACEBACK"):
                raise
            raise fail(str(e) or type(e).__name__) from e
