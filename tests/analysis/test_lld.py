"""The leg-length and unequal-loading findings: judged against real healthy people, sharing
nothing with the simulator that makes the test runners."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from stridekit.analysis import baseline as B
from stridekit.analysis.asymmetry import FINDING_Z, symmetry
from stridekit.analysis.steps import foot_steps
from stridekit.cli import app
from stridekit.sim.corpus import CorpusSpec, generate_corpus
from tests.analysis.helpers import merged

ANALYSIS = Path(B.__file__).parent


def test_analysis_imports_nothing_from_the_simulator() -> None:
    """Agreement between simulator and analysis proves nothing if they share constants."""
    for path in ANALYSIS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                assert not n.startswith("stridekit.sim"), f"{path.name} imports {n}"


def test_committed_baseline_is_real_and_documented() -> None:
    d = json.loads(B.BASELINE_FILE.read_text())
    base = B.healthy()
    assert d["features"] == list(B.FEATURES)
    assert base.n_walks >= 20 and len(base.walks) == base.n_walks
    assert all("Co" in w for w in base.walks), "only control walks may define healthy"
    assert "gaitpdb" in base.source
    vals = np.linalg.eigvalsh(base.between)
    assert vals.min() > 0  # a proper covariance


def test_pod_balance_uses_the_same_healthy_spread() -> None:
    """stridefw.config's healthy SDs (the pod's UNEVEN_LOAD rule) are the baseline's."""
    from stridefw import config as fw

    base = B.healthy()
    sd_pm = dict(zip(B.FEATURES, base.sd * 10, strict=True))
    assert round(sd_pm["stance"]) == fw.HEALTHY_SD_STANCE_PM
    assert round(sd_pm["peak"]) == fw.HEALTHY_SD_PEAK_PM
    assert round(sd_pm["loading_rate"]) == fw.HEALTHY_SD_LOADING_PM
    assert round(sd_pm["impulse"]) == fw.HEALTHY_SD_IMPULSE_PM
    assert fw.BAL_LIMIT_SD == FINDING_Z
    w = np.array([1.0, -1, -1, 0, 0]) / base.sd
    assert round(float(np.sqrt(w @ base.between @ w)) * 256) == fw.LLD_SUM_SD_Q8


def test_pattern_score_of_healthy_draws_is_standard_normal() -> None:
    base = B.healthy()
    rng = np.random.default_rng(5)
    w = np.diag(base.sd**2 * 0.1)
    xs = rng.multivariate_normal(np.zeros(len(B.FEATURES)), base.between + w, size=4000)
    d = np.array([1.0, -1, -1, 0, 0]) / base.sd
    s = np.array([B.pattern_score(x, w, base, d) for x in xs])
    assert abs(float(np.mean(s))) < 0.1
    assert 0.93 < float(np.std(s)) < 1.07
    assert float(np.mean(np.abs(s) >= FINDING_Z)) < 0.01


def test_fit_removes_sampling_noise_but_keeps_a_floor() -> None:
    rng = np.random.default_rng(2)
    k = len(B.FEATURES)
    true_sd = np.array([1.0, 4.0, 12.0, 4.0, 1.5])
    walks = []
    for i in range(200):
        w = np.diag((0.5 * true_sd) ** 2)
        x = rng.normal(0, true_sd) + rng.multivariate_normal(np.zeros(k), w)
        walks.append((f"w{i}", x, w))
    base = B.fit(walks, 200, "synthetic")
    assert np.allclose(base.sd, true_sd, rtol=0.15)
    # all noise and no spread: the floor keeps a quarter of the variance
    walks0 = [(f"w{i}", rng.normal(0, true_sd), np.diag(true_sd**2)) for i in range(200)]
    b0 = B.fit(walks0, 200, "synthetic")
    assert np.all(b0.sd >= 0.45 * true_sd)


@pytest.mark.parametrize("side", ["left", "right"])
def test_walking_leg_length_difference_is_found_on_the_long_side(side: str) -> None:
    # 4 cm walking: well past the ~2 cm where studies see it (3 cm sits on the bar)
    run = merged(
        gait="walk",
        speed_m_s=1.3,
        cadence_spm=110.0,
        duration_s=180,
        seed=4,
        lld_cm=4.0,
        lld_side=side,
    )
    a = symmetry(foot_steps(run, 0), foot_steps(run, 1))
    assert a.judged and a.mode == "walking"
    assert a.lld is not None
    assert a.lld.detected and a.lld.longer_side == side, a.lld.text
    assert a.lld.category in ("possible", "likely")
    assert side in a.lld.text and "cm" in a.lld.text
    assert not np.isfinite(a.lld.magnitude_cm)  # no size from gait data


@pytest.mark.parametrize("gait", ["walk", "run"])
def test_symmetric_runner_shows_no_finding_and_no_side(gait: str) -> None:
    kw = {"speed_m_s": 1.3, "cadence_spm": 110.0} if gait == "walk" else {}
    run = merged(gait=gait, duration_s=180, seed=4, **kw)  # type: ignore[arg-type]
    a = symmetry(foot_steps(run, 0), foot_steps(run, 1))
    assert a.judged
    assert a.lld is not None and a.lld.category == "none"
    assert not a.uneven and all(m.side == "" for m in a.metrics)


def test_too_few_steps_of_the_mode_is_not_judged() -> None:
    run = merged(duration_s=20, seed=4)
    a = symmetry(foot_steps(run, 0), foot_steps(run, 1))
    assert not a.judged and "too few" in a.reason


def test_eval_findings_cli_on_a_small_corpus(tmp_path: Path) -> None:
    spec = CorpusSpec(
        minutes=1.0,
        frac_lld=0.5,
        lld_levels_cm=(3.0,),
        frac_toning=0.25,
        frac_fault=0.0,
        frac_walk=0.0,
    )
    generate_corpus(tmp_path, 4, seed=3, spec=spec, workers=1)
    res = CliRunner().invoke(
        app, ["eval", "--findings", str(tmp_path), "--workers", "1"], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0, res.output
    assert "Simulated runners" in res.output and "95 % CI" in res.output
    assert "LLD 3 cm" in res.output and "controls" in res.output
    # at 80 columns the tables come in parts, nothing cut
    narrow = CliRunner().invoke(
        app, ["eval", "--findings", str(tmp_path), "--workers", "1"], env={"COLUMNS": "80"}
    )
    assert narrow.exit_code == 0 and "…" not in narrow.output
    assert max(len(line) for line in narrow.output.splitlines()) <= 80


def test_eval_findings_needs_input(tmp_path: Path) -> None:
    r = CliRunner()
    assert r.invoke(app, ["eval", "--findings"]).exit_code == 2
    res = r.invoke(app, ["eval", "--findings", str(tmp_path / "nothing")])
    assert res.exit_code == 2 and "corpus.json" in "".join(res.output.split())
