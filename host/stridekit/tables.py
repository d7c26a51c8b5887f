"""Terminal tables that fit 80 columns without cutting a number.

Rich shrinks a table that is wider than the terminal by cutting cells with "…";
a cut number is a wrong number. These tables use one space between columns and
no side borders, short headers (units and long names in a legend printed under
the table), and fold rather than cut: a text cell too wide wraps, a number
never shrinks below its width.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table


def compact_table(title: str | None = None) -> Table:
    """A table with a head rule and one space between columns."""
    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        padding=(0, 0),  # the box's blank vertical rule is the one space between columns
        show_edge=False,
    )


def add_number(t: Table, header: str) -> None:
    """A right-aligned column of numbers: the header may wrap at its spaces; a number is
    one word, so rich narrows the column no further than it (folds, never cuts, if even
    that cannot fit)."""
    t.add_column(header, justify="right", overflow="fold")


def add_text(t: Table, header: str, *, no_wrap: bool = False, min_width: int = 6) -> None:
    """A left-aligned text column: long names wrap (fold inside a long word), never cut."""
    t.add_column(header, justify="left", no_wrap=no_wrap, overflow="fold", min_width=min_width)


def print_legend(console: Console, legend: dict[str, str]) -> None:
    """The headers' meanings and units, one short line per group of them."""
    if legend:
        console.print("; ".join(f"{k}: {v}" for k, v in legend.items()), style="dim")


def print_table(console: Console, t: Table) -> None:
    """Print `t` no narrower than its narrowest uncut layout.

    When even the wrapped layout is wider than the terminal (a --wide table on a
    narrow one), the lines run past the edge rather than cut a value.
    """
    from rich.measure import Measurement

    need = Measurement.get(console, console.options, t).minimum
    console.print(t, width=max(console.width, need), crop=False)
