"""The findings on real healthy walkers (gaitpdb controls): the baseline is the one the
analysis ships, and the held-out half stays within the false-positive goal."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridekit.eval import findings as F
from tests.data.conftest import data_dir


@pytest.fixture(scope="module")
def real() -> F.RealFindings:
    root: Path = data_dir("gaitpdb").parent
    return F.real_findings(root, workers=2)


def test_committed_baseline_is_the_fit_half_of_the_real_walks(real: F.RealFindings) -> None:
    assert real.baseline_matches_committed, (
        "healthy_baseline.json is stale: run `stride eval --findings --real ../shared/data "
        "--write-baseline`"
    )
    held = {w.subject for w in real.walks if w.held_out}
    assert not held & {F.subject_of(n) for n in real.baseline.walks}  # nothing leaks


def test_held_out_healthy_walks_are_judged_and_rarely_flagged(real: F.RealFindings) -> None:
    judged = real.rate("judged", True)
    leg = real.rate("leg", True)
    assert judged.n >= 20 and judged.p >= F.GOAL_JUDGED
    assert leg.p <= F.GOAL_FP, [w.name for w in real.rows(True) if w.lld not in ("", "none")]


def test_subject_split_is_fixed_and_keeps_walks_of_one_person_together() -> None:
    fit, held = F.split_subjects(["GaCo05", "GaCo01", "JuCo03", "SiCo07", "GaCo03"])
    assert fit == {"GaCo01", "GaCo05", "SiCo07"} and held == {"GaCo03", "JuCo03"}
    assert F.subject_of("GaCo05_10") == "GaCo05" and F.subject_of("GaPt07_01") is None


def test_footwear_finding_with_a_learnt_reference_is_the_pods_flag(real: F.RealFindings) -> None:
    """Pods that learnt a person's reference from another of their walks: the report's
    footwear finding is exactly the pod's UNSTABLE flag, walk by walk."""
    assert len(real.pairs) >= 20
    assert all(p.shoes == p.pod_unstable for p in real.pairs), [
        (p.reference, p.walk) for p in real.pairs if p.shoes != p.pod_unstable
    ]
