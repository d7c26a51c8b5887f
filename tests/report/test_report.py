"""The HTML report in headless Chromium: not blank, every cause of the article present; the CLI."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from typer.testing import CliRunner

from stridekit.report import build_report
from stridekit.sim.gait import RunnerParams
from tests.analysis.helpers import merged, recorded
from tests.conftest import CHROMIUM, require_chromium
from tests.report.helpers import assert_no_band

ARTICLE = (
    "thoracic mobility",
    "anterior pelvic tilt",
    "muscle imbalance",
    "drastic change in training",
    "lower-limb strength",
    "leg-length difference",
    "hyperlordosis",
    "lumbopelvic control",
    "toning",
    "slouched posture",
    "150 minutes",
    "not a diagnosis",
    "stiffness",
    "dull or shooting pain",
    "radiating to the legs",
)
VARIANCE_JS = """async (src) => {
  const img = new Image(); img.src = src; await img.decode();
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let s = 0, s2 = 0, n = 0;
  for (let i = 0; i < d.length; i += 4) { const v = (d[i] + d[i+1] + d[i+2]) / 3; s += v; s2 += v*v; n++; }
  return s2 / n - (s / n) ** 2;
}"""


def test_report_renders_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    require_chromium()  # a skip, but a failure in CI

    run = merged(duration_s=180, seed=0, lld_cm=1.5, lld_side="left", instability=1.0)
    res = build_report([run], tmp_path / "r.html", runner="Test runner")
    print(f"\nreport build {res.build_s:.2f} s, {res.level}")
    html = res.html_path.read_text()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in html
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = b.new_page(viewport={"width": 1000, "height": 1400})
            page.goto(res.html_path.as_uri())
            text = page.inner_text("body").lower()
            png = page.screenshot(full_page=False)
            blank = b.new_page()
            blank.set_content("<html><body></body></html>")
            var = blank.evaluate(
                VARIANCE_JS, "data:image/png;base64," + base64.b64encode(png).decode()
            )
        finally:
            b.close()
    print(f"screenshot pixel variance {var:.0f}")
    assert var > 200.0
    for cause in ARTICLE:
        assert cause in text, cause
    # what the findings find is tests/analysis' business; here: what is seen is shown
    assert "what we saw: running" in text
    assert len(res.findings) == res.factors_seen
    a = res.analysis
    assert a is not None
    for c in a.causes:
        if c.seen:
            assert c.finding.lower() in text
    lld = a.asymmetry.lld
    if lld is not None and lld.detected:
        assert "left leg" in text
    assert "risk factors seen by the pods" in text
    assert f"{res.factors_seen} of the 5 risk factors the pods can measure" in text
    assert text.count("not a diagnosis") == 1
    assert_no_band(html)


def test_stride_report_cli(tmp_path: Path) -> None:
    from stridekit.cli import app

    f = tmp_path / "run.strd"
    f.write_bytes(recorded(RunnerParams(duration_s=100, seed=4)))
    bad = tmp_path / "bad.strd"
    bad.write_bytes(b"\x00garbage" * 50)
    out = tmp_path / "out" / "report.html"
    r = CliRunner().invoke(app, ["report", str(bad), str(f), "--out", str(out)])
    assert r.exit_code == 2 and "--mkdir" in r.output and not out.parent.exists()
    r = CliRunner().invoke(app, ["report", str(bad), str(f), "--out", str(out), "--mkdir"])
    assert r.exit_code == 0, r.output
    assert out.is_file() and "report:" in r.output and "skipped" in r.output
    r = CliRunner().invoke(app, ["report", str(bad), "--out", str(out)])
    assert r.exit_code == 2 and "no usable sessions" in r.output


def test_stride_report_json(tmp_path: Path) -> None:
    """--json -: every cause with stable keys; a healthy run shows no risk factor; the same
    file twice counts once."""
    from stridekit.cli import app

    f = tmp_path / "run.strd"
    f.write_bytes(recorded(RunnerParams(duration_s=150, seed=8)))
    out = tmp_path / "report.html"
    r = CliRunner().invoke(app, ["report", str(f), "--out", str(out), "--json", "-"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "stridekit.report/1"
    assert set(doc) >= {"run", "gait_mode", "risk_factors", "causes", "not_a_diagnosis"}
    assert doc["gait_mode"]["mode"] == "running"
    assert abs(doc["run"]["duration_s"] - 150) < 3
    keys = [c["key"] for c in doc["causes"]]
    assert keys[:6] == ["lld", "shoes", "load", "aerobic", "impact", "fatigue"]
    assert {"thoracic", "pelvis", "lordosis", "strength", "posture"} <= set(keys)
    for c in doc["causes"]:
        assert set(c) >= {"key", "name", "status", "seen", "finding", "evidence", "uncertainty"}
        assert c["status"] in ("measured", "could not judge", "not measurable")
        assert set(c["evidence"]) == {"values", "lines"}
    # the healthy run: nothing seen, the lowest level
    assert [c["key"] for c in doc["causes"] if c["seen"]] == []
    rf = doc["risk_factors"]
    assert rf["seen"] == 0 and rf["level"] == "none seen" and rf["measurable"] == 5
    lld = next(c for c in doc["causes"] if c["key"] == "lld")
    assert lld["status"] == "measured"
    assert lld["evidence"]["values"]["metrics"]["stance_us"]["si_ci95_pct"][0] is not None
    assert "magnitude_ci95_cm" in lld["uncertainty"]
    assert "loading_rate_n_s" in lld["evidence"]["values"]["metrics"]
    assert lld["evidence"]["values"]["metrics"]["loading_rate_n_s"]["unit"] == "BW/s"
    minutes = next(c for c in doc["causes"] if c["key"] == "aerobic")
    once = minutes["evidence"]["values"]["acute_7d_min"]
    assert once > 2
    # the same file given twice: the minutes are not doubled
    js = tmp_path / "twice.json"
    r = CliRunner().invoke(app, ["report", str(f), str(f), "--out", str(out), "--json", str(js)])
    assert r.exit_code == 0, r.output
    doc2 = json.loads(js.read_text())
    minutes2 = next(c for c in doc2["causes"] if c["key"] == "aerobic")
    assert minutes2["evidence"]["values"]["acute_7d_min"] == once
    assert doc2["run"]["steps"] == doc["run"]["steps"]
