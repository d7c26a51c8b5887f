"""Print a rich Table that is wider than the terminal without cutting a number.

Rich squeezes a table that does not fit and ends cut cells with "…": "153…" for a
total, "GaCo…" for a record name. Here each column gets the width its longest value
needs (text columns: the longest word, the rest may wrap), and a table that still
does not fit is printed in parts, each repeating the leading key columns (record,
foot, ...), as R and pandas print wide data frames.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

_BORDER = 3  # a cell's padding and its share of the rule


def print_table(console: Console, table: Table, key_columns: int | None = None) -> None:
    """Print `table` on `console`, in parts if it does not fit the console's width.

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
