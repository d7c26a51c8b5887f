"""Contacts held for tens of minutes (a foot resting lightly while the runner sits, a
foot standing loaded): the viper push() on 32-bit words and its plain twin on
CPython's exact ints keep writing the same records, and CPython never raises where
the pod's 32-bit words wrap. Run in ../shared/tools/micropython-unix32."""

from __future__ import annotations

import numpy as np
import pytest

from stridefw import calib
from stridefw import kernel as K
from stridefw import records as R
from stridekit.bench import unix32
from stridekit.replay import KernelOutput, kernel_for, run_kernel
from tests.golden.cases import CASES

pytestmark = pytest.mark.usefixtures("unix32_available")


def _header() -> R.SessionHeader:
    case = next(c for c in CASES if c.name == "sim_insole_only_no_imu")
    return case.load(None)[0].header


def _raw_for_total(header: R.SessionHeader, total_dn: int) -> int:
    """The lowest raw reading at which every cell together reads more than total_dn."""
    k = kernel_for(header)
    n = k.n_cells
    return next(
        r
        for r in range(0, 4096, 4)
        if sum(K._force_at(k._tab, i * calib.TABLE_LEN, r) for i in range(n)) > total_dn
    )


def _both(
    header: R.SessionHeader, t_us: np.ndarray, cells: np.ndarray
) -> tuple[KernelOutput, KernelOutput]:
    py = run_kernel(kernel_for(header), t_us, cells, None, None)
    vp, used = unix32.replay(header, t_us, cells, None, None, "viper", heap="16M")
    assert used == "viper"
    return py, vp


def _records(o: KernelOutput) -> tuple[object, ...]:
    return (o.step_payloads, o.step_at, o.flag_payloads, o.flag_at)


def test_a_light_load_for_37_minutes_then_steps_gives_the_same_records() -> None:
    # above the event level, below the arm level: the contact stays pending; its
    # swing count passed 2**31 us after 35.8 min and wrapped on the pod only
    h = _header()
    n = h.n_cells
    light = _raw_for_total(h, 350)
    pre = _raw_for_total(h, 120)
    heavy = _raw_for_total(h, 6000)
    rest = 20 * 60 * 37  # 37 min at 20 Hz
    segs = [np.zeros((200, n)), np.full((rest, n), light), np.full((200, n), pre)]
    for _ in range(10):  # steps: 300 ms loaded, 400 ms unloaded but preloaded
        segs += [np.full((30, n), heavy), np.full((40, n), pre)]
    cells = np.concatenate(segs).astype(np.int64)
    dt = np.full(len(cells), 10_000, dtype=np.int64)
    dt[200 : 200 + rest] = 50_000
    py, vp = _both(h, np.cumsum(dt), cells)
    assert len(py.step_payloads) >= 5
    assert _records(py) == _records(vp)


def test_a_foot_loaded_for_27_minutes_does_not_stop_the_replay() -> None:
    # each cell's stance sum passes 2**31 after ~24 min at full load: the pod's word
    # wraps, CPython's array('i') raised OverflowError
    h = _header()
    n = h.n_cells
    cells = np.concatenate(
        [np.zeros((200, n)), np.full((160_000, n), 3900), np.zeros((200, n))]
    ).astype(np.int64)
    t = np.arange(len(cells), dtype=np.int64) * 10_000
    k = kernel_for(h)
    py = run_kernel(k, t, cells, None, None)
    assert min(k.summary.csum) < 0  # the sums wrapped, as the pod's do
    _, vp = _both(h, t, cells)
    assert _records(py) == _records(vp)
