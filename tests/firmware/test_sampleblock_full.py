"""SampleBlockEncoder's limits: a full block (block_samples(n_cells): 104 samples, 82 at
16 cells), a value outside 16 bits and a gap too long for a dt each give a clear
ValueError and leave the block as it was; the worst data there is (every value a
full-scale jump, the time channel as dt_us or as grid offsets) still encodes within the
buffer, in place, and within a record's payload limit."""

from __future__ import annotations

import array

import pytest

from stridefw import records as R
from stridefw import sampleblock as SB


def _worst(n_cells: int, k: int, as_arrays: bool) -> tuple[object, object]:
    cells = [0xFFFF if (i + k) % 2 else 0 for i in range(n_cells)]
    imu = [32767 if (i + k) % 2 else -32768 for i in range(6)]
    if as_arrays:
        return array.array("H", cells), array.array("h", imu)
    return cells, imu


def _worst_dt(k: int, grid: bool) -> int:
    # dt_us at a period of 10000: 0 and 65535 (the offsets leave int16 at once: the
    # time channel as dt_us); at 30000 (grid): 0 and 60000 by turns, grid offsets of
    # -30000 and 0 (jumps of 30000, within int16)
    if grid:
        return 0 if k % 2 else 60000
    return 65535 if k % 3 else 0


@pytest.mark.parametrize(("n_cells", "nmax"), [(0, 104), (8, 104), (SB.MAX_CELLS, 82)])
@pytest.mark.parametrize("as_arrays", [False, True])
@pytest.mark.parametrize("grid", [False, True])
def test_a_full_block_of_the_worst_data_encodes_in_place_and_refuses_more(
    n_cells: int, nmax: int, as_arrays: bool, grid: bool
) -> None:
    e = SB.SampleBlockEncoder(n_cells, 30000 if grid else 10000)
    assert e.nmax == SB.block_samples(n_cells) == nmax
    e.start(0, 0)
    rows = []
    k = 0
    while e.room():
        cells, imu = _worst(n_cells, k, as_arrays)
        e.add(_worst_dt(k, grid), cells, imu)
        rows.append((_worst_dt(k, grid), tuple(cells), tuple(imu)))  # type: ignore[arg-type]
        k += 1
    assert e.n == nmax
    with pytest.raises(ValueError, match="room"):
        e.add(10000, *_worst(n_cells, 0, as_arrays))
    plen = e.encode()
    assert plen <= len(e.buf) and plen <= R.MAX_PAYLOAD
    payload = bytes(e.buf[:plen])
    assert payload[7] == nmax
    assert payload[8] & 9 == (9 if grid else 1)  # the time channel's mode
    ts, got_cells, got_imu = SB.decode_sample_block(payload, SB.SAMPLE_BLOCK_VERSION)
    t = [0]
    for dt, _c, _m in rows[1:]:
        t.append(t[-1] + dt)
    assert ts == t
    assert got_cells == [r[1] for r in rows]
    assert got_imu == [r[2] for r in rows]


@pytest.mark.parametrize("n_cells", range(SB.MAX_CELLS + 1))
def test_every_cell_counts_worst_full_block_framed_fits_the_stores_write_buffer(
    n_cells: int,
) -> None:
    """The store frames a closed block into its write buffer (4096 B by default) whole:
    block_samples keeps the worst block, framed, within it at every cell count."""
    e = SB.SampleBlockEncoder(n_cells, 10000)
    e.start(0, 0)
    k = 0
    while e.room():
        e.add(_worst_dt(k, False), *_worst(n_cells, k, True))
        k += 1
    plen = e.encode()
    frame = R.Encoder().encode(R.REC_SAMPLE_BLOCK, 0, bytes(e.buf[:plen]))
    assert len(frame) <= R.encoded_max(plen) <= R.MAX_PAYLOAD == 4096
    assert e.n == SB.block_samples(n_cells) >= 82


@pytest.mark.parametrize(
    ("cells", "imu", "dt"),
    [
        ([70000] + [0] * 7, None, 10000),
        ([-1] + [0] * 7, None, 10000),
        ([0] * 8, [0, 0, 40000, 0, 0, 0], 10000),
        ([0] * 8, [0, 0, 0, 0, 0, -40000], 10000),
        ([0] * 8, None, 65536),
        ([0] * 8, None, -5),
    ],
)
def test_a_value_it_cannot_hold_raises_and_keeps_the_block(
    cells: list[int], imu: list[int] | None, dt: int
) -> None:
    def block(bad: bool) -> bytes:
        e = SB.SampleBlockEncoder(8, 10000)
        e.start(5, 1)
        for i in range(5):
            e.add(10000 + i, [i * 7] * 8, [i - 2] * 6 if i % 2 else None)
        if bad:
            with pytest.raises(ValueError):
                e.add(dt, cells, imu)
        e.add(9990, [3] * 8, [1] * 6)
        return bytes(e.buf[: e.encode()])

    assert block(True) == block(False)


def test_more_cells_than_the_mux_has_are_refused() -> None:
    with pytest.raises(ValueError, match="cells"):
        SB.SampleBlockEncoder(SB.MAX_CELLS + 1, 10000)


def test_a_period_beyond_16_bits_is_held_at_65535() -> None:
    # a rate under 16 Hz: the head's period is a u16, the time channel's predictor
    e = SB.SampleBlockEncoder(8, 1_000_000)
    e.start(0, 0)
    e.add(-1, [5] * 8, None)
    payload = bytes(e.buf[: e.encode()])
    assert payload[4] | payload[5] << 8 == 0xFFFF
    assert SB.decode_sample_block(payload, SB.SAMPLE_BLOCK_VERSION)[1] == [(5,) * 8]
