"""The report's charts in headless Chromium: every label lies inside its chart and no
title runs into another label (measured by the browser's own text layout, getBBox)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stridekit.merge import MergedRun
from stridekit.report import build_report
from tests.analysis.helpers import merged
from tests.conftest import CHROMIUM, require_chromium

TODAY = int(dt.datetime(2026, 3, 12, 7, tzinfo=dt.UTC).timestamp())

# per chart: texts outside the viewBox, and titles that overlap another text
LAYOUT_JS = """() => {
  const bad = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    // the text's box in the chart's coordinates, after its own transform (rotated labels)
    const box = (t) => {
      const b = t.getBBox();
      const m = svg.getScreenCTM().inverse().multiply(t.getScreenCTM());
      const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
        .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
      const xs = pts.map((q) => q.x), ys = pts.map((q) => q.y);
      return {x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys)};
    };
    const vb = svg.viewBox.baseVal;
    const name = svg.getAttribute('aria-label') || (svg.querySelector('text.ct') || {}).textContent;
    const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim());
    for (const t of texts) {
      const b = box(t);
      if (b.x0 < vb.x - 0.5 || b.y0 < vb.y - 0.5 || b.x1 > vb.x + vb.width + 0.5 || b.y1 > vb.y + vb.height + 0.5)
        bad.push(`${name}: "${t.textContent}" outside the chart (${b.x0.toFixed(0)}..${b.x1.toFixed(0)} of ${vb.width})`);
    }
    for (const title of svg.querySelectorAll('text.ct')) {
      const a = box(title);
      for (const t of texts) {
        if (t === title) continue;
        const b = box(t);
        if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
          bad.push(`${name}: title overlaps "${t.textContent}"`);
      }
    }
  }
  return {bad, charts: document.querySelectorAll('svg.chart').length};
}"""


def _history() -> list[MergedRun]:
    """Five weeks of short runs, then today's longer one: every load chart has data and
    the 28-day ratio can be judged."""
    runs = [
        merged(duration_s=40.0, seed=50 + d, start_epoch_s=TODAY - 86400 * d)
        for d in (35, 30, 25, 20, 15, 10, 5)
    ]
    return [*runs, merged(duration_s=150.0, seed=60, start_epoch_s=TODAY, instability=1.0)]


def test_chart_text_fits_at_desktop_and_phone_widths(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    require_chromium()  # a skip, but a failure in CI
    res = build_report(_history(), tmp_path / "r.html", runner="A runner with a long name")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            for width in (1000, 390):
                page = b.new_page(viewport={"width": width, "height": 900})
                page.goto(res.html_path.as_uri())
                got = page.evaluate(LAYOUT_JS)
                assert got["charts"] >= 6
                assert got["bad"] == [], f"at {width} px: " + "\n".join(got["bad"])
                page.close()
        finally:
            b.close()


def test_ratio_lines_sit_on_the_ratio_chart_not_the_minutes_axis(tmp_path: Path) -> None:
    """The 1.3 / 1.5 acute:chronic lines belong to a chart of the ratio with its own axis;
    the minutes chart has only minutes (an 85-minute bar seemed to cross a 'danger' line)."""
    import re

    res = build_report(_history(), tmp_path / "r.html")
    svgs = re.findall(r"<svg .*?</svg>", res.html_path.read_text(), flags=re.S)
    minutes = [s for s in svgs if "Running minutes per 7 days" in s]
    ratio = [s for s in svgs if "Acute:chronic ratio" in s]
    assert len(minutes) == 1 and len(ratio) == 1
    assert "danger" not in minutes[0] and "1.5 danger" in ratio[0]
    assert ">ratio<" in ratio[0]  # its own y axis
    guideline = next(s for s in svgs if "150-min guideline" in s)
    assert "7 days" in guideline  # the same 7-day spans the score uses
