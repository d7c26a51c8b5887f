"""The compiled SampleBlock reader (stridekit/sbreader.pyx, built by `make setup` into
build/native) against the firmware's reader and the numpy one, at versions 3 and 2.

It reads exactly the blocks stridefw.sampleblock_read reads at the frames' version,
to the same samples, and refuses (None) every other: a single block, or a run with
one refused block or another cell count. The blocks come from
tests/unit/test_fastblocks.py's writers (the firmware's encoder: grid offsets, dt_us
where the offsets leave int16, no time channel, IMU bitmaps, up to block_samples
samples; a writer that picks every field at random, of either version), from damage,
and from the committed version-2 session (tests/data/v2). Every block is read at both
versions: version 2 is version 3 without bit 3 and with n <= 64. The reader is a host
module loaded whenever its build is current, stridefw imported first or not, so it
runs in this process; with no current build these tests skip and say why (in CI,
where `make setup` builds it, they fail instead).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw.sampleblock_fmt import V2_MAX_SAMPLES
from stridekit import fastblocks, native
from tests.conftest import IN_CI
from tests.unit.test_fastblocks import (
    _TIMES,
    V2_SESSION,
    _any_blocks,
    _damage,
    _damage_one,
    _digest,
    _enc_block,
    _enc_blocks,
    _firmware,
    _grid_block,
    _json_rows,
    _late_samples,
    _packed,
    _rows,
    _two_sub_blocks,
    _zz,
)
from tests.unit.test_native_kernel import run_child

ROOT = Path(__file__).resolve().parents[2]

_COMPILED, _WHY = native.load_reader(native.build_dir(), native.reader_source())


def _reader() -> native.ReaderFn:
    if _COMPILED is None:
        why = f"the compiled SampleBlock reader is not built or not current: {_WHY}"
        if IN_CI:
            pytest.fail(f"{why}; `make setup` builds it and CI must run it")
        pytest.skip(why)
    return _COMPILED


def _check(payloads: list[bytes], version: int = 3) -> bool:
    """The compiled reader reads the run at version exactly when the firmware reads
    every block at that version (of one cell count), to the firmware's samples and
    the numpy reader's arrays; returns whether it read the run."""
    got = _reader()(payloads, version)
    want = [_firmware(p, version) for p in payloads]
    readable = all(w is not None for w in want) and len({p[6] for p in payloads}) == 1
    assert (got is not None) == readable, (got is not None, [w is not None for w in want])
    with_numpy = fastblocks.decode_blocks(payloads, version)
    if got is None:
        assert with_numpy is None  # the numpy reader refuses what the firmware refuses
        return False
    t, cells, imu, present = got
    n, nc = sum(p[7] for p in payloads), payloads[0][6]
    assert t.dtype == np.uint32 and t.shape == (n,)
    assert cells.dtype == np.int64 and cells.shape == (n, nc)
    assert imu.dtype == np.int64 and imu.shape == (n, 6)
    assert present.dtype == np.bool_ and present.shape == (n,)
    assert not imu[~present].any()  # rows of samples without IMU are zeros
    rows = _rows(got)
    assert rows[0] == [x for w in want if w for x in w[0]]
    assert rows[1] == [x for w in want if w for x in w[1]]
    assert rows[2] == [x for w in want if w for x in w[2]]
    assert with_numpy is not None  # the numpy reader reads what the firmware reads
    for a, b in zip(got, with_numpy, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    return True


def _check_both(payloads: list[bytes]) -> bool:
    """_check at version 3 and at version 2; a run reads at version 2 exactly when it
    reads at version 3 and no block has over 64 samples or grid offsets. Returns
    whether it read at version 3."""
    v3 = _check(payloads, 3)
    v2 = _check(payloads, 2)
    assert v2 == (v3 and all(p[7] <= V2_MAX_SAMPLES and not p[8] & 8 for p in payloads))
    return v3


def _blocks(n_cells: int | None = None) -> st.SearchStrategy[bytes]:
    """The encoder's blocks, and the random-field writer's of either version."""
    return st.one_of(_enc_blocks(n_cells), _any_blocks(n_cells), _any_blocks(n_cells, version=2))


def _runs(min_size: int, max_size: int) -> st.SearchStrategy[list[bytes]]:
    return st.integers(0, 16).flatmap(
        lambda nc: st.lists(_blocks(nc), min_size=min_size, max_size=max_size)
    )


# --- blocks ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(_enc_blocks())
def test_encoded_blocks_read_as_the_firmware_reads_them(payload: bytes) -> None:
    assert _check_both([payload])  # every block the encoder writes reads at version 3


@pytest.mark.parametrize("n_cells", [0, 8, 16])
@pytest.mark.parametrize("imu", ["all", "none", "some"])
@pytest.mark.parametrize("time", _TIMES)
def test_full_blocks_read_as_the_firmware_reads_them(n_cells: int, imu: str, time: str) -> None:
    """Blocks of the most samples the encoder puts in one: 104, or 81 of 16 cells
    (13 and 11 bytes of IMU bitmap), with the time as grid offsets, as dt_us or none."""
    n = SB.block_samples(n_cells)
    assert n == (81 if n_cells == 16 else SB.BLOCK_MAX_SAMPLES)
    payloads = [_enc_block(s, n_cells, n, imu, time, 10_000, s << 20) for s in range(6)]
    assert all(p[7] == n for p in payloads)
    assert {p[8] & 9 for p in payloads} == {"none": {0}, "grid": {9}, "gaps": {1}}[time]
    assert imu != "some" or all(p[8] & 6 == 4 for p in payloads)  # bitmaps
    assert all(_check([p]) for p in payloads) and _check(payloads)
    assert not _check([payloads[0]], 2)  # over 64 samples


@pytest.mark.parametrize("version", [2, 3])
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_blocks_with_every_field_at_random_read_as_the_firmware_reads_them(
    version: int, data: st.DataObject
) -> None:
    payload = data.draw(_any_blocks(version=version))
    assert _firmware(payload, version) is not None  # the writer writes what the format allows
    assert _check_both([payload])


@settings(max_examples=100, deadline=None)
@given(_runs(1, 12))
def test_runs_of_blocks_read_as_the_firmware_reads_them(payloads: list[bytes]) -> None:
    assert _check_both(payloads)


@settings(max_examples=600, deadline=None)
@given(_blocks(), st.data())
def test_damaged_blocks_are_refused_or_read_the_same(payload: bytes, data: st.DataObject) -> None:
    buf = bytearray(payload)
    _damage(buf, data)
    _check_both([bytes(buf)])


@settings(max_examples=150, deadline=None)
@given(_runs(2, 8), st.data())
def test_a_run_with_a_damaged_block_is_refused_or_read_the_same(
    payloads: list[bytes], data: st.DataObject
) -> None:
    _damage_one(payloads, data)
    _check_both(payloads)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_are_refused_or_read_the_same(payload: bytes) -> None:
    _check_both([payload])


@settings(max_examples=1000, deadline=None)
@given(
    st.integers(0, 2),
    st.sampled_from([1, 2, 3, 5, 9, 12, 64, 65, 104, 105]),
    st.sampled_from([0, 1, 2, 3, 4, 5, 8, 9, 11, 13, 16]),
    st.integers(0, 65535),
    st.binary(min_size=0, max_size=13),
    st.binary(min_size=1, max_size=40),
)
def test_a_sound_head_with_random_bits_is_refused_or_read_the_same(
    nc: int, n: int, flags: int, period_us: int, bitmap: bytes, body: bytes
) -> None:
    """Random streams behind a head the firmware may take: few cells, so that some of
    them read (escapes, verbatim values, k steps and grid offsets anywhere, dt_us from
    them at 0 and 65535), and every refusal on the way (k out of range, a long unary
    code, truncation, padding, an offset's dt_us out of range, bit 3 without bit 0 or
    at version 2, n over 64 at version 2 and over 104)."""
    head = bytes([1, 2, 3, 4, period_us & 0xFF, period_us >> 8, nc, n, flags])
    if flags & 4:
        head += bitmap[: (n + 7) // 8].ljust((n + 7) // 8, b"\0")
    _check_both([head + body])


def test_the_random_heads_do_read_sometimes() -> None:
    """The test above is not vacuous: of these streams some are whole blocks, with a
    time channel as dt_us and as grid offsets."""
    rng = np.random.default_rng(5)
    read = {0: 0, 1: 0, 9: 0}
    for _ in range(3000):
        for flags in read:
            body = rng.integers(0, 256, int(rng.integers(1, 12)), dtype=np.uint8).tobytes()
            nc = 0 if flags else 1  # the time channel alone, or one cell
            read[flags] += _check_both([bytes([0, 0, 0, 0, 0x10, 0x27, nc, 2, flags]) + body])
    assert min(read.values()) >= 10, read


# --- version 3: grid offsets ----------------------------------------------------------


@pytest.mark.parametrize(
    "period_us, offsets, dts",
    [
        (10_000, [250], [10_250]),
        (10_000, [-10_000], [0]),  # dt_us 0
        (10_000, [-10_001], None),  # dt_us -1
        (40_000, [25_535], [65_535]),  # dt_us 65535
        (40_000, [25_536], None),  # dt_us 65536
        (65_535, [0x7FFF], None),  # an offset in int16, its dt_us over 65535
        (1, [-0x8000], None),  # and under 0
        (0x8000, [0x7FFF], [0xFFFF]),
        (0x8000, [-0x8000], [0]),
        (10_000, [100, -9_900], [10_100, 0]),  # dt_us from o_2 - o_1, not o_2 alone
        (10_000, [100, -9_901], None),
        (0x8000, [-0x8000, -1], [0, 0xFFFF]),
        (0x8000, [-0x8000, 0], None),
        (10_000, [7] * 20, [10_007] + [10_000] * 19),  # three sub-blocks
    ],
)
def test_grid_offsets_give_the_firmware_readers_dt_us(
    period_us: int, offsets: list[int], dts: list[int] | None
) -> None:
    """dt_us of sample i = period_us + o_i - o_(i-1), o_0 = 0; a dt_us outside 0..65535
    refuses the block (dts None)."""
    payload = _grid_block(period_us, offsets)
    want = _firmware(payload)
    assert (want is not None) == (dts is not None)
    assert _check([payload]) == (dts is not None)
    if want is not None:
        assert [b - a for a, b in zip(want[0], want[0][1:], strict=False)] == dts
    assert not _check([payload], 2)  # bit 3 is not version 2's
    assert _check([_grid_block(period_us, [0] * len(offsets)), payload]) == (dts is not None)


@pytest.mark.parametrize(
    "o, period_us, ok",
    [
        (0x7FFF, 0x7FFF, True),
        (0x8000, 0x7FFF, False),
        (-0x8000, 0x8001, True),
        (-0x8001, 0x8001, False),
    ],
)
def test_a_grid_offset_outside_int16_is_refused(o: int, period_us: int, ok: bool) -> None:
    # one offset, escaped (params pred 0 k 0, unary QMAX ones and a zero, z in 18 bits),
    # at a period that keeps its dt_us in 0..65535 either way
    head = bytes([0, 0, 0, 0, period_us & 0xFF, period_us >> 8, 0, 2, 9])
    bits = [0] * 6 + [1] * SB.QMAX + [0] + [(_zz(o) >> i) & 1 for i in range(SB.ESC_BITS)]
    payload = head + _packed(bits)
    assert 0 <= period_us + o <= 0xFFFF
    assert (_firmware(payload) is not None) == ok and _check([payload]) == ok
    if ok:
        assert _firmware(payload) == ([0, period_us + o], [(), ()], [None, None])


@pytest.mark.parametrize(
    "gap_us, flags",
    [(0, 9), (0x7FFF - 40, 9), (0x8000, 1), (55_000 - 10_000, 1)],
)
def test_grid_offsets_and_long_gaps_from_the_encoder(gap_us: int, flags: int) -> None:
    """100 samples, each up to 40 us late on the 100 Hz grid: grid offsets; a gap that
    takes an offset past int16 (or a long one, 55 ms): dt_us."""
    late = [0] + [(i * 37) % 41 for i in range(1, 100)]
    late[60] = 40
    payload = _late_samples(10_000, late, 60, gap_us)
    assert payload[7] == 100 and payload[8] & 9 == flags
    assert _check([payload]) and not _check([payload], 2)
    got = _reader()([payload], 3)
    assert got is not None
    assert int(got[0][99]) - int(got[0][0]) == 99 * 10_000 + late[99] + gap_us


def test_bit_3_without_a_time_channel_is_refused() -> None:
    good = _enc_block(3, 2, 40, "some", "grid", 10_000, 0)
    assert good[8] & 9 == 9 and _check([good]) and not _check([good], 2)
    plain = _enc_block(3, 2, 40, "some", "none", 10_000, 0)
    assert plain[8] & 9 == 0 and _check_both([plain])
    for bad in (
        good[:8] + bytes([good[8] & ~1]) + good[9:],
        plain[:8] + bytes([plain[8] | 8]) + plain[9:],
    ):
        assert _firmware(bad) is None and not _check_both([bad])
        assert not _check_both([plain, bad])


# --- version 2 ------------------------------------------------------------------------


def test_the_committed_v2_session_reads_to_its_samples() -> None:
    """tests/data/v2: a session written by the version-2 encoder, and the hash of its
    samples as written; the compiled reader gives them at version 2, in one run and
    block by block (and at version 3, of which version 2 is a part)."""
    want = json.loads(V2_SESSION.with_suffix(".json").read_text())
    recs, _ = R.decode_all(V2_SESSION.read_bytes())
    blocks = [bytes(r.payload) for r in recs if r.rtype == R.REC_SAMPLE_BLOCK]
    assert blocks and all(r.version == 2 for r in recs if r.rtype == R.REC_SAMPLE_BLOCK)
    got = _reader()(blocks, 2)
    assert got is not None
    rows = _json_rows(_rows(got))
    assert len(rows) == want["samples"] and any(r[2] is None for r in rows)
    assert _digest(rows) == want["sha256_of_json_rows"]
    one_by_one: list[list[Any]] = []
    for b in blocks:
        each = _reader()([b], 2)
        assert each is not None
        one_by_one += _json_rows(_rows(each))
    assert _digest(one_by_one) == want["sha256_of_json_rows"]
    assert _check(blocks, 2) and _check(blocks, 3)


@pytest.mark.parametrize("n", [65, 80, SB.BLOCK_MAX_SAMPLES])
@pytest.mark.parametrize("time", _TIMES)
def test_version_2_refuses_over_64_samples(n: int, time: str) -> None:
    short = _enc_block(1, 4, 64, "some", "gaps", 10_000, 0)
    long = _enc_block(n, 4, n, "some", time, 10_000, 0)
    assert short[8] & 8 == 0 and _check([short], 2)
    assert long[7] == n and _check([long], 3) and _check([short, long], 3)
    assert _firmware(long, 2) is None and _reader()([long], 2) is None
    assert _reader()([short, long], 2) is None
    # with n set to 64 (and the stream then wrong) it may read or not: as the firmware
    _check_both([long[:7] + bytes([64]) + long[8:]])


def test_version_2_refuses_bit_3() -> None:
    grid = _enc_block(4, 3, 64, "all", "grid", 10_000, 0)
    assert grid[8] & 9 == 9 and _check([grid], 3)
    assert _firmware(grid, 2) is None and _reader()([grid], 2) is None


@pytest.mark.parametrize("version", [0, 1, 4, 255])
def test_other_versions_are_refused(version: int) -> None:
    block = _enc_block(5, 3, 30, "some", "none", 10_000, 0)
    assert _check([block], 2) and _check([block], 3)
    assert _reader()([block], version) is None


# --- edge cases (at both versions) ---------------------------------------------------


def test_several_cell_counts_in_a_run_are_refused() -> None:
    a = _enc_block(1, 8, 64, "all", "none", 10_000, 0)
    b = _enc_block(2, 7, 64, "all", "none", 10_000, 640_000)
    for version in (2, 3):
        assert _reader()([a, b], version) is None
        assert _check([a], version) and _check([b], version)
        assert _reader()([], version) is None


def test_bad_padding_trailing_bytes_flags_and_truncation_are_refused() -> None:
    for time in ("gaps", "grid"):
        good = _enc_block(5, 3, 20, "some", time, 10_000, 77)
        assert _check_both([good])
        spare = next(b for b in range(1, 8) if not good[-1] >> (8 - b))
        cases = [
            good[:-1] + bytes([good[-1] | 0x80]) if spare else good,  # a padding bit set
            good + b"\x00",  # a trailing byte
            good[:8] + bytes([good[8] | 0x10]) + good[9:],  # an unknown flag
            good[:8] + bytes([good[8] | 0x06]) + good[9:],  # IMU both everywhere and by bitmap
            good[:-1],  # truncated
            good[:8],  # no flags byte
        ]
        for bad in cases:
            assert _firmware(bad) is None and _firmware(bad, 2) is None
            assert not _check_both([bad]) and not _check_both([good, bad])


def test_values_outside_16_bits_are_refused() -> None:
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    bits = [0] * 5 + [0] * 6 + [1] * 12 + [0]  # first 0; pred 0 k 0, an escape
    big = head + _packed(bits + [(0x10000 >> i) & 1 for i in range(18)])
    top = head + _packed(bits + [(0xFFFF >> i) & 1 for i in range(18)])
    assert not _check_both([big]) and _check_both([top])
    # the first value in 17 bits
    wide = head + _packed([1, 0, 0, 0, 1] + [0] * 16 + [1] + [0] * 7)
    assert _firmware(wide) is None and not _check_both([wide])
    # the first value with a leading zero bit (w = 2, z = 1)
    short = head + _packed([0, 1, 0, 0, 0] + [1, 0] + [0] * 6 + [0])
    assert _firmware(short) is None and not _check_both([short])


@pytest.mark.parametrize(
    "f0, second, ok",
    [
        (1 | 14 << 2, [1, 0, 0], True),  # pred 1 k 14, then k + 1
        (1 | 15 << 2, [1, 0, 0], False),  # k + 1 past 15
        (1, [1, 0, 1], False),  # k - 1 below 0
        (3, [1, 0, 0], False),  # a k step from a verbatim sub-block
        (3 | 1 << 2, [0], False),  # a verbatim sub-block with a k
        (1, [1, 1, 1, 1, 1, 1, 1, 0], False),  # then a verbatim sub-block with a k
        (1, [1, 1, 1, 1, 0, 0, 0, 0], True),  # then a verbatim sub-block (16-bit tails)
    ],
)
def test_k_steps_and_verbatim_params_as_the_firmware_reads_them(
    f0: int, second: list[int], ok: bool
) -> None:
    payload = _two_sub_blocks(f0, second)
    assert (_firmware(payload) is not None) == ok
    assert _check_both([payload]) == ok


def test_imu_bitmaps_as_the_firmware_reads_them() -> None:
    axes = _packed(([0] * 5 + [0] * 6 + [0]) * 6)  # each axis: 0, then one coded 0
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4])
    assert _check_both([head + bytes([0b011]) + axes])
    assert not _check_both([head + bytes([0b1011]) + axes])  # a bit past the samples
    assert _check_both([head + bytes([0])])  # no sample with IMU: no axes (a leniency)
    everywhere = head + bytes([0b111]) + _packed(([0] * 5 + [0] * 6 + [0, 0]) * 6)
    assert _check_both([everywhere])  # every sample by bitmap (a leniency)
    assert not _check_both([head])  # the bitmap cut off
    # 104 samples, the IMU in the last only: 13 bytes, bit 7 of the last
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 0, SB.BLOCK_MAX_SAMPLES, 4])
    last = head + bytes(12) + bytes([0x80]) + _packed([0] * 5 * 6)
    assert _check([last]) and not _check([last], 2)
    got = _reader()([last], 3)
    assert got is not None and got[3].tolist() == [False] * 103 + [True]
    assert not _check([head + bytes(12) + _packed([0] * 5 * 6)])  # the bitmap cut off


def test_a_unary_code_past_qmax_is_refused() -> None:
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    ok = head + _packed([0] * 11 + [1] * SB.QMAX + [0] + [1] + [0] * 17)
    assert _check_both([ok])
    long = head + _packed([0] * 11 + [1] * (SB.QMAX + 1) + [0])
    assert not _check_both([long]) and not _check_both([ok, long])
    # ones to the end of the block
    ones = head + _packed([0] * 11 + [1] * 5)
    assert not _check_both([ones]) and not _check_both([ones, ok])


def test_time_wraps_and_time_channels() -> None:
    t0 = 0xFFFFFFF0
    a = _enc_block(3, 2, 64, "none", "gaps", 65535, t0)
    b = _enc_block(4, 2, 1, "all", "gaps", 1, 5)
    c = _enc_block(5, 2, SB.BLOCK_MAX_SAMPLES, "some", "grid", 10_000, t0 - 500_000)
    assert a[8] & 9 == 1 and c[8] & 9 == 9
    assert _check_both([a, b, a]) and _check([a, c, b])
    for p in (a, c):
        got = _reader()([p], 3)
        assert got is not None and int(got[0][0]) == p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24
        assert int(got[0][-1]) < int(got[0][0])  # wrapped


# --- which reader runs, and from which build --------------------------------------

_CHILD = """
import json, stridekit
from stridekit import fastblocks, native, replay_stream
block = bytes.fromhex("%s")
used = []
real = fastblocks.decode_blocks
fastblocks.decode_blocks = lambda qs, v=3: used.append(v) or real(qs, v)
fastblocks.decode_block = lambda q, v=3: used.append(v) or real([q], v)
out = {}
for version in (2, 3):
    run, one = replay_stream._decoders(version)
    used.clear()
    read = run([block]) is not None and one(block) is not None
    out[version] = {"read": read, "numpy": used == [version, version]}
st = native.status()
print(json.dumps({"decoders": out, "reader_compiled": st.reader_compiled,
    "describe": st.describe()}))
"""


def _child(pure: bool) -> dict[str, Any]:
    block = _enc_block(6, 8, 64, "some", "none", 10_000, 0)  # of version 2 and 3
    return run_child(_CHILD % block.hex(), pure)


def test_replay_reads_with_the_compiled_reader_when_built_else_numpy() -> None:
    pure = _child(pure=True)
    assert not pure["reader_compiled"]
    assert all(d == {"read": True, "numpy": True} for d in pure["decoders"].values()), pure
    assert "SampleBlock reader: numpy (STRIDE_PURE_KERNEL=1)" in str(pure["describe"])
    _reader()  # skips (or fails in CI) without a current build
    compiled = _child(pure=False)
    assert compiled["reader_compiled"], compiled["describe"]
    assert all(d == {"read": True, "numpy": False} for d in compiled["decoders"].values())
    assert "SampleBlock reader: compiled" in str(compiled["describe"])


def _fake_build(tmp_path: Path, lib: bytes = b"") -> tuple[Path, Path]:
    """A build folder whose manifest names a copy of the reader's source, and a file
    where the compiled reader goes (lib: its bytes)."""
    source = tmp_path / native.READER_SOURCE
    shutil.copyfile(native.reader_source(), source)
    build = tmp_path / "build"
    native.reader_file(build).parent.mkdir(parents=True)
    native.reader_file(build).write_bytes(lib)
    manifest = {
        "format": native.FORMAT,
        "abi": native.abi_tag(),
        "reader": {
            "module": native.READER,
            "version": native.READER_VERSION,
            "sha256": native.sha256_file(source),
        },
    }
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    return build, source


def test_a_reader_built_from_another_source_is_refused(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    assert native.check_reader(build, source)[0] == native.reader_file(build)
    source.write_text(source.read_text() + "\n# edited\n")
    lib, why = native.check_reader(build, source)
    assert lib is None and f"{native.READER_SOURCE} changed" in why
    assert native.load_reader(build, source)[0] is None


def test_a_build_of_a_reader_of_another_version_is_not_used(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    path = build / native.MANIFEST
    man = json.loads(path.read_text())
    man["reader"]["version"] = 2  # a build from before version 3
    path.write_text(json.dumps(man))
    lib, why = native.check_reader(build, source)
    assert lib is None and "v2" in why
    assert native.load_reader(build, source)[0] is None


def test_a_build_without_the_reader_is_not_used(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    native.reader_file(build).unlink()
    lib, why = native.check_reader(build, source)
    assert lib is None and "missing" in why
    man = json.loads((build / native.MANIFEST).read_text())
    del man["reader"]
    man["reader_failed"] = "the compiled reader failed to build: gcc"
    (build / native.MANIFEST).write_text(json.dumps(man))
    lib, why = native.check_reader(build, source)
    assert lib is None and "failed to build: gcc" in why
    assert native.check_reader(tmp_path / "nothing", source)[0] is None


def test_a_reader_for_another_interpreter_is_refused(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path)
    path = build / native.MANIFEST
    path.write_text(path.read_text().replace(native.abi_tag(), ".cpython-39-arm.so"))
    lib, why = native.check_reader(build, source)
    assert lib is None and "cpython-39" in why


def test_a_broken_compiled_reader_leaves_the_numpy_one(tmp_path: Path) -> None:
    build, source = _fake_build(tmp_path, lib=b"not a shared object")
    fn, why = native.load_reader(build, source)
    assert fn is None and "not loaded" in why


def test_the_session_reader_gives_the_firmware_readers_samples(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """stridekit.session reads each block through the compiled reader when there is
    one: the same Session as through the firmware's reader alone."""
    import random

    from stridefw import records as R
    from stridekit.session import sessions_from_bytes
    from stridekit.session_writer import SessionWriter

    _reader()
    rng = random.Random(3)
    w = SessionWriter()
    w.add(R.REC_HEADER, R.SessionHeader(session_id=2, n_cells=8, layout_id=8).to_bytes())
    t = 0
    for i in range(700):
        t += 10_000 + rng.randint(-300, 300)
        cells = [max(0, min(4095, 2000 + rng.randint(-900, 900))) for _ in range(8)]
        imu = None if i % 7 == 0 else [rng.randint(-32768, 32767) for _ in range(6)]
        w.add_sample(t, cells, imu)
    w.end()
    data = bytes(w.out)
    compiled = sessions_from_bytes(data)[0]
    monkeypatch.setattr(native, "sample_block_reader", lambda: None)
    firmware = sessions_from_bytes(data)[0]
    assert len(compiled.sample_t_us) == 700
    for name in ("sample_t_us", "cells", "imu", "imu_present"):
        assert np.array_equal(getattr(compiled, name), getattr(firmware, name)), name
