"""Small inline-SVG charts: no scripts, no external assets, so the report opens offline."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

LEFT_COLOUR = "#2b6cb0"
RIGHT_COLOUR = "#dd6b20"
W, H = 640, 240
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 28, 40


@dataclass
class Series:
    name: str
    x: np.ndarray
    y: np.ndarray
    colour: str
    kind: str = "dots"  # dots, line


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    start = math.ceil(lo / step) * step
    return [start + i * step for i in range(int((hi - start) / step) + 1)]


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.1f}"


class _Frame:
    def __init__(self, x0: float, x1: float, y0: float, y1: float) -> None:
        if x1 <= x0:
            x1 = x0 + 1
        if y1 <= y0:
            y1 = y0 + 1
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1

    def px(self, x: float) -> float:
        return PAD_L + (x - self.x0) / (self.x1 - self.x0) * (W - PAD_L - PAD_R)

    def py(self, y: float) -> float:
        return H - PAD_B - (y - self.y0) / (self.y1 - self.y0) * (H - PAD_T - PAD_B)


TITLE_PX = 14  # .ct font size
CHAR_EM = 0.6  # mean glyph width of the sans-serif UI fonts, in em (generous)
TICK_CHAR_PX = 11 * CHAR_EM  # .tl labels


def text_px(text: str, size_px: float) -> float:
    """Estimated width of text in the report's sans-serif font."""
    return len(text) * size_px * CHAR_EM


def title_text(title: str, x: float, avail_px: float) -> str:
    """A chart title that fits avail_px: the font shrinks (to 10 px) and then squeezes."""
    size = min(TITLE_PX, max(10.0, avail_px / max(len(title), 1) / CHAR_EM))
    fit = ""
    if text_px(title, size) > avail_px:
        fit = f' textLength="{avail_px:.0f}" lengthAdjust="spacingAndGlyphs"'
    return f'<text x="{x}" y="18" class="ct" style="font-size:{size:.1f}px"{fit}>{escape(title)}</text>'


def _legend_px(names: Sequence[str]) -> float:
    return sum(8 + 7 * len(n) + 14 for n in names) + 8


def _axes(f: _Frame, title: str, xlabel: str, ylabel: str, legend_px: float = 0.0) -> list[str]:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" class="chart" role="img" '
        f'aria-label="{escape(title)}">',
        title_text(title, PAD_L, W - PAD_R - PAD_L - legend_px),
    ]
    for t in _ticks(f.y0, f.y1):
        y = f.py(t)
        out.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(
            f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" class="tl" text-anchor="end">{_fmt(t)}</text>'
        )
    for t in _ticks(f.x0, f.x1, 6):
        x = f.px(t)
        out.append(
            f'<text x="{x:.1f}" y="{H - PAD_B + 16}" class="tl" text-anchor="middle">{_fmt(t)}</text>'
        )
    out.append(
        f'<text x="{(PAD_L + W - PAD_R) / 2}" y="{H - 6}" class="al" text-anchor="middle">{escape(xlabel)}</text>'
    )
    out.append(
        f'<text x="14" y="{(PAD_T + H - PAD_B) / 2}" class="al" text-anchor="middle" '
        f'transform="rotate(-90 14 {(PAD_T + H - PAD_B) / 2})">{escape(ylabel)}</text>'
    )
    out.append(
        f'<rect x="{PAD_L}" y="{PAD_T}" width="{W - PAD_L - PAD_R}" height="{H - PAD_T - PAD_B}" class="frame"/>'
    )
    return out


def _legend(series: Sequence[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    x = W - PAD_R - 8
    for name, colour in reversed(series):
        x -= 8 + 7 * len(name)
        out.append(f'<circle cx="{x}" cy="14" r="4" fill="{colour}"/>')
        out.append(f'<text x="{x + 8}" y="18" class="tl">{escape(name)}</text>')
        x -= 14
    return out


def xy_chart(
    title: str,
    xlabel: str,
    ylabel: str,
    series: Sequence[Series],
    hlines: Sequence[tuple[float, str]] = (),
) -> str:
    """Dots and lines over a shared x axis, with optional labelled horizontal lines."""
    xs = [s.x[np.isfinite(s.y)] for s in series if len(s.x)]
    ys = [s.y[np.isfinite(s.y)] for s in series if len(s.y)]
    ys += [np.array([v for v, _ in hlines])] if hlines else []
    if not xs or not any(len(x) for x in xs):
        return empty_chart(title, "no data")
    x0 = float(min(x.min() for x in xs if len(x)))
    x1 = float(max(x.max() for x in xs if len(x)))
    y0 = float(min(y.min() for y in ys if len(y)))
    y1 = float(max(y.max() for y in ys if len(y)))
    pad = (y1 - y0) * 0.08 or 1.0
    f = _Frame(x0, x1, y0 - pad, y1 + pad)
    out = _axes(f, title, xlabel, ylabel, _legend_px([s.name for s in series]))
    for v, label in hlines:
        y = f.py(v)
        out.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="ref"/>')
        out.append(
            f'<text x="{W - PAD_R - 4}" y="{y - 4:.1f}" class="tl" text-anchor="end">{escape(label)}</text>'
        )
    for s in series:
        ok = np.isfinite(s.y)
        pts = [(f.px(float(a)), f.py(float(b))) for a, b in zip(s.x[ok], s.y[ok], strict=True)]
        if s.kind == "line" and len(pts) > 1:
            d = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
            out.append(
                f'<polyline points="{d}" fill="none" stroke="{s.colour}" stroke-width="2.5"/>'
            )
        else:
            out += [
                f'<circle cx="{a:.1f}" cy="{b:.1f}" r="1.8" fill="{s.colour}" fill-opacity="0.55"/>'
                for a, b in pts
            ]
    out += _legend([(s.name, s.colour) for s in series])
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    ylabel: str,
    xlabel: str,
    colour: str = LEFT_COLOUR,
    hlines: Sequence[tuple[float, str]] = (),
    faint: Sequence[bool] = (),
) -> str:
    """Bars (e.g. minutes per 7 days) with labelled horizontal lines; faint bars are partial."""
    if not values:
        return empty_chart(title, "no data")
    top = max([*values, *(v for v, _ in hlines), 1.0]) * 1.15
    f = _Frame(-0.5, len(values) - 0.5, 0, top)
    out = _drop_x_ticks(_axes(f, title, xlabel, ylabel))
    bw = (W - PAD_L - PAD_R) / len(values) * 0.6
    for i, v in enumerate(values):
        x = f.px(i)
        op = "0.3" if i < len(faint) and faint[i] else "0.8"
        out.append(
            f'<rect x="{x - bw / 2:.1f}" y="{f.py(v):.1f}" width="{bw:.1f}" '
            f'height="{f.py(0) - f.py(v):.1f}" fill="{colour}" fill-opacity="{op}"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{f.py(v) - 4:.1f}" class="tl" text-anchor="middle">{_fmt(v)}</text>'
        )
    out += _label_ticks(f, labels)
    for v, label in hlines:
        y = f.py(v)
        out.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="ref"/>')
        out.append(f'<text x="{PAD_L + 4}" y="{y - 4:.1f}" class="tl">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _label_ticks(f: _Frame, labels: Sequence[str]) -> list[str]:
    """Category labels under the x axis (replacing the numeric ticks _axes drew)."""
    return [
        f'<text x="{f.px(i):.1f}" y="{H - PAD_B + 16}" class="tl" text-anchor="middle">'
        f"{escape(lab)}</text>"
        for i, lab in enumerate(labels)
    ]


def _drop_x_ticks(out: list[str]) -> list[str]:
    return [o for o in out if not (o.startswith("<text") and f'y="{H - PAD_B + 16}"' in o)]


def ratio_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    ylabel: str,
    xlabel: str,
    hlines: Sequence[tuple[float, str]] = (),
    y_max: float = 2.0,
    empty: str = "no data",
) -> str:
    """A ratio per category on its own axis (0..y_max), points joined, NaN left out."""
    if not any(math.isfinite(v) for v in values):
        return empty_chart(title, empty)
    top = max([y_max, *(v for v in values if math.isfinite(v))]) * 1.05
    f = _Frame(-0.5, len(values) - 0.5, 0, top)
    out = _drop_x_ticks(_axes(f, title, xlabel, ylabel)) + _label_ticks(f, labels)
    for v, label in hlines:
        y = f.py(v)
        out.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="ref2"/>')
        # labelled at the left: the latest points (and their labels) sit at the right
        out.append(f'<text x="{PAD_L + 4}" y="{y - 3:.1f}" class="tl">{escape(label)}</text>')
    pts = [(f.px(i), f.py(v), v) for i, v in enumerate(values) if math.isfinite(v)]
    if len(pts) > 1:
        d = " ".join(f"{a:.1f},{b:.1f}" for a, b, _ in pts)
        out.append(
            f'<polyline points="{d}" fill="none" stroke="{RIGHT_COLOUR}" stroke-width="2.5"/>'
        )
    for a, b, v in pts:
        out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="4" fill="{RIGHT_COLOUR}"/>')
        out.append(
            f'<text x="{a:.1f}" y="{b - 9:.1f}" class="tl" text-anchor="middle">{v:.2f}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def forest(title: str, rows: Sequence[tuple[str, float, float, float]], unit: str = "%") -> str:
    """Point estimates with intervals (e.g. symmetry indices), a zero line, left/right labels."""
    if not rows:
        return empty_chart(title, "no data")
    lim = max(max(abs(lo), abs(hi)) for _, _, lo, hi in rows) * 1.2 or 1.0
    lim = max(lim, 5.0)
    h = PAD_T + 30 * len(rows) + PAD_B
    x0, x1 = 150, W - PAD_R

    def px(v: float) -> float:
        return x0 + (v + lim) / (2 * lim) * (x1 - x0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" class="chart" role="img" aria-label="{escape(title)}">',
        title_text(title, PAD_L, W - PAD_R - PAD_L),
        f'<line x1="{px(0):.1f}" x2="{px(0):.1f}" y1="{PAD_T}" y2="{h - PAD_B}" class="ref"/>',
        f'<text x="{x0}" y="{h - 12}" class="tl">right larger</text>',
        f'<text x="{x1}" y="{h - 12}" class="tl" text-anchor="end">left larger</text>',
    ]
    for t in _ticks(-lim, lim, 6):
        out.append(
            f'<text x="{px(t):.1f}" y="{h - PAD_B + 14}" class="tl" text-anchor="middle">{_fmt(t)}{unit}</text>'
        )
    for i, (name, v, lo, hi) in enumerate(rows):
        y = PAD_T + 15 + 30 * i
        c = LEFT_COLOUR if v > 0 else RIGHT_COLOUR
        out.append(
            f'<text x="{x0 - 8}" y="{y + 4}" class="tl" text-anchor="end">{escape(name)}</text>'
        )
        out.append(
            f'<line x1="{px(lo):.1f}" x2="{px(hi):.1f}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="3"/>'
        )
        out.append(f'<circle cx="{px(v):.1f}" cy="{y}" r="5" fill="{c}"/>')
        out.append(f'<text x="{px(hi) + 6:.1f}" y="{y + 4}" class="tl">{v:+.1f}{unit}</text>')
    out.append("</svg>")
    return "\n".join(out)


def empty_chart(title: str, why: str) -> str:
    """A chart frame with only a title and why there is nothing to draw (wrapped to fit)."""
    lines = textwrap.wrap(why, int((W - PAD_R - PAD_L) / TICK_CHAR_PX)) or [""]
    h = 40 + 16 * len(lines)
    body = "".join(
        f'<text x="{PAD_L}" y="{44 + 16 * i}" class="tl">{escape(ln)}</text>'
        for i, ln in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" class="chart" role="img">'
        + title_text(title, PAD_L, W - PAD_R - PAD_L)
        + body
        + "</svg>"
    )


def rolling_mean(y: np.ndarray, n: int) -> np.ndarray:
    """Centred moving average (n steps), for a readable trend over per-step dots."""
    if len(y) < n or n < 2:
        return y.astype(float)
    k = np.ones(n) / n
    out = np.convolve(y, k, mode="same")
    half = n // 2
    out[:half] = np.nan
    out[-half:] = np.nan
    return out
