"""The viper StepKernel.push() and helpers (stridefw.kernel_vp) against their plain-Python
twins (stridefw.kernel_py) and CPython, in ../shared/tools/micropython-unix32 (32-bit x86;
the WebAssembly build has no viper): the same Step and Flag records bit for bit, the same
kernel state after every sample, on simulated runs and real records, and no allocation
per sample under micropython.heap_lock()."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridekit import mpy
from stridekit.bench import unix32
from stridekit.replay import KernelOutput, kernel_for, run_kernel
from tests.golden.cases import CASES, REALISTIC, FootInput

pytestmark = pytest.mark.usefixtures("unix32_available")  # the viper twins need it


def _feet(name: str) -> list[FootInput]:
    from tests.data.conftest import data_dir

    case = next(c for c in CASES if c.name == name)
    d: Path | None = data_dir(case.data) if case.data else None
    return case.load(d)


# simulated (8 and 16 cells, 100/200 Hz, realistic sensor, faults, no IMU) and real
# (gaitpdb 8 cells, gaitndd one footswitch, ipol IMU only) golden cases
NAMES = [
    "sim_run_heel_8cell_100hz",
    "sim_run_16cell_200hz",
    "sim_lld_toning_realistic",
    "sim_fault_stuck_cell",
    "sim_fault_open_cell",
    "sim_insole_only_no_imu",
    "gaitpdb_GaCo01_01",
    "gaitndd_control1",
    "ipol_1-1",
]


def _same(a: KernelOutput, b: KernelOutput) -> bool:
    return (a.step_payloads, a.step_at, a.flag_payloads, a.flag_at) == (
        b.step_payloads,
        b.step_at,
        b.flag_payloads,
        b.flag_at,
    )


@pytest.mark.parametrize("name", NAMES)
def test_viper_and_python_twins_match_cpython_bit_for_bit(name: str) -> None:
    for f in _feet(name):
        py = run_kernel(kernel_for(f.header), f.t_us, f.cells, f.imu, f.imu_present)
        for emitter in unix32.EMITTERS:
            out, used = unix32.replay(f.header, f.t_us, f.cells, f.imu, f.imu_present, emitter)
            assert used == emitter  # the pass we meant to test actually ran
            assert _same(out, py), f"{name} foot {f.foot}: {emitter} differs from CPython"
        assert py.step_payloads


# Both pushes side by side in one unix32 process: kernel_vp.push on one kernel,
# kernel_py.push on another, and every integer of their state compared after each
# sample (the records alone would miss a difference that has not reached a record yet).
_SIDE_BY_SIDE = r"""
import array, struct
from stridefw import calib, kernel, kernel_py, kernel_vp, layouts, records
raw = open("/samples.bin", "rb").read()
n, nc, has_imu, layout_id, foot, bw = struct.unpack_from("<IBBBBH", raw, 0)
o = 10
t = array.array("i", raw[o:o + 4 * n]); o += 4 * n
cells_all = array.array("H", raw[o:o + 2 * n * nc]); o += 2 * n * nc
imu_all = array.array("h", raw[o:o + 12 * n]); o += 12 * n
present = raw[o:o + n]
hdr = records.SessionHeader.from_bytes(open("/header.bin", "rb").read())
cal = calib.Calibration.from_bytes(hdr.calib) if hdr.calib else calib.nominal(nc)
def make():
    return kernel.StepKernel(layouts.by_id(layout_id), cal, foot, has_imu == 1, bw)
kv = make()
kp = make()
def same(a, b):
    # the arrays every sample (array == array compares their bytes), all of it at events
    if a._s != b._s or a.force != b.force or a._base != b._base or a._quiet1 != b._quiet1:
        return False
    if a.summary.acc != b.summary.acc or a.floor.state != b.floor.state:
        return False
    ha = a.health
    hb = b.health
    if ha.fault != hb.fault or ha.words != hb.words or ha._stuck_ref != hb._stuck_ref:
        return False
    return a._koff == b._koff
def same_all(a, b):
    sa = a.summary
    sb = b.summary
    return (sa.csum == sb.csum and sa.trace_f == sb.trace_f and sa.trace_t == sb.trace_t
            and a.step == b.step and a.flag == b.flag)
cells = array.array("H", bytes(2 * nc))
imu = array.array("h", bytes(12))
bad = -1
evs = 0
for i in range(n):
    b = i * nc
    for c in range(nc):
        cells[c] = cells_all[b + c]
    m = None
    if present[i]:
        b = i * 6
        for c in range(6):
            imu[c] = imu_all[b + c]
        m = imu
    ev = kernel_vp.push(kv, t[i], cells, m)
    if kernel_py.push(kp, t[i], cells, m) != ev or not same(kv, kp):
        bad = i
        break
    if ev and not same_all(kv, kp):
        bad = i
        break
    evs += ev
print("side", n, bad, evs)
"""


def _side_by_side(f: FootInput) -> tuple[int, int, int]:
    from stridekit.mpy.kernel_run import pack_samples

    packed = pack_samples(f.header, f.t_us, f.cells, f.imu, f.imu_present)
    out, _ = unix32.run(
        _SIDE_BY_SIDE, {"/samples.bin": packed, "/header.bin": f.header.to_bytes()}, "viper"
    )
    line = next(ln for ln in out.splitlines() if ln.startswith("side"))
    n, bad, evs = (int(x) for x in line.split()[1:])
    return n, bad, evs


@pytest.mark.parametrize("name", NAMES)
def test_viper_push_keeps_the_same_state_as_its_twin_sample_by_sample(name: str) -> None:
    for f in _feet(name):
        n, bad, evs = _side_by_side(f)
        assert bad == -1, f"{name} foot {f.foot}: viper and twin state differ at sample {bad}"
        assert n == len(f.t_us) and evs > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["cells_max", "cells_zero", "cell_noise", "tick", "imu_max", "imu_gone"]
            ),
            st.integers(0, 1999),
            st.integers(1, 300),
            st.integers(-(2**31), 2**31 - 1),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_viper_push_equals_its_twin_on_damaged_input(
    damage: list[tuple[str, int, int, int]],
) -> None:
    """Damaged samples (cells pinned at 65535 or 0, noise, ticks jumping anywhere,
    IMU packets at full scale or missing) on a real run: the two pushes still keep
    the same state, sample by sample."""
    f = _feet("sim_run_heel_8cell_100hz")[0]
    n = 2000
    t_us = f.t_us[:n].astype(np.int64).copy()
    cells = f.cells[:n].astype(np.int64).copy()
    assert f.imu is not None
    imu = f.imu[:n].astype(np.int64).copy()
    present = np.ones(n, bool) if f.imu_present is None else f.imu_present[:n].copy()
    for kind, at, length, v in damage:
        sl = slice(at, at + length)
        if kind == "cells_max":
            cells[sl, v % cells.shape[1]] = 65535
        elif kind == "cells_zero":
            cells[sl] = 0
        elif kind == "cell_noise":
            cells[sl] = np.random.default_rng(v & 0xFFFF).integers(0, 65536, cells[sl].shape)
        elif kind == "tick":
            t_us[at:] += v  # a jump, back or forward, of any size
        elif kind == "imu_max":
            imu[sl] = 32767 if v >= 0 else -32768
        else:
            present[sl] = False
    dmg = FootInput(f.foot, f.header, t_us & 0xFFFFFFFF, cells, imu, present)
    _, bad, _ = _side_by_side(dmg)
    assert bad == -1, f"viper and twin state differ at sample {bad} ({damage})"


def test_a_broken_twin_fails_the_comparisons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The twin with one number changed (the CoP path's 3/8 becomes 2/8 where the CoP
    moves mostly forward): both the
    sample-by-sample state and the records tell it from the viper push."""
    fw = tmp_path / "firmware"
    shutil.copytree(mpy.firmware_dir() / "stridefw", fw / "stridefw")
    twin = fw / "stridefw" / "kernel_py.py"
    src = twin.read_text()
    good = "a[13] += dy + ((3 * dx) >> 3)"
    assert src.count(good) == 1
    twin.write_text(src.replace(good, "a[13] += dy + ((2 * dx) >> 3)"))
    exe = mpy.unix32_path()  # found from the real checkout
    monkeypatch.setattr(mpy, "unix32_path", lambda: exe)
    monkeypatch.setattr(mpy, "firmware_dir", lambda: fw)
    f = _feet("sim_run_heel_8cell_100hz")[0]
    _, bad, _ = _side_by_side(f)
    assert bad > 0
    py = run_kernel(kernel_for(f.header), f.t_us, f.cells, f.imu, f.imu_present)
    out, used = unix32.replay(f.header, f.t_us, f.cells, f.imu, f.imu_present, "python")
    assert used == "python" and not _same(out, py)
    out, used = unix32.replay(f.header, f.t_us, f.cells, f.imu, f.imu_present, "viper")
    assert used == "viper" and _same(out, py)


@pytest.mark.parametrize("cells", [8, 16])
def test_push_allocates_nothing_under_heap_lock(cells: int) -> None:
    """10,000 samples of a realistic run (loaded and swing passes, steps emitted) with
    the heap locked: an allocation would raise MemoryError and fail the script."""
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import header_for

    kw = {k: v for k, v in REALISTIC.items() if k not in ("sample_drop_prob", "clock_ppm")}
    run = simulate(RunnerParams(duration_s=120.0, cells=cells, seed=31, **kw))  # type: ignore[arg-type]
    foot = run.feet[0]
    hdr = header_for(run, foot, 1)
    for emitter in unix32.EMITTERS:
        steps, used = unix32.heap_locked_steps(
            hdr, foot.t_us, foot.cells, foot.imu, 1000, 10_000, emitter
        )
        assert used == emitter
        assert steps > 50


def test_heap_lock_raises_in_this_build() -> None:
    """What the test above relies on: an allocation under the lock fails the script."""
    script = "import micropython\nmicropython.heap_lock()\nx = [1, 2, 3]\nprint(x)\n"
    with pytest.raises(mpy.MicroPythonError, match="MemoryError"):
        unix32.run(script, {}, "python")


def test_the_comparison_can_fail() -> None:
    """Half the samples give other records: _same is not vacuous."""
    f = _feet("sim_run_heel_8cell_100hz")[0]
    py = run_kernel(kernel_for(f.header), f.t_us, f.cells, f.imu, f.imu_present)
    n = len(f.t_us) // 2
    imu = f.imu[:n] if f.imu is not None else None
    out, _ = unix32.replay(f.header, f.t_us[:n], f.cells[:n], imu, None, "viper")
    assert not _same(out, py)


def test_imu_fallback_allocates_nothing_under_heap_lock() -> None:
    """The silent-insole path (stridefw.imu_gait) with the heap locked."""
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import header_for

    run = simulate(RunnerParams(duration_s=60.0, seed=32))
    foot = run.feet[0]
    hdr = header_for(run, foot, 1)
    silent = np.zeros_like(foot.cells)
    steps, used = unix32.heap_locked_steps(hdr, foot.t_us, silent, foot.imu, 500, 5000, "viper")
    assert used == "viper"
    assert steps > 30  # steps from the IMU alone


@pytest.mark.slow
def test_kernel_allocates_nothing_on_the_whole_path() -> None:
    """The App recording with BLE LIVE on (bench/alloc_path.py): the kernel's part of
    the per-sample path, and the balance rule's, allocate 0 bytes; the other parts'
    figures are printed by `stride bench` (owned elsewhere)."""
    from stridekit.bench import alloc_path

    res = alloc_path.measure(count=1000)
    assert res.steps > 10
    assert res.parts["kernel.push"] == (0, 1000)
    assert res.parts["balance_step"][0] == 0 and res.parts["balance_step"][1] > 10


@pytest.mark.parametrize("name", ["sim_lld_toning_realistic", "gaitpdb_GaCo01_01"])
def test_the_deploy_build_matches_cpython_bit_for_bit(name: str) -> None:
    """stride deploy's .mpy files (native modules, viper kernel_vp), built for x86."""
    for f in _feet(name):
        py = run_kernel(kernel_for(f.header), f.t_us, f.cells, f.imu, f.imu_present)
        out, used = unix32.replay(f.header, f.t_us, f.cells, f.imu, f.imu_present, unix32.DEPLOY)
        assert used == "viper"
        assert _same(out, py), f"{name} foot {f.foot}: the deploy build differs from CPython"


def test_viper_quiet_level_equals_its_twin() -> None:
    """set_quiet1 decides only which lookups are skipped, so a wrong level could hide
    from the record comparisons: compare the twins directly over tables and baselines."""
    script = """
import array
from stridefw import calib, kernel, kernel_py, kernel_vp, layouts
bad = 0
n = 0
for half in (1000, 4000, 12000):
    cal = calib.nominal(1, half)
    for seed in range(8):
        k = kernel.StepKernel(layouts.FOOTSWITCH_1, cal, has_imu=False)
        if seed:
            for j in range(65):  # uneven steps, some falling
                k._tab[j] = (k._tab[j] * (7 + (j * seed) % 5)) // 9
        for b in range(0, 1501, 3):
            k._base[0] = b
            kernel_vp.set_quiet1(k, 0)
            v = k._quiet1[0]
            kernel_py.set_quiet1(k, 0)
            n += 1
            if v != k._quiet1[0]:
                bad += 1
print("quiet", n, bad)
"""
    out, _ = unix32.run(script, {}, "viper")
    n, bad = (int(x) for x in out.split()[1:3])
    assert n > 10_000 and bad == 0


@pytest.mark.slow
def test_viper_takes_fewer_instructions_than_bytecode() -> None:
    """Instruction counts (valgrind), not times: the same on any machine load. At 16
    cells the viper push() takes the kernel from ~114k to ~16k x86 instructions per
    sample (micropython-unix32, realistic sensor)."""
    import shutil

    from stridekit.bench import REALISTIC_SENSOR, chip
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import header_for

    if shutil.which("valgrind") is None:
        pytest.skip("valgrind is not installed (apt install valgrind)")
    run = simulate(RunnerParams(duration_s=31.0, cells=16, seed=7, **REALISTIC_SENSOR))  # type: ignore[arg-type]
    foot = run.feet[0]
    hdr = header_for(run, foot, 1)
    n = {
        e: chip.instructions_per_sample(hdr, foot.t_us, foot.cells, foot.imu, e, count=1000)
        for e in unix32.EMITTERS
    }
    assert n["viper"] < 0.3 * n["python"]
