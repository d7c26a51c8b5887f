"""Golden files pin the kernel's Step and Flag records (issue 20, item 5).

The bit-identity tests compare CPython with MicroPython and the device with replay, so
a behaviour change passes them; these fail on any change to what StepKernel emits, for
seeded simulated runs and real recordings. A change that is meant: `make golden`
rewrites tests/golden/files/ and the commit message says so. Normal runs never write.
"""

from __future__ import annotations

import pytest

from tests.data.conftest import data_dir
from tests.golden import golden as G
from tests.golden.cases import CASES, Case


def _load(case: Case) -> G.Json:
    d = data_dir(case.data) if case.data else None  # skip (fail in CI) without the data
    return G.summarize(case, case.load(d))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_kernel_output_matches_golden(case: Case) -> None:
    got = _load(case)
    path = G.path_for(case)
    if G.updating():
        G.write(path, got)
        return
    assert path.exists(), f"{case.name}: no golden file {path}; {G.HOW_TO_UPDATE}"
    problems = G.differences(case, G.read(path), got)
    assert not problems, "\n".join([*problems, G.HOW_TO_UPDATE])


def test_every_golden_file_has_a_case() -> None:
    """A renamed or removed case leaves no stale golden file behind."""
    names = {c.name for c in CASES}
    stale = sorted(p.name for p in G.GOLDEN_DIR.glob("*.json") if p.stem not in names)
    assert not stale, f"golden files without a case: {stale}; delete them"


def test_kernels_share_no_state() -> None:
    """Interleaved fresh kernels give what each gives alone: results depend on neither
    the order cases run in nor what ran before in the same process (xdist, caches)."""
    case = next(c for c in CASES if c.name == "sim_lld_toning_realistic")
    feet = case.load(None)
    alone = [G.run(f) for f in feet]
    again = [G.run(f) for f in reversed(feet)][::-1]
    for a, b in zip(alone, again, strict=True):
        assert a.step_payloads == b.step_payloads and a.flag_payloads == b.flag_payloads
        assert a.step_payloads  # not a vacuous comparison


def _summary(steps: list[list[int]], flags: list[list[int]]) -> G.Json:
    """A hand-made summary to check that a difference is found and explained."""
    from stridefw import records as R

    sp = [R.Step(*s).to_bytes() for s in steps]
    fp = [R.Flag(*f).to_bytes() for f in flags]
    return {
        "format": G.FORMAT,
        "feet": [
            {
                "foot": 1,
                "samples": 10,
                "input_sha256": "x",
                "steps": len(sp),
                "steps_sha256": G._sha(sp),
                "flags": len(fp),
                "flags_sha256": G._sha(fp),
                "step_digests": G.step_digests(sp),
                "first_steps": [G.step_row(p) for p in sp[: G.EXCERPT_STEPS]],
                "flag_records": [G.flag_row(p) for p in fp],
            }
        ],
    }


def test_a_difference_names_case_foot_step_and_fields() -> None:
    case = CASES[0]
    steps = [[i, 1000 * i, 250_000, 400_000, *[0] * 15] for i in range(30)]
    flags = [[5, 8, 8, 4, 1]]
    want = _summary(steps, flags)
    assert G.differences(case, want, want) == []
    changed = [list(s) for s in steps]
    changed[3][2] = 251_000  # stance_us of step 3
    changed[3][17] = 2  # its flags
    msg = "\n".join(G.differences(case, want, _summary(changed, [[5, 10, 10, 4, 1]])))
    assert f"{case.name} foot 1: Step records differ" in msg
    assert "first differing step index 3" in msg
    assert "stance_us: golden 250000, now 251000" in msg and "flags: golden 0, now 2" in msg
    assert "first differing Flag record 0" in msg
    assert "names: golden 'SENSOR_FAULT', now 'UNSTABLE+SENSOR_FAULT'" in msg
    # past the excerpt: the index is still found, from the per-step digests
    late = [list(s) for s in steps]
    late[25][4] = 99
    msg = "\n".join(G.differences(case, want, _summary(late, flags)))
    assert "first differing step index 25" in msg and "past the 20-step excerpt" in msg
    # a step less
    msg = "\n".join(G.differences(case, want, _summary(steps[:-1], flags)))
    assert "30 steps in the golden, 29 now; first differing step index 29" in msg
