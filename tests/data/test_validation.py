"""The kernel on real recordings against independent references: the issue's goals.

Figures come from stridekit.eval.real, the code behind `stride eval --real`. Goals the
current kernel misses are xfail with the measured reason (see the closing report);
they turn into failures of nothing, and into XPASS once the kernel meets them.
"""

from __future__ import annotations

import functools
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pytest

from stridefw import records as R
from stridekit.eval.goals import group_effects, pooled, walk_balance
from stridekit.eval.matching import abs_ms
from stridekit.eval.real import collect
from stridekit.eval.results import IMU_NOT_AVAILABLE, FootResult, RealReport
from stridekit.importers import gaitpdb


@functools.cache
def _report(root: str, dataset: str, share: str) -> RealReport:
    """One evaluation per dataset per test run, shared by the xdist workers via a file."""
    if not share:
        return collect(Path(root), workers=1, datasets=[dataset], mpy_records=0)
    out = Path(share) / f"real-{dataset}.pickle"
    lock = Path(share) / f"real-{dataset}.lock"
    deadline = time.monotonic() + 300  # a worker that died holding the lock: compute here
    while not out.exists():
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            if time.monotonic() < deadline:
                time.sleep(0.1)  # another worker is computing it
                continue
        rep = collect(Path(root), workers=1, datasets=[dataset], mpy_records=0)
        tmp = out.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(rep))
        tmp.replace(out)
        return rep
    rep = pickle.loads(out.read_bytes())
    assert isinstance(rep, RealReport)
    return rep


@pytest.fixture(scope="session")
def share_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """This run's temp root common to all xdist workers ('' without xdist)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return ""
    return str(tmp_path_factory.getbasetemp().parent)


def results(root: Path, dataset: str, share: str) -> list[FootResult]:
    return _report(str(root.parent), dataset, share).results[dataset]


# ------------------------------------------------------------------ gaitpdb
def test_gaitpdb_contact_timing_goal(gaitpdb_dir: Path, share_dir: str) -> None:
    c = pooled(results(gaitpdb_dir, "gaitpdb", share_dir), "contact")
    assert c.tp > 3000
    assert abs_ms(c.errors_s, 50) <= 10.0  # issue goal, vs the offline reference


def test_gaitpdb_step_recall_goal(gaitpdb_dir: Path, share_dir: str) -> None:
    c = pooled(results(gaitpdb_dir, "gaitpdb", share_dir), "contact")
    assert c.tp / c.n_ref >= 0.99


def test_gaitpdb_step_precision_goal(gaitpdb_dir: Path, share_dir: str) -> None:
    c = pooled(results(gaitpdb_dir, "gaitpdb", share_dir), "contact")
    assert c.tp / c.n_found >= 0.99


def test_gaitpdb_no_invented_steps_and_dead_sensor_walk(gaitpdb_dir: Path, share_dir: str) -> None:
    """Every kernel step (bar the first-sample ones) lies within 0.5 s of a reference step
    or in a span the reference cannot judge; JuCo09 (weak sensor 5) imports and runs."""
    res = results(gaitpdb_dir, "gaitpdb", share_dir)
    for r in res:
        c = r.contact
        assert c is not None
        # extras are timing disagreements (paired with a miss) or first-sample steps
        assert c.fp <= c.fn + r.start_steps + 2, r.record
    juco = [r for r in res if r.record == "JuCo09_01"]
    assert len(juco) == 2 and all(r.n_steps > 70 for r in juco)


def test_gaitpdb_balance_agrees_with_the_published_forces(
    gaitpdb_dir: Path, share_dir: str
) -> None:
    walks = walk_balance(results(gaitpdb_dir, "gaitpdb", share_dir))
    # every staged walk (19 at first; 50 control walks were added later)
    assert len(walks) == len(gaitpdb.find(gaitpdb_dir)) >= 19
    for w in walks:
        # left share from the kernel's step impulses vs the integral of the published totals
        assert abs(w.left_share_pm - w.raw_left_share_pm) <= 15, w.record
        assert all(-2000 <= v <= 2000 for v in w.si_pm.values())
    eff = group_effects(walks)
    usual = [w for w in walks if w.usual]
    n_co = sum(w.group == "control" for w in usual)
    assert {e.n_pd for e in eff} == {9} and {e.n_co for e in eff} == {n_co} and n_co >= 8
    assert all(np.isfinite(e.hedges_g) and e.ci95[0] < e.hedges_g < e.ci95[1] for e in eff)


# ------------------------------------------------------------------ gaitndd
def test_gaitndd_stride_time_median_goal(gaitndd_dir: Path, share_dir: str) -> None:
    s = pooled(results(gaitndd_dir, "gaitndd", share_dir), "stride")
    assert s.tp > 13000
    assert abs_ms(s.errors_s, 50) <= 5.0


@pytest.mark.parametrize("dataset", ["gaitndd", "gaitndd@source"])
@pytest.mark.xfail(
    reason="p95 23.4 ms at the pod's 100 Hz, 24.6 ms on every 300 Hz sample (825 of "
    "15,095 strides beyond 20 ms at 100 Hz, 755 allowed). On these uncalibrated "
    "footswitches a slow or bumpy first loading (hunt15 R, als5 L, als3 L, park11 L, "
    "control5, hunt19, hunt13) puts the 20 N crossing 25-120 ms before the edge the "
    "authors' times follow; matching them needs a level chosen from these data: fitting",
    strict=False,
)
def test_gaitndd_stride_time_p95_goal(gaitndd_dir: Path, share_dir: str, dataset: str) -> None:
    s = pooled(results(gaitndd_dir, dataset, share_dir), "stride")
    assert abs_ms(s.errors_s, 95) <= 20.0


def test_gaitndd_at_the_source_rate_gives_the_same_figures(
    gaitndd_dir: Path, share_dir: str
) -> None:
    """The same kernel on every 300 Hz sample: the goals met at 100 Hz hold, and the
    p95 moves by little -- before auto-zero learnt per unit of time it learnt 3x faster
    at 300 Hz, absorbed slow first loading and gave 19.0 ms against 23.4."""
    src = results(gaitndd_dir, "gaitndd@source", share_dir)
    pod = results(gaitndd_dir, "gaitndd", share_dir)
    assert sum(r.n_samples for r in src) > 2.9 * sum(r.n_samples for r in pod)
    s = pooled(src, "stride")
    assert s.tp > 13000
    assert abs_ms(s.errors_s, 50) <= 5.0
    assert abs(abs_ms(s.errors_s, 95) - abs_ms(pooled(pod, "stride").errors_s, 95)) <= 2.5
    c = pooled(src, "contact")
    assert c.tp / c.n_ref >= 0.99 and c.tp / c.n_found >= 0.99


def test_gaitndd_step_recall_goal(gaitndd_dir: Path, share_dir: str) -> None:
    c = pooled(results(gaitndd_dir, "gaitndd", share_dir), "contact")
    assert c.tp / c.n_ref >= 0.99


def test_gaitndd_step_precision_goal(gaitndd_dir: Path, share_dir: str) -> None:
    c = pooled(results(gaitndd_dir, "gaitndd", share_dir), "contact")
    assert c.tp / c.n_found >= 0.99


def test_gaitndd_invalid_samples_flagged_never_steps(gaitndd_dir: Path, share_dir: str) -> None:
    res = results(gaitndd_dir, "gaitndd", share_dir)
    assert len(res) == 66
    assert sum(r.steps_in_invalid for r in res) == 0
    als5 = next(r for r in res if r.record == "als5" and r.foot == 1)
    assert als5.invalid_samples > 5000 and als5.excluded_rows > 80
    assert any("invalid samples" in n for n in als5.notes)


# ------------------------------------------------------------------ IMU datasets
@pytest.mark.parametrize(
    "dataset",
    [
        pytest.param(
            "ipol",
            marks=pytest.mark.xfail(
                reason="IMU-only contact vs ipol's hand-checked IMU-detector events: median "
                "28.3 ms (goal 20 ms), a bias (kernel 28 ms early; toe-off 35 ms early too): the "
                "annotations mark contact between the pitch-rate sign change and the "
                "heel-rocker minimum, where gaitmap's first mocap subject has it at the "
                "sign change (5 ms) and its second at the impact (60-80 ms later)",
                strict=False,
            ),
        ),
        "gaitmap",
    ],
)
def test_imu_only_contact_goal(
    dataset: str, ipol_dir: Path, gaitmap_dir: Path, share_dir: str
) -> None:
    root = ipol_dir if dataset == "ipol" else gaitmap_dir
    c = pooled(results(root, dataset, share_dir), "contact")
    if c.n_found == 0:
        pytest.skip(IMU_NOT_AVAILABLE)
    assert abs_ms(c.errors_s, 50) <= 20.0


def test_dropped_imu_packets_are_flagged_and_invent_nothing(ipol_dir: Path, share_dir: str) -> None:
    """Dropped packets become samples without IMU; no step may start inside a long gap."""
    from stridekit.importers import ipol
    from stridekit.importers.common import runs_of

    res = results(ipol_dir, "ipol", share_dir)
    assert len(res) == 38 and sum(r.dropped_packets for r in res) > 3000
    for r in res:
        assert r.n_steps == 0 or r.contact is not None
    rec = ipol.read(ipol_dir / "GaitData" / "16-1")
    foot = rec.feet[0]
    assert foot.imu_present is not None
    n_gaps, longest = runs_of(~foot.imu_present)
    assert n_gaps > 50 and longest >= 2
    assert any("IMU packets missing" in s for s in foot.issues)
    assert len(foot.ref_times_s(R.REF_CONTACT)) == 19


def test_eval_real_prints_one_table_per_dataset_naming_its_reference(
    gaitmap_dir: Path, tmp_path: Path
) -> None:
    from rich.console import Console

    from stridekit.cli.real import run_eval_real
    from stridekit.eval.real import collect
    from stridekit.eval.real_tables import print_report

    rep = collect(gaitmap_dir.parent, 1, ["gaitmap", "gaitmap@source"], 0)
    con = Console(record=True, width=200)
    print_report(rep, con)
    text = con.export_text()
    assert (
        "gaitmap: IMU-only events (kernel fallback, no insole) vs motion capture (source 3)" in text
    )
    assert "Goals" in text and rep.missing == []
    # the source-rate pass runs every 204.8 Hz sample and has its own rows
    assert "Sampling rate" in text and "204.8 Hz, the source's rate" in text
    # the second mocap recording's bias (-60..-80 ms) is named under the pooled goal
    assert "gaitmap: IMU-only contact bias per recording and foot from -" in text
    assert sum(r.n_samples for r in rep.results["gaitmap@source"]) > sum(
        r.n_samples for r in rep.results["gaitmap"]
    )
    assert [g.dataset for g in rep.goals] == ["gaitmap", "gaitmap@source"]
    assert run_eval_real(gaitmap_dir / "no-such-folder") == 2
    # a folder without any dataset is an error too, not "no goal missed"
    (tmp_path / "unrelated").mkdir()
    assert run_eval_real(tmp_path, strict=True) == 2
    # at 80 columns the tables come in parts, every value whole
    narrow = Console(record=True, width=80)
    print_report(rep, narrow)
    lines = narrow.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in "\n".join(lines) and "(part 1 of" in "\n".join(lines)
