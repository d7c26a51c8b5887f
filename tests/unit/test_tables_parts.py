"""Wide tables print in parts at the terminal's width, never with a cut value."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from stridekit.tables import print_in_parts


def _wide() -> Table:
    t = Table(title="per record")
    t.add_column("record")
    t.add_column("foot", justify="right")
    for k in range(14):
        t.add_column(f"figure {k} ms", justify="right")
    for r in range(5):
        t.add_row(
            f"GaCo{r:02d}_01_long_name", "LR"[r % 2], *(f"{1530.25 + k:.2f}" for k in range(14))
        )
    return t


def test_wide_table_prints_in_parts_without_cut_values() -> None:
    con = Console(width=80, record=True)
    print_in_parts(con, _wide())
    text = con.export_text()
    lines = text.splitlines()
    assert "…" not in text
    assert max(len(line) for line in lines) <= 80
    assert "(part 1 of" in text and "(part 2 of" in text
    # every value and the repeated key column are there in full
    for k in range(14):
        assert f"{1530.25 + k:.2f}" in text and f"figure {k}" in text
    assert text.count("GaCo03_01_long_name") >= 2


def test_a_table_that_fits_prints_whole() -> None:
    con = Console(width=300, record=True)
    print_in_parts(con, _wide())
    text = con.export_text()
    assert "part 1 of" not in text and "1543.25" in text
