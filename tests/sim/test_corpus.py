"""Corpus and training-plan generators, and their commands."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from stridekit.cli.sim import params_from_options, register
from stridekit.session import read_sessions
from stridekit.sim import conditions as C
from stridekit.sim.corpus import CorpusSpec, draw_runners, generate_corpus
from stridekit.sim.gait import RunnerParams
from stridekit.sim.plan import session_params, session_plan, weekly_load, write_plan


def test_population_is_reproducible_and_as_documented() -> None:
    a = draw_runners(60, seed=5)
    b = draw_runners(60, seed=5)
    assert [r.params for r in a] == [r.params for r in b]
    assert [r.params for r in a] != [r.params for r in draw_runners(60, seed=6)]
    groups = [r.group for r in a]
    assert groups.count("lld") == 20 and groups.count("toning") == 9
    assert groups.count("fault") == 9 and groups.count("control") == 22
    lld = [r.params for r in a if r.group == "lld"]
    assert sorted({p.lld_cm for p in lld}) == [0.5, 1.0, 1.5, 2.0, 3.0]
    assert all(sum(p.lld_cm == x for p in lld) == 4 for x in (0.5, 1.0, 1.5, 2.0, 3.0))
    assert {p.lld_side for p in lld} == {"left", "right"}
    for r in a:
        p = r.params
        assert (p.lld_cm > 0) == (r.group == "lld")
        assert (p.instability > 0) == (r.group == "toning")
        assert bool(p.fault_kind) == (r.group == "fault")
        assert 2.0 <= p.speed_m_s <= 5.5 if p.gait == "run" else 0.8 <= p.speed_m_s <= 1.8
        assert p.hysteresis == 0.1 and p.clock_ppm != (0.0, 0.0)
    asym = np.array([r.params.asym_loading_rate for r in a])
    assert 0.1 < np.std(asym) < 0.3  # natural asymmetry, literature SD ~0.2
    ideal = draw_runners(10, seed=5, spec=CorpusSpec(natural_asym=0.0, realistic_sensors=False))
    assert all(r.params.asym_loading_rate == 0 and r.params.hysteresis == 0 for r in ideal)


def test_generate_corpus_writes_sessions_and_ground_truth(tmp_path: Path) -> None:
    spec = CorpusSpec(minutes=0.25, frac_lld=0.5, frac_toning=0.0, frac_fault=0.5, frac_walk=0.0)
    calls: list[int] = []
    path = generate_corpus(
        tmp_path, 4, seed=3, spec=spec, workers=1, progress=lambda d, t: calls.append(d)
    )
    assert calls == [1, 2, 3, 4]
    truth = json.loads(path.read_text())
    rows = truth["runners"]
    assert [r["id"] for r in rows] == ["r000", "r001", "r002", "r003"]
    for r in rows:
        sessions = read_sessions(tmp_path / r["file"])
        assert [s.foot for s in sessions] == ["left", "right"]
        assert (tmp_path / f"{r['id']}.truth.json").exists()
        steps = json.loads((tmp_path / f"{r['id']}.steps.json").read_text())
        assert len(steps["feet"][0]["contact_s"]) == r["feet"]["left"]["steps"] > 5
        cond = r["conditions"]
        if r["group"] == "lld":
            assert cond["lld_cm"] > 0 and cond["lld_long_side"] in C.SIDES
        else:
            assert cond["fault"]["kind"] in ("stuck", "open", "saturated", "imu_lost")
            assert 0.25 * 15 <= cond["fault"]["onset_true_s"] <= 0.75 * 15
    with (tmp_path / "corpus.csv").open() as fh:
        table = list(csv.DictReader(fh))
    assert [t["id"] for t in table] == ["r000", "r001", "r002", "r003"]


def test_lld_shows_in_the_corpus_symmetry_index(tmp_path: Path) -> None:
    """Ideal runners (no natural asymmetry): the short limb's loading rate is higher."""
    spec = CorpusSpec(
        minutes=1.0,
        frac_lld=1.0,
        frac_toning=0,
        frac_fault=0,
        frac_walk=0,
        natural_asym=0.0,
        lld_levels_cm=(3.0,),
    )
    rows = json.loads(generate_corpus(tmp_path, 3, seed=8, spec=spec, workers=1).read_text())[
        "runners"
    ]
    for r in rows:
        if r["traits"]["strike"] == "fore":
            continue  # no impact transient: loading rate follows stance only
        si = r["symmetry_index_pct"]["loading_rate_bw_s"]
        long_left = r["conditions"]["lld_long_side"] == "left"
        want = 100 * C.LLD_WALK_LR_PER_CM * C.lld_scale(3.0, "run")  # 5.25 %
        assert (si < -0.4 * want) if long_left else (si > 0.4 * want)


def test_training_plan_has_the_load_jump() -> None:
    plan = session_plan(dt.date(2026, 3, 4), weeks_steady=4, jump_pct=50, weeks_after=2, seed=1)
    assert len(plan) == 24 and plan[0].date >= "2026-03-02"
    dates = [s.date for s in plan]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    weeks = weekly_load(plan, 4)
    steady = [w.minutes for w in weeks[:4]]
    assert np.std(steady) / np.mean(steady) < 0.05
    assert weeks[4].jump and weeks[4].change_pct == pytest.approx(50, abs=8)
    assert weeks[3].acwr == pytest.approx(1.0, abs=0.06)
    assert weeks[4].acwr == pytest.approx(1.5 / 1.125, abs=0.08)  # Gabbett 2016 ratio
    runner = RunnerParams(speed_m_s=3.0, cadence_spm=170, seed=9)
    ps = session_params(plan, runner, sim_minutes=1.0)
    assert all(p.duration_s <= 60 for p in ps) and ps[0].start_epoch_s == plan[0].start_epoch_s
    assert {p.mass_kg for p in ps} == {runner.mass_kg}


def test_write_plan(tmp_path: Path) -> None:
    plan = session_plan(dt.date(2026, 3, 2), weeks_steady=1, weeks_after=1, sessions_per_week=3)
    path = write_plan(tmp_path, plan, RunnerParams(seed=2), weeks_steady=1, sim_minutes=0.15)
    truth = json.loads(path.read_text())
    assert len(truth["files"]) == 6 and truth["jump_week"] == 1
    assert all((tmp_path / f).exists() for f in truth["files"])
    assert truth["weeks"][1]["change_pct"] == pytest.approx(50, abs=10)


def test_params_from_options() -> None:
    p = params_from_options(
        lld=1.5,
        lld_side="right",
        toning=True,
        fault="open",
        fault_foot="right",
        fault_cell=2,
        fault_at=10.0,
        clock_ppm=20.0,
        realistic=True,
    )
    assert (p.lld_cm, p.lld_side, p.instability) == (1.5, "right", 1.0)
    assert (p.fault_kind, p.fault_foot, p.fault_cell, p.fault_onset_s) == ("open", 1, 2, 10.0)
    assert p.clock_ppm == (0.0, 20.0) and p.hysteresis == 0.1
    assert params_from_options() == RunnerParams(duration_s=120.0)
    for bad in (dict(fault="melted"), dict(lld_side="up"), dict(cells=12), dict(lld=9.0)):
        with pytest.raises(typer.BadParameter):
            params_from_options(**bad)  # type: ignore[arg-type]


def test_commands(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["corpus", "--out", str(tmp_path / "c"), "--n", "2", "--minutes", "0.2", "--workers", "1"],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "c" / "corpus.json").exists() and "runners" in res.output
    res = runner.invoke(
        app,
        [
            "plan",
            "--out",
            str(tmp_path / "p"),
            "--weeks-steady",
            "1",
            "--weeks-after",
            "1",
            "--sessions",
            "3",
            "--sim-minutes",
            "0.1",
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p" / "plan.json").exists() and "jump" in res.output


def test_findings_corpus_runners_bring_a_learnt_unstable_reference(tmp_path: Path) -> None:
    """With reference_session, each pod first learns the runner's own UNSTABLE reference
    from a run in usual shoes and writes it as a Note, so replay reproduces the flag."""
    from stridefw import config as fw_config
    from stridekit.replay import replay

    spec = CorpusSpec(
        minutes=3.0,
        frac_lld=0.0,
        frac_toning=0.5,
        frac_fault=0.0,
        frac_walk=0.0,
        reference_session=True,
    )
    rows = json.loads(generate_corpus(tmp_path, 2, seed=4, spec=spec, workers=1).read_text())[
        "runners"
    ]
    for r in rows:
        sessions = read_sessions(tmp_path / r["file"])
        assert len(sessions) == 2
        for s in sessions:
            assert any(n.text.startswith("unstable ref") for n in s.notes)
            rep = replay(s)
            assert rep.steps_identical and rep.flags_identical, rep.first_difference
        unstable = any(f.flags & fw_config.FLAG_UNSTABLE for s in sessions for f in s.flags)
        assert unstable == (r["group"] == "toning"), r
