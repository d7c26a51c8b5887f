"""`stride demo` end to end: two virtual pods -> BLE sync (Bumble virtual link; the serial
console in the healthy control) -> library -> merge -> report.

Runs shortened to 6 minutes (the README's demo is 20): long enough for the
leg-length and footwear findings, short enough for CI. The HTML itself is checked
in a browser by tests/report; here we check what the demo found and stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stridekit.demo import DemoResult, run_demo
from stridekit.library import Library
from tests.report.helpers import assert_no_band

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lld_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("lld"), runner="lld-toning", minutes=6.0, seed=3)


def test_demo_names_the_unstable_shoes_and_no_urgency(lld_demo: DemoResult) -> None:
    res = lld_demo
    assert res.report_path is not None and res.report_path.exists()
    a = res.analysis
    assert a is not None
    assert a.shoe_ab is not None and a.shoe_ab.significant  # toning vs daily trainer
    page = res.report_path.read_text()
    assert "leg-length" in page.lower() and page.lower().count("not a diagnosis") == 1
    seen = {c.key for c in a.causes if c.seen}
    assert (
        "shoes" in seen and "toning shoe" in next(c for c in a.causes if c.key == "shoes").finding
    )
    assert res.level == f"{len(seen)} seen" and len(res.findings) == len(seen)
    assert_no_band(page)  # a gait finding never names an urgency category


@pytest.mark.xfail(
    strict=True,
    reason="issue 16: since b6b182d the leg-length finding is judged against real healthy "
    "people and does not fire for the demo runner's 1.5 cm in 6 min of running; the goal "
    "says the demo still names the side, so the demo runner or the finding has to change",
)
def test_demo_names_the_leg_length_side(lld_demo: DemoResult) -> None:
    a = lld_demo.analysis
    assert a is not None
    lld = a.asymmetry.lld
    assert lld is not None and lld.detected
    assert lld.longer_side == "left"  # the demo runner's left leg is 1.5 cm longer
    assert next(c for c in a.causes if c.key == "lld").seen


def test_demo_synced_both_pods_into_the_library(lld_demo: DemoResult) -> None:
    res = lld_demo
    assert res.transport == "ble"
    lib = Library(res.library_path)
    try:
        today = [lib.session(i) for i in res.today_ids]
        assert sorted(r.foot for r in today) == ["left", "right"]
        assert all(r.state == "complete" and r.name == f"{r.foot}-session-00001" for r in today)
        sources = {
            row[0]
            for i in res.today_ids
            for row in lib.db.execute("SELECT source FROM sessions WHERE id = ?", (i,))
        }
        assert sources == {"ble"}  # the sessions came over BLE
        # each pod marked its session synced up to the size the library holds
        assert sorted(res.pod_markers) == ["left", "right"]
        for r in today:
            (sid, size, synced), *more = res.pod_markers[r.foot]
            assert not more and sid == 1
            assert synced == size == lib.session_path(r.id).stat().st_size
        assert all(r.n_steps > 400 for r in today)  # ~6 min at 84 steps/min per foot
        assert len(lib.sessions()) == len(res.session_ids) == 8  # 3 earlier runs + today, x2
    finally:
        lib.close()


def test_healthy_control_names_neither(tmp_path: Path) -> None:
    # over the serial consoles: the other transport stays exercised end to end
    res = run_demo(tmp_path, runner="healthy", minutes=6.0, seed=4, transport="serial")
    lib = Library(res.library_path)
    try:
        today = [lib.session(i) for i in res.today_ids]
        assert all(r.name == f"{r.foot}-session-00001" for r in today) and len(today) == 2
    finally:
        lib.close()
    a = res.analysis
    assert a is not None
    assert a.asymmetry.lld is not None and not a.asymmetry.lld.detected
    assert not a.instability.flagged
    # no finding at all, and the lowest level of the count
    assert [c.key for c in a.causes if c.seen] == []
    assert res.findings == [] and res.level == "none seen" and a.factors_seen == 0
    # the earlier week spans 7 days: no training-load change can be judged from it
    assert not a.load.jump and not a.load.change_judged and a.load.history_days == 7
    assert res.report_path is not None
    page = res.report_path.read_text()
    assert "none seen" in page and page.lower().count("not a diagnosis") == 1
    assert_no_band(page)
