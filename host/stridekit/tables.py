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
from rich.table import Column, Table
from rich.text import Text


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


_BORDER = 3  # a cell's padding and its share of the rule


def print_in_parts(console: Console, table: Table, key_columns: int | None = None) -> None:
    """Print a wide many-column table (stride eval --real's) in parts at the console's
    width, each part repeating the key columns, rather than past the edge.

    Each column gets the width its longest value needs (text: its longest word); a
    table that still does not fit is split, as R and pandas print wide data frames.

    key_columns: leading columns repeated in every part (None: the leading
    left-aligned columns, at most three).
    """
    cols = table.columns
    if not cols:
        console.print(table)
        return
    need = [_need(console, c) for c in cols]
    for c, n in zip(cols, need, strict=True):
        c.min_width = n
    room = console.width - 1 - (4 if table.box is not None else 0)
    if sum(n + _BORDER for n in need) <= room:
        console.print(table)
        return
    k = key_columns if key_columns is not None else _keys(cols)
    key_w = sum(n + _BORDER for n in need[:k])
    parts: list[list[int]] = []
    cur: list[int] = []
    used = key_w
    for i in range(k, len(cols)):
        w = need[i] + _BORDER
        if cur and used + w > room:
            parts.append(cur)
            cur, used = [], key_w
        cur.append(i)
        used += w
    if cur:
        parts.append(cur)
    for p, idx in enumerate(parts, 1):
        console.print(_part(table, list(range(k)) + idx, p, len(parts)))


def _need(console: Console, col: Column) -> int:
    """Width a column needs so that no value is cut (text may wrap at spaces)."""
    cells = [col.header, *col.cells]
    widest = 1
    for cell in cells:
        text = cell if isinstance(cell, Text) else Text.from_markup(str(cell))
        plain = text.plain
        if col.justify == "left":
            # text may wrap at spaces: its longest word must fit
            widest = max(widest, *(len(w) for w in plain.split() or [""]))
        else:
            widest = max(widest, *(len(line) for line in plain.splitlines() or [""]))
    return widest


def _keys(cols: list[Column]) -> int:
    k = 0
    while k < min(3, len(cols) - 1) and (
        cols[k].justify == "left" or str(cols[k].header) in ("foot", "L/R")
    ):
        k += 1
    return max(k, 1)


def _part(table: Table, idx: list[int], part: int, parts: int) -> Table:
    title = f"{table.title} (part {part} of {parts})" if table.title else f"part {part} of {parts}"
    t = Table(
        title=title,
        caption=table.caption if part == parts else None,
        box=table.box,
        show_lines=table.show_lines,
    )
    cols = table.columns
    for i in idx:
        c = cols[i]
        t.add_column(
            c.header, justify=c.justify, style=c.style, min_width=c.min_width, no_wrap=c.no_wrap
        )
    cells = [list(cols[i].cells) for i in idx]
    for r, row in enumerate(table.rows):
        t.add_row(*(cells[j][r] for j in range(len(idx))), end_section=row.end_section)
    return t
