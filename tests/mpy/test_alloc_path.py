"""Allocation on the pod's whole per-sample path, in 32-bit MicroPython (unix32).

Exact byte counts, so they may be asserted: the parts made allocation-free stay so.
Two counts per part: bytes still held after it returns (gc.mem_alloc with the
collector off) and every byte it allocated, freed again or not
(micropython.mem_total): a bytecode frame over 11 words is allocated from the GC
heap on every call and freed on return, which heap_lock() hides (the frame then
goes to the C stack) but which costs an allocator search through the heap's holes
on the pod. The store and its frame encoder keep nothing (CRC-32 and COBS in viper,
stridefw.records_vp; no view slice per frame), so heap_lock() must not stop in them.
"""

from __future__ import annotations

import pytest

from stridekit.bench.alloc_path import measure

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("unix32_available")]


def test_per_sample_parts_allocate_nothing_and_the_path_stays_small() -> None:
    r = measure()
    assert r.steps > 20 and r.samples == 3000
    for part, (nbytes, calls) in r.parts.items():
        assert nbytes == 0, (part, nbytes, calls)
        assert calls > 0, part
    assert r.parts["battery update"][1] == 1  # its window holds one (once a minute)
    # frames too: these parts run on every sample or turn and call nothing over 11 words
    for part in ("insole.read_into", "console.poll"):
        assert r.allocated[part] == 0, (part, r.allocated[part])
    # the whole path, one battery update (Battery record and BLE status packed in
    # place) in the window: nothing kept
    assert r.bytes_per_sample == 0, r.parts
    for module in ("store.py", "records.py", "sampleblock.py", "stepblock.py"):
        assert module not in r.first_locked_alloc, r.first_locked_alloc
    print(
        f"\n{r.bytes_per_sample:.2f} B kept and {r.allocated_per_sample:.1f} B allocated per "
        f"sample on the whole path; parts (kept, calls): {r.parts}; allocated: {r.allocated}"
    )
