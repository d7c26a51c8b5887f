"""Firmware code inside the real MicroPython interpreter (WebAssembly build under node)."""

from __future__ import annotations

import numpy as np
import pytest

from stridefw import records as R
from stridekit import mpy
from stridekit.mpy.kernel_run import alloc_mpy, replay_mpy
from stridekit.sim.record import header_for
from tests.conftest import run_foot, sim

pytestmark = [pytest.mark.mpy, pytest.mark.usefixtures("micropython_available")]

CASES = [
    dict(seed=21, duration_s=30.0),
    dict(seed=22, duration_s=30.0, gait="walk", speed_m_s=1.3, cadence_spm=110, cells=16),
    dict(seed=23, duration_s=30.0, strike="fore", speed_m_s=5.0, cadence_spm=185, rate_hz=200),
]


@pytest.mark.parametrize("case", CASES, ids=["run-8c", "walk-16c", "fore-200Hz"])
def test_steps_bit_identical_to_cpython(case: dict[str, object]) -> None:
    run = sim(**case)
    for foot in run.feet:
        hdr, py = run_foot(run, foot)
        mp = replay_mpy(hdr, foot.t_us, foot.cells, foot.imu)
        assert len(py.step_payloads) > 20
        assert mp.step_payloads == py.step_payloads
        assert mp.step_at == py.step_at
        assert mp.flag_payloads == py.flag_payloads


def test_bit_identical_with_faults_gaps_and_imu_dropout() -> None:
    run = sim(seed=24, duration_s=30.0)
    foot = run.feet[1]
    cells = foot.cells.copy()
    cells[1000:, 2] = 4095  # saturated cell
    cells[1500:, 5] = 0  # open cell
    t_us = foot.t_us.copy()
    t_us[2000:] += 250_000  # a 250 ms gap
    present = np.ones(len(t_us), bool)
    present[800:1400] = False
    hdr = header_for(run, foot, 1)
    from stridekit.replay import kernel_for, run_kernel

    py = run_kernel(kernel_for(hdr), t_us, cells, foot.imu, present)
    mp = replay_mpy(hdr, t_us, cells, foot.imu, present)
    assert py.gaps >= 1 and len(py.flag_payloads) >= 2
    assert (mp.step_payloads, mp.flag_payloads, mp.gaps) == (
        py.step_payloads,
        py.flag_payloads,
        py.gaps,
    )


@pytest.mark.parametrize("cells", [8, 16])
def test_push_allocates_nothing(cells: int) -> None:
    """gc.mem_alloc() across 10,000 push() calls after warm-up: exactly 0 bytes.

    The run includes steps, so step emission, statistics and flags are covered;
    on this 32-bit port a fixed-point value spilling into a big int would allocate.
    """
    run = sim(seed=25, duration_s=120.0, cells=cells)
    foot = run.feet[0]
    hdr = header_for(run, foot, 1)
    nbytes, steps = alloc_mpy(hdr, foot.t_us, foot.cells, foot.imu, warmup=1000, count=10_000)
    assert steps > 100
    assert nbytes == 0


def test_allocation_counter_can_see_an_allocation() -> None:
    """The same measurement on code that allocates reports it (the test can fail)."""
    res = mpy.run(
        "import gc\ngc.collect()\ngc.disable()\nm0 = gc.mem_alloc()\n"
        "x = [i for i in range(10)]\nprint(gc.mem_alloc() - m0)\n"
    )
    assert int(res.stdout.split()[0]) > 0


def test_codec_round_trip_inside_micropython() -> None:
    """MicroPython decodes a host-written session and re-encodes identical frames."""
    run = sim(seed=26, duration_s=5.0)
    from stridekit.sim.record import record_foot

    data = record_foot(run, run.feet[0], 1)
    script = r"""
from stridefw import records
data = open("/in.strd", "rb").read()
dec = records.FrameDecoder()
enc = records.Encoder()
out = bytearray()
buf = bytearray(records.MAX_ENCODED)
for chunk in range(0, len(data), 500):
    for r in dec.feed(data[chunk:chunk + 500]):
        end = enc.encode_into(buf, 0, r.rtype, r.seq, r.payload)
        out.extend(buf[:end])
dec.close()
open("/out.strd", "wb").write(out)
print("errors", dec.n_errors, "records", dec.n_records)
"""
    res = mpy.run(script, {"/in.strd": data}, ["/out.strd"])
    assert res.outputs["/out.strd"] == data
    assert "errors 0" in res.stdout
    recs, _ = R.decode_all(data)
    assert f"records {len(recs)}" in res.stdout


def test_micropython_errors_surface_with_traceback() -> None:
    with pytest.raises(mpy.MicroPythonError, match="ZeroDivisionError"):
        mpy.run("1 // 0")


def _consts(module: str) -> dict[str, int]:
    """`_NAME = const(n)` of a firmware module, read from its source (MicroPython folds
    such a constant only inside its own module, so the viper code repeats some)."""
    import re

    src = (mpy.firmware_dir() / "stridefw" / f"{module}.py").read_text()
    return {
        m.group(1): int(m.group(2), 0)
        for m in re.finditer(r"^(_[A-Z0-9_]+) = const\(([-0-9a-fA-Fx]+)\)", src, re.M)
    }


def test_the_kernel_state_indices_and_constants_agree_across_the_twins() -> None:
    """kernel.py, kernel_py.py and kernel_vp.py index StepKernel._s alike, and
    kernel_vp's copies of stridefw.config's numbers are config's."""
    from stridefw import config

    k, py, vp = _consts("kernel"), _consts("kernel_py"), _consts("kernel_vp")
    state = {n: v for n, v in py.items() if n.startswith("_S_")}
    assert len(state) > 40 and sorted(state.values()) == list(range(len(state)))
    assert {n: v for n, v in k.items() if n.startswith("_S_")} == state
    assert {n: v for n, v in vp.items() if n.startswith("_S_")} == state
    assert k["_N_S"] == len(state)
    copied = 0
    for name, v in vp.items():
        if hasattr(config, name[1:]):
            assert getattr(config, name[1:]) == v, name
            copied += 1
        elif not name.startswith("_S_"):
            assert py.get(name) == v, name  # the twin's own constants
    assert copied > 10
