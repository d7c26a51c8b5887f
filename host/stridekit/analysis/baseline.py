"""How asymmetric healthy people are, measured on real walks, and how far a run lies from them.

A left/right finding may fire only where healthy people do not go. "Healthy" here is
measured, not assumed: PhysioNet gaitpdb's control walks (Hausdorff et al.; ordinary
shoes, no known leg-length difference), recorded through our own kernel from their
8-sensor insoles, so the spread includes what real insoles add (sensor-to-sensor and
left/right insole differences). `stride eval --findings --real DATA --write-baseline`
fits it on half of the subjects and writes `healthy_baseline.json` beside this
file; the other half is kept for the false-positive figure the eval prints.

Features of a run (left minus right, %):
  stance, peak force, loading rate, impulse: symmetry indices (Robinson et al. 1987);
  strike: strike point (CoP at contact) left minus right, % of foot length.
A run's feature vector x has two spreads: its own step-to-step sampling noise W (from
its steps, by the delta method) and the spread between healthy people B (from the
baseline: the covariance of the healthy walks' features minus their mean sampling
noise). Under "healthy", x ~ N(0, B + W). A longer run has a smaller W, never a
smaller B: no run length makes a healthy person's own asymmetry look like a finding.

No real running insole recordings are available to us, so running is judged against
the walking baseline (stated in the report); simulated runners with natural running
asymmetry from the literature (Girard et al. 2019) measure what that costs.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stridekit.analysis.steps import FootSteps

FEATURES: tuple[str, ...] = ("stance", "peak", "loading_rate", "impulse", "strike")
_SI_FIELDS = {
    "stance": "stance_us",
    "peak": "peak_force_dn",
    "loading_rate": "loading_rate_n_s",
    "impulse": "impulse_dnms",
}
BASELINE_FILE = Path(__file__).with_name("healthy_baseline.json")
MIN_SHARE_BETWEEN = 0.25  # between-person variance never below this share of the total


def si_pct(lm: float, rm: float) -> float:
    """Symmetry index (L - R) / mean, %, of two non-negative means (0 when both are 0)."""
    s = lm + rm
    return 200.0 * (lm - rm) / s if s > 0 else 0.0


def si_gradient(lm: float, rm: float) -> tuple[float, float]:
    """(d SI / d lm, d SI / d rm) for the delta method (0, 0 when both means are 0)."""
    s = lm + rm
    return (400.0 * rm / s**2, -400.0 * lm / s**2) if s > 0 else (0.0, 0.0)


def features(ls: FootSteps, rs: FootSteps) -> tuple[np.ndarray, np.ndarray]:
    """(x, W): the run's left-minus-right features (%) and their sampling covariance."""
    k = len(FEATURES)
    x = np.zeros(k)
    gl = np.zeros(k)  # d x / d mean_left, d x / d mean_right
    gr = np.zeros(k)
    cols_l, cols_r = [], []
    for i, name in enumerate(FEATURES):
        if name == "strike":
            lv, rv = ls["strike_pm"] / 10, rs["strike_pm"] / 10
            x[i] = float(lv.mean() - rv.mean())
            gl[i], gr[i] = 1.0, -1.0
        else:
            lv, rv = ls[_SI_FIELDS[name]], rs[_SI_FIELDS[name]]
            lm, rm = float(lv.mean()), float(rv.mean())
            x[i] = si_pct(lm, rm)
            gl[i], gr[i] = si_gradient(lm, rm)
        cols_l.append(lv)
        cols_r.append(rv)
    cl = np.atleast_2d(np.cov(np.stack(cols_l)))
    cr = np.atleast_2d(np.cov(np.stack(cols_r)))
    w = np.outer(gl, gl) * cl / len(ls) + np.outer(gr, gr) * cr / len(rs)
    return x, w


@dataclass
class Baseline:
    """The healthy spread: between-person covariance B of the features, and where it came from."""

    between: np.ndarray  # (k, k), %^2
    mean: np.ndarray  # healthy mean of x (reported, not subtracted: pods have no fixed side)
    n_walks: int
    n_subjects: int
    walks: list[str]
    source: str

    @property
    def sd(self) -> np.ndarray:
        return np.sqrt(np.diag(self.between))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "between_cov_pct2": self.between.round(6).tolist(),
            "mean_pct": self.mean.round(4).tolist(),
            "n_walks": self.n_walks,
            "n_subjects": self.n_subjects,
            "walks": self.walks,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, d: dict[str, object]) -> Baseline:
        if list(d["features"]) != list(FEATURES):  # type: ignore[arg-type]
            raise ValueError(f"baseline features {d['features']} are not {list(FEATURES)}")
        return cls(
            np.array(d["between_cov_pct2"], dtype=float),
            np.array(d["mean_pct"], dtype=float),
            int(d["n_walks"]),  # type: ignore[arg-type]
            int(d["n_subjects"]),  # type: ignore[arg-type]
            list(d["walks"]),  # type: ignore[arg-type]
            str(d["source"]),
        )


def fit(walks: list[tuple[str, np.ndarray, np.ndarray]], subjects: int, source: str) -> Baseline:
    """Between-person covariance from healthy walks (name, x, W): Cov(x) - mean(W), kept PSD.

    The raw spread of healthy walks holds each walk's own sampling noise; that part
    shrinks with run length and is added back per run from the run's own steps.
    Each feature keeps at least MIN_SHARE_BETWEEN of its total variance (a noisy
    subtraction must not declare healthy people identical).
    """
    xs = np.stack([x for _, x, _ in walks])
    # about zero, not the sample mean: a pod has no fixed side, so a healthy group's
    # mean asymmetry (this dataset's insoles favour one side) counts as spread
    total = xs.T @ xs / len(xs)
    noise = np.mean(np.stack([w for _, _, w in walks]), axis=0)
    b = total - noise
    var = np.maximum(np.diag(b), MIN_SHARE_BETWEEN * np.diag(total))
    # correlations of the between-person part, made positive definite in that scale
    # (features differ in size by 10x, so clipping is done on correlations)
    corr = b / np.sqrt(np.outer(var, var))
    np.fill_diagonal(corr, 1.0)
    vals, vecs = np.linalg.eigh(corr)
    corr = (vecs * np.maximum(vals, 0.05)) @ vecs.T
    dd = np.sqrt(np.diag(corr))
    corr = corr / np.outer(dd, dd)
    sd = np.sqrt(var)
    b = corr * np.outer(sd, sd)
    return Baseline(b, xs.mean(axis=0), len(walks), subjects, [n for n, _, _ in walks], source)


@functools.cache
def healthy() -> Baseline:
    """The committed baseline (fitted on real healthy walks; see the module docstring)."""
    return Baseline.from_json(json.loads(BASELINE_FILE.read_text()))


def z_scores(x: np.ndarray, w: np.ndarray, b: Baseline) -> np.ndarray:
    """Each feature's distance from healthy, in SDs of healthy people at this run's noise."""
    return x / np.sqrt(np.diag(b.between) + np.diag(w))


def pattern_score(x: np.ndarray, w: np.ndarray, b: Baseline, weights: np.ndarray) -> float:
    """A fixed weighted sum of the features, in SDs of healthy people (plus this run's noise).

    score = weights . x / sqrt(weights' (B + W) weights) ~ N(0, 1) for healthy people.
    The weights are fixed in advance; the inverse covariance is deliberately not used
    to pick "unusual combinations": that would lean on exactly how features co-vary,
    which neither the literature nor a simulator knows well enough.
    """
    return float(weights @ x) / math.sqrt(float(weights @ (b.between + w) @ weights))
