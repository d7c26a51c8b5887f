"""Allocation on the pod's whole per-sample path, in 32-bit MicroPython (unix32).

Exact byte counts (gc.mem_alloc with the collector off), so they may be asserted: the
parts made allocation-free stay so. The store and its frame encoder allocate nothing
(CRC-32 and COBS in viper, stridefw.records_vp; no view slice per frame), so
micropython.heap_lock() must not stop in them; the per-sample figure is pinned from
above so it cannot creep back.
"""

from __future__ import annotations

import pytest

from stridekit.bench.alloc_path import measure

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("unix32_available")]


def test_per_sample_parts_allocate_nothing_and_the_path_stays_small() -> None:
    r = measure()
    assert r.steps > 20 and r.samples == 3000
    for part in (
        "kernel.push",
        "store Encoder.encode_into",
        "ble.poll",
        "ble.on_step",
        "rsc.measurement",
        "console.poll",
    ):
        nbytes, calls = r.parts[part]
        assert calls > 0 and nbytes == 0, (part, nbytes, calls)
    # the first allocation under heap_lock, if any, is outside the store and codec
    for module in ("store.py", "records.py", "sampleblock.py", "stepblock.py"):
        assert module not in r.first_locked_alloc, r.first_locked_alloc
    # 20.8 B/sample at first, 3.2 with the encoder's CRC as an int and a view per frame;
    # 0.1 now (the battery update, once a minute)
    assert r.bytes_per_sample < 0.2, r.parts
    print(f"\n{r.bytes_per_sample:.2f} B per sample on the whole path; parts: {r.parts}")
