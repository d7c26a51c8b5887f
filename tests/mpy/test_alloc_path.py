"""Allocation on the pod's whole per-sample path, in 32-bit MicroPython (unix32).

Exact byte counts (gc.mem_alloc with the collector off), so they may be asserted: the
parts made allocation-free stay so. What still allocates is per record, not per sample
(a view of a partly filled buffer, and CRC-32 values, which are big ints on a 32-bit
port when >= 2**30); the per-sample figure is pinned from above so it cannot creep back.
"""

from __future__ import annotations

import pytest

from stridekit.bench.alloc_path import measure

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("unix32_available")]


def test_per_sample_parts_allocate_nothing_and_the_path_stays_small() -> None:
    r = measure()
    assert r.steps > 20 and r.samples == 3000
    for part in ("kernel.push", "ble.poll", "ble.on_step", "rsc.measurement", "console.poll"):
        nbytes, calls = r.parts[part]
        assert calls > 0 and nbytes == 0, (part, nbytes, calls)
    # 20.8 B/sample before (ble.poll's live pump 6.4 B per call, RSC and step reads)
    assert r.bytes_per_sample < 4.0, r.parts
    print(f"\n{r.bytes_per_sample:.2f} B per sample on the whole path; parts: {r.parts}")
