"""SampleBlockEncoder.add on a full block: a clear ValueError and the block left as it
was, never a write past the buffer (the pod's viper loop does not check bounds)."""

from __future__ import annotations

import array

import pytest

from stridefw import sampleblock as SB


@pytest.mark.parametrize("as_arrays", [False, True])
def test_add_on_a_full_block_raises_and_keeps_the_block(as_arrays: bool) -> None:
    e = SB.SampleBlockEncoder(24, 10000)
    e.start(0, 0)
    cells: list[int] | array.array[int] = [0xFFFF if k % 2 else 0 for k in range(24)]
    flipped: list[int] | array.array[int] = [0 if k % 2 else 0xFFFF for k in range(24)]
    if as_arrays:
        cells, flipped = array.array("H", cells), array.array("H", flipped)
    k = 0
    while e.room():
        e.add(10000, cells if k % 2 else flipped, None)
        k += 1
    assert e.n < SB.BLOCK_MAX_SAMPLES  # full by bytes, not by count
    before = (e.n, e.len, bytes(e.buf), list(e._p1), list(e._p2))
    with pytest.raises(ValueError, match="room"):
        e.add(10000, cells, None)
    assert (e.n, e.len, bytes(e.buf), list(e._p1), list(e._p2)) == before
    _, got, _ = SB.decode_sample_block(bytes(e.buf[: e.len]))
    assert len(got) == e.n
