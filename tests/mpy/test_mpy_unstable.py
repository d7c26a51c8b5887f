"""UNSTABLE with a runner reference inside MicroPython: bit-identical, 0 bytes per sample."""

from __future__ import annotations

import struct
from dataclasses import replace

import pytest

from stridefw import config as fw_config
from stridefw import records as R
from stridekit import mpy
from stridekit.mpy import kernel_run
from stridekit.replay import kernel_for, run_kernel
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import header_for
from tests.analysis.unstable_eval import learn, sim_feet

pytestmark = [pytest.mark.mpy, pytest.mark.usefixtures("micropython_available")]

RUNNER = RunnerParams(duration_s=120.0, stride_cv=0.018, stance_cv=0.025, cop_ml_sd_mm=2.0)
_KERNEL_LINE = 'cells = array.array("H", bytes(2 * nc))\n'


def _script(mode: str, warmup: int = 0, count: int = 0) -> str:
    s = kernel_run._SCRIPT % {"mode": mode, "warmup": warmup, "count": count}
    assert s.count(_KERNEL_LINE) == 1  # the kernel is built just before this line
    return s.replace(
        _KERNEL_LINE, "assert k.set_reference_note(open('/ref.txt').read())\n" + _KERNEL_LINE
    )


def test_reference_rule_bit_identical_and_allocation_free() -> None:
    ref = learn(sim_feet(simulate(replace(RUNNER, seed=31))))[0]
    assert ref
    run = simulate(replace(RUNNER, seed=32, instability=1.0))
    foot = run.feet[0]
    hdr = header_for(run, foot, 1)
    k = kernel_for(hdr)
    assert k.set_reference_note(ref)
    py = run_kernel(k, foot.t_us, foot.cells, foot.imu, foot.imu_present)
    assert k.flags & fw_config.FLAG_UNSTABLE  # the reference rule is exercised

    packed = kernel_run.pack_samples(hdr, foot.t_us, foot.cells, foot.imu, foot.imu_present)
    files = {"/samples.bin": packed, "/header.bin": hdr.to_bytes(), "/ref.txt": ref.encode()}
    res = mpy.run(_script("replay"), files, outputs=["/steps.bin", "/flags.bin"])
    steps = res.outputs["/steps.bin"]
    flags = res.outputs["/flags.bin"]
    size_s, size_f = 4 + R.STEP_LEN, 4 + R.FLAGREC_LEN
    mp_steps = [steps[o + 4 : o + size_s] for o in range(0, len(steps), size_s)]
    mp_flags = [flags[o + 4 : o + size_f] for o in range(0, len(flags), size_f)]
    assert mp_steps == py.step_payloads
    assert mp_flags == py.flag_payloads
    assert struct.unpack_from("<H", mp_flags[-1], 4)[0] & fw_config.FLAG_UNSTABLE

    # after the flag first rises, every push with the rule running allocates nothing
    first = next(
        i
        for i, p in zip(py.flag_at, py.flag_payloads, strict=True)
        if struct.unpack_from("<H", p, 4)[0] & fw_config.FLAG_UNSTABLE
    )
    warm = max(first - 2000, 1000)
    res = mpy.run(_script("alloc", warm, 4000), files)
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("alloc"))
    _, nbytes, _, nsteps = line.split()
    assert int(nsteps) > 40 and int(nbytes) == 0
