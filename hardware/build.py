# pyright: strict
"""Generate hardware/generated/ from the firmware's single sources.

Run ``python hardware/build.py`` (or ``make hardware``). It reads
``firmware/stridefw/board.py`` (pin map) and ``firmware/stridefw/layouts.py``
(insole cells) and writes, deterministically (no timestamps, fixed number
formatting: a rebuild gives no diff):

* ``pins-<board>.md``: pin table per board;
* ``wiring-<board>-<insole>.svg``: wiring diagram (schemdraw) per board and insole;
* ``bom-<board>-<insole>.csv``: bill of materials, exactly the parts on that diagram;
* ``template-<insole>-eu<size>.svg``: 1:1 cell placement templates, EU 36-46;
* ``layouts.md``: cell positions and the size scaling;
* ``power-budget.md``: the current budget that ``hardware/POWER.md`` explains;
* ``README.md``: index of the generated files with a rough cost per pod.

``python hardware/build.py --check`` builds into a temporary directory and fails if
anything in ``hardware/generated`` differs, which is what the tests assert too.
The pieces live in ``hardware/stridehw/``; the insole outline and the EU size to
foot length conversion in ``hardware/stridehw/outline.py``.
"""

import argparse
import filecmp
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATED = HERE / "generated"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from stridehw.fw import BOARDS, INSOLES  # noqa: E402
from stridehw.outline import EU_SIZES  # noqa: E402
from stridehw.parts import bom_csv, bom_total_cents, builds, eur  # noqa: E402
from stridehw.pintable import pin_table_md  # noqa: E402
from stridehw.power import power_md  # noqa: E402
from stridehw.templates import insole_svg, layouts_md  # noqa: E402
from stridehw.wiring import wiring  # noqa: E402

INDEX = "README.md"


def index_md(files: Sequence[str]) -> str:
    """generated/README.md: what each file is, and the rough cost of each build."""
    lines = [
        "# Generated hardware files",
        "",
        "Everything in this directory is written by `python hardware/build.py`"
        " (`make hardware`) from `firmware/stridefw/board.py` and"
        " `firmware/stridefw/layouts.py`. Do not edit by hand: change the firmware"
        " sources (or `hardware/stridehw/`) and rebuild. The tests fail when these files"
        " and a fresh build differ.",
        "",
        "## Builds (one pod; a pair needs two)",
        "",
        "| Board | Insole | Wiring | Diagram | BOM | Rough cost per pod, EUR |",
        "|---|---|---|---|---|---|",
    ]
    for bld in builds():
        s = bld.slug
        lines.append(
            f"| {bld.board.name} | {bld.layout.name} | {bld.config} | [wiring-{s}.svg]"
            f"(wiring-{s}.svg) | [bom-{s}.csv](bom-{s}.csv) | {eur(bom_total_cents(bld))} |"
        )
    lines += ["", "## All files", ""]
    lines += [f"- [{f}]({f})" for f in files]
    lines.append("")
    return "\n".join(lines)


def outputs() -> Iterator[tuple[str, Callable[[], str]]]:
    """(file name, producer) for every generated file except the index, in a fixed order."""
    for b in BOARDS:
        yield f"pins-{b.key}.md", (lambda b=b: pin_table_md(b))
    for bld in builds():
        yield f"wiring-{bld.slug}.svg", (lambda bld=bld: wiring(bld)[0])
        yield f"bom-{bld.slug}.csv", (lambda bld=bld: bom_csv(bld))
    for lay in INSOLES:
        for size in EU_SIZES:
            yield (
                f"template-{lay.name}-eu{size}.svg",
                (lambda lay=lay, size=size: insole_svg(lay, size)),
            )
    yield "layouts.md", layouts_md
    yield "power-budget.md", power_md


def build(out_dir: Path) -> list[Path]:
    """Write every generated file into out_dir (created if needed); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, produce in outputs():
        path = out_dir / name
        path.write_bytes(produce().encode("utf-8"))
        written.append(path)
    index = out_dir / INDEX
    index.write_bytes(index_md([p.name for p in written]).encode("utf-8"))
    written.append(index)
    return written


def check(out_dir: Path = GENERATED) -> list[str]:
    """Names of files that differ between out_dir and a fresh build (missing or extra too)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh_dir = Path(tmp)
        fresh = {p.name for p in build(fresh_dir)}
        have = {p.name for p in out_dir.iterdir()} if out_dir.is_dir() else set[str]()
        bad = sorted(fresh ^ have)
        for name in sorted(fresh & have):
            if not filecmp.cmp(fresh_dir / name, out_dir / name, shallow=False):
                bad.append(name)
    return sorted(bad)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate hardware/generated/ from the firmware.")
    ap.add_argument("--out", type=Path, default=GENERATED, help="output directory")
    ap.add_argument("--check", action="store_true", help="fail if --out differs from a fresh build")
    args = ap.parse_args(argv)
    out: Path = args.out
    if args.check:
        bad = check(out)
        for name in bad:
            print(f"differs from a fresh build: {name}", file=sys.stderr)
        if bad:
            print("run: python hardware/build.py", file=sys.stderr)
        return 1 if bad else 0
    if out == GENERATED and out.is_dir():  # drop files an older build wrote, this one not
        keep = {name for name, _ in outputs()} | {INDEX}
        for p in sorted(out.iterdir()):
            if p.is_file() and p.name not in keep:
                p.unlink()
    paths = build(out)
    print(f"wrote {len(paths)} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
