"""The swing pass skips the table lookup of a cell reading at or below its baseline's
force (kernel_py.set_quiet1 and its viper twin): exact for any table and baseline, so skipping changes
nothing (the golden files and the unix32 twins test pin the records themselves)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import calib, kernel, kernel_py, layouts


def _force(table: list[int], raw: int) -> int:
    k = raw >> calib.TABLE_SHIFT
    t0 = table[k]
    return t0 + (((table[k + 1] - t0) * (raw & calib.TABLE_FRAC_MASK)) >> calib.TABLE_SHIFT)


@settings(deadline=None, max_examples=300)
@given(
    steps=st.lists(st.integers(-300, 600), min_size=64, max_size=64),
    start=st.integers(0, 200),
    base_dn=st.integers(0, 1500),
)
def test_quiet_level_is_the_exact_bound(steps: list[int], start: int, base_dn: int) -> None:
    table = [start]
    for d in steps:  # any shape, also falling steps (a measured table need not rise)
        table.append(min(calib.CELL_MAX_DN, max(0, table[-1] + d)))
    cal = calib.Calibration(1)
    for i, v in enumerate(table):
        cal.table[i] = v
    k = kernel.StepKernel(layouts.FOOTSWITCH_1, cal, has_imu=False)
    k._base[0] = base_dn
    kernel_py.set_quiet1(k, 0)
    want = 0
    while want <= 4095 and _force(table, want) <= base_dn:
        want += 1
    assert k._quiet1[0] == want


def test_an_unloaded_realistic_insole_skips_most_lookups() -> None:
    """With the simulator's realistic sensor (2 N preload, 3 counts noise, hysteresis)
    the old fixed bound (the table's 12 dn, ~7-12 counts) fails on every swing sample
    counted here; each cell's own bound still skips about a third of their lookups
    (34 % in this run: a noisy cell reads at or below its baseline about half the time
    late in swing, above it early, while the insole unloads)."""
    import array

    from tests.conftest import sim
    from tests.golden.cases import REALISTIC

    run = sim(duration_s=20.0, seed=41, **REALISTIC)
    foot = run.feet[0]
    from stridekit.replay import kernel_for
    from stridekit.sim.record import header_for

    k = kernel_for(header_for(run, foot, 1))
    cells = array.array("H", bytes(2 * foot.cells.shape[1]))
    imu = array.array("h", bytes(12))
    assert foot.imu is not None
    imu_rows = foot.imu.tolist()
    skipped = looked = 0
    for i, t in enumerate(foot.t_us.tolist()):
        for c, v in enumerate(foot.cells[i].tolist()):
            cells[c] = v
        for c, v in enumerate(imu_rows[i]):
            imu[c] = v
        swing = k._state == 0 and max(cells) > k._quiet_raw
        k.push(t & 0x3FFFFFFF, cells, imu if foot.imu_present[i] else None)
        if swing and i > 500:
            for c in range(k.n_cells):
                if min(cells[c], 4095) < k._quiet1[c]:
                    skipped += 1
                else:
                    looked += 1
    assert looked + skipped > 5_000
    assert skipped > 0.25 * (looked + skipped)
