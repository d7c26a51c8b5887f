"""The compiled SampleBlock version-2 reader (stridekit/sbreader.pyx, built by `make
setup` into build/native) against the firmware's reader and the numpy one.

It reads exactly the blocks stridefw.sampleblock_read reads, to the same samples, and
refuses (None) every other: a single block, or a run with one refused block or
another cell count. The blocks come from tests/unit/test_fastblocks.py's writers (the
firmware's encoder, a writer that picks every field at random, damage). The reader is
a host module loaded whenever its build is current, stridefw imported first or not,
so it runs in this process; with no current build these tests skip and say why (in
CI, where `make setup` builds it, they fail instead).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import sampleblock as SB
from stridekit import fastblocks, native
from tests.conftest import IN_CI
from tests.unit.test_fastblocks import (
    _any_blocks,
    _damage,
    _damage_one,
    _firmware,
    _packed,
    _rows,
    _two_sub_blocks,
    _v2_block,
    _v2_blocks,
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


def _check(payloads: list[bytes]) -> bool:
    """The compiled reader reads the run exactly when the firmware reads every block
    (of one cell count), to the firmware's samples and the numpy reader's arrays;
    returns whether it read the run."""
    got = _reader()(payloads)
    want = [_firmware(p) for p in payloads]
    readable = all(w is not None for w in want) and len({p[6] for p in payloads}) == 1
    assert (got is not None) == readable, (got is not None, [w is not None for w in want])
    with_numpy = fastblocks.decode_blocks(payloads)
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
    if with_numpy is not None:
        for a, b in zip(got, with_numpy, strict=True):
            assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    return True


@settings(max_examples=300, deadline=None)
@given(_v2_blocks())
def test_encoded_blocks_read_as_the_firmware_reads_them(payload: bytes) -> None:
    assert _check([payload])


@settings(max_examples=300, deadline=None)
@given(_any_blocks())
def test_blocks_with_every_field_at_random_read_as_the_firmware_reads_them(
    payload: bytes,
) -> None:
    assert _check([payload])


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 16).flatmap(
        lambda nc: st.lists(st.one_of(_any_blocks(nc), _v2_blocks(nc)), min_size=1, max_size=12)
    )
)
def test_runs_of_blocks_read_as_the_firmware_reads_them(payloads: list[bytes]) -> None:
    assert _check(payloads)


@settings(max_examples=600, deadline=None)
@given(st.one_of(_v2_blocks(), _any_blocks()), st.data())
def test_damaged_blocks_are_refused_or_read_the_same(payload: bytes, data: st.DataObject) -> None:
    buf = bytearray(payload)
    _damage(buf, data)
    _check([bytes(buf)])


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 16).flatmap(
        lambda nc: st.lists(st.one_of(_any_blocks(nc), _v2_blocks(nc)), min_size=2, max_size=8)
    ),
    st.data(),
)
def test_a_run_with_a_damaged_block_is_refused_or_read_the_same(
    payloads: list[bytes], data: st.DataObject
) -> None:
    _damage_one(payloads, data)
    _check(payloads)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_are_refused_or_read_the_same(payload: bytes) -> None:
    _check([payload])


@settings(max_examples=1000, deadline=None)
@given(
    st.integers(0, 2),
    st.integers(1, 12),
    st.sampled_from([0, 1, 2, 3, 4, 5]),
    st.binary(min_size=0, max_size=3),
    st.binary(min_size=1, max_size=40),
)
def test_a_sound_head_with_random_bits_is_refused_or_read_the_same(
    nc: int, n: int, flags: int, bitmap: bytes, body: bytes
) -> None:
    """Random streams behind a head the firmware takes: few cells and samples, so that
    some of them read (escapes, verbatim values and k steps anywhere), and every
    refusal on the way (k out of range, a long unary code, truncation, padding)."""
    head = bytes([1, 2, 3, 4, 0x10, 0x27, nc, n, flags])
    if flags & 4:
        head += bitmap[: (n + 7) // 8].ljust((n + 7) // 8, b"\0")
    _check([head + body])


def test_the_random_heads_do_read_sometimes() -> None:
    """The test above is not vacuous: of these streams some are whole blocks."""
    rng = np.random.default_rng(5)
    read = 0
    for _ in range(3000):
        body = rng.integers(0, 256, int(rng.integers(1, 12)), dtype=np.uint8).tobytes()
        read += _check([bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0]) + body])
    assert read >= 10


def test_several_cell_counts_in_a_run_are_refused() -> None:
    a = _v2_block(1, 8, 64, "all", False, 10_000, 0)
    b = _v2_block(2, 7, 64, "all", False, 10_000, 640_000)
    assert _reader()([a, b]) is None and _check([a]) and _check([b])
    assert _reader()([]) is None


def test_bad_padding_trailing_bytes_flags_and_truncation_are_refused() -> None:
    good = _v2_block(5, 3, 20, "some", True, 10_000, 77)
    assert _check([good])
    spare = next(b for b in range(1, 8) if not good[-1] >> (8 - b))
    cases = [
        good[:-1] + bytes([good[-1] | 0x80]) if spare else good,  # a padding bit set
        good + b"\x00",  # a trailing byte
        good[:8] + bytes([good[8] | 0x08]) + good[9:],  # an unknown flag
        good[:8] + bytes([good[8] | 0x06]) + good[9:],  # IMU both everywhere and by bitmap
        good[:-1],  # truncated
        good[:8],  # no flags byte
    ]
    for bad in cases:
        assert _firmware(bad) is None
        assert not _check([bad]) and not _check([good, bad])


def test_values_outside_16_bits_are_refused() -> None:
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    bits = [0] * 5 + [0] * 6 + [1] * 12 + [0]  # first 0; pred 0 k 0, an escape
    big = head + _packed(bits + [(0x10000 >> i) & 1 for i in range(18)])
    top = head + _packed(bits + [(0xFFFF >> i) & 1 for i in range(18)])
    assert not _check([big]) and _check([top])
    # the first value in 17 bits
    wide = head + _packed([1, 0, 0, 0, 1] + [0] * 16 + [1] + [0] * 7)
    assert _firmware(wide) is None and not _check([wide])
    # the first value with a leading zero bit (w = 2, z = 1)
    short = head + _packed([0, 1, 0, 0, 0] + [1, 0] + [0] * 6 + [0])
    assert _firmware(short) is None and not _check([short])


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
    assert _check([payload]) == ok


def test_imu_bitmaps_as_the_firmware_reads_them() -> None:
    axes = _packed(([0] * 5 + [0] * 6 + [0]) * 6)  # each axis: 0, then one coded 0
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 3, 4])
    assert _check([head + bytes([0b011]) + axes])
    assert not _check([head + bytes([0b1011]) + axes])  # a bit past the samples
    assert _check([head + bytes([0])])  # no sample with IMU: no axes (a leniency)
    everywhere = head + bytes([0b111]) + _packed(([0] * 5 + [0] * 6 + [0, 0]) * 6)
    assert _check([everywhere])  # every sample by bitmap (a leniency)
    assert not _check([head])  # the bitmap cut off


def test_a_unary_code_past_qmax_is_refused() -> None:
    head = bytes([0, 0, 0, 0, 0x10, 0x27, 1, 2, 0])
    ok = head + _packed([0] * 11 + [1] * SB.QMAX + [0] + [1] + [0] * 17)
    assert _check([ok])
    long = head + _packed([0] * 11 + [1] * (SB.QMAX + 1) + [0])
    assert not _check([long]) and not _check([ok, long])
    # ones to the end of the block
    ones = head + _packed([0] * 11 + [1] * 5)
    assert not _check([ones]) and not _check([ones, ok])


def test_time_wraps_and_time_channels() -> None:
    t0 = 0xFFFFFFF0
    a = _v2_block(3, 2, 64, "none", True, 65535, t0)
    b = _v2_block(4, 2, 1, "all", True, 1, 5)
    assert _check([a, b, a])
    got = _reader()([a])
    assert got is not None and int(got[0][0]) == t0 and int(got[0][-1]) < t0  # wrapped


# --- which reader runs, and from which build --------------------------------------

_CHILD = """
import json, stridekit
from stridekit import fastblocks, native, replay_stream
run, one = replay_stream._decoders(2)
st = native.status()
print(json.dumps({"numpy": run is fastblocks.decode_blocks,
    "numpy_one": one is fastblocks.decode_block,
    "reader_compiled": st.reader_compiled, "describe": st.describe()}))
"""


def _child(pure: bool) -> dict[str, object]:
    return run_child(_CHILD, pure)


def test_replay_reads_with_the_compiled_reader_when_built_else_numpy() -> None:
    pure = _child(pure=True)
    assert pure["numpy"] and pure["numpy_one"] and not pure["reader_compiled"]
    assert "SampleBlock reader: numpy (STRIDE_PURE_KERNEL=1)" in str(pure["describe"])
    _reader()  # skips (or fails in CI) without a current build
    compiled = _child(pure=False)
    assert compiled["reader_compiled"], compiled["describe"]
    assert not compiled["numpy"] and not compiled["numpy_one"]
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
