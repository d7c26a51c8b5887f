"""The host's numpy SampleBlock decoder against the firmware's, sample for sample."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import sampleblock as SB
from stridekit.fastblocks import decode_block, decode_blocks


def _firmware(
    payload: bytes,
) -> tuple[list[int], list[tuple[int, ...]], list[tuple[int, ...] | None]] | None:
    try:
        return SB.decode_sample_block(payload)
    except ValueError:
        return None


def _same(payload: bytes) -> bool:
    """Both decoders agree; returns whether the fast one read the block itself."""
    want = _firmware(payload)
    got = decode_block(payload)
    if got is None:
        return False
    assert want is not None, "the fast decoder read a block the firmware refuses"
    t, cells, imu, present = got
    assert t.tolist() == want[0]
    assert [tuple(r) for r in cells.tolist()] == want[1]
    assert [
        tuple(m) if p else None for m, p in zip(imu.tolist(), present.tolist(), strict=True)
    ] == want[2]
    return True


Sample = tuple[int, list[int], list[int] | None]  # dt_us, cells, imu

_sample = st.tuples(
    st.integers(0, 3 * 65535),  # dt, us
    st.lists(st.integers(0, 4095), min_size=16, max_size=16),
    st.one_of(st.none(), st.lists(st.integers(-32768, 32767), min_size=6, max_size=6)),
)


def _block(n_cells: int, period_us: int, t0: int, samples: list[Sample]) -> bytes:
    enc = SB.SampleBlockEncoder(n_cells, period_us)
    enc.start(t0 & 0x3FFFFFFF, t0 >> 30)
    for dt, cells, imu in samples:
        if not enc.room():
            break
        enc.add(min(dt, SB.DT_MAX_US), cells[:n_cells], imu)
    return bytes(enc.buf[: enc.len])


@settings(max_examples=150)
@given(
    st.integers(0, 16),
    st.integers(1, 65535),
    st.integers(0, 2**32 - 1),
    st.lists(_sample, max_size=SB.BLOCK_MAX_SAMPLES),
)
def test_encoded_blocks_decode_the_same(
    n_cells: int,
    period_us: int,
    t0: int,
    samples: list[Sample],
) -> None:
    assert _same(_block(n_cells, period_us, t0, samples))


@settings(max_examples=300)
@given(
    st.integers(0, 16),
    st.lists(_sample, min_size=1, max_size=20),
    st.data(),
)
def test_damaged_blocks_are_refused_or_decoded_the_same(
    n_cells: int,
    samples: list[Sample],
    data: st.DataObject,  # type: ignore[type-arg]
) -> None:
    buf = bytearray(_block(n_cells, 10_000, 12345, samples))
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["flip", "cut", "extend", "count"]))
        if not buf:
            break
        at = data.draw(st.integers(0, len(buf) - 1))
        if kind == "flip":
            buf[at] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del buf[at:]
        elif kind == "extend":
            buf += data.draw(st.binary(min_size=1, max_size=8))
        elif len(buf) > 7:
            buf[7] = data.draw(st.integers(0, 255))
    _same(bytes(buf))


@given(st.binary(max_size=200))
def test_random_bytes_are_refused_or_decoded_the_same(payload: bytes) -> None:
    _same(payload)


def test_overlong_varint_is_refused() -> None:
    # one sample, no cells: its head varint takes six bytes (the firmware stops at five)
    payload = bytes([0, 0, 0, 0, 16, 39, 0, 1]) + b"\x80" * 5 + b"\x00"
    assert _firmware(payload) is None and decode_block(payload) is None
    ok = bytes([0, 0, 0, 0, 16, 39, 0, 1]) + b"\x80" * 4 + b"\x00"
    assert _same(ok)


def _same_blocks(payloads: list[bytes]) -> bool:
    """decode_blocks agrees with the firmware block by block; whether it read them itself."""
    got = decode_blocks(payloads)
    if got is None:
        return False
    want = [_firmware(p) for p in payloads]
    assert all(w is not None for w in want), "decode_blocks read a block the firmware refuses"
    t, cells, imu, present = got
    assert t.tolist() == [x for w in want if w for x in w[0]]
    assert [tuple(r) for r in cells.tolist()] == [x for w in want if w for x in w[1]]
    want_imu = [x for w in want if w for x in w[2]]
    assert [
        tuple(m) if p else None for m, p in zip(imu.tolist(), present.tolist(), strict=True)
    ] == want_imu
    return True


@settings(max_examples=200)
@given(
    st.integers(0, 16),
    st.booleans(),
    st.lists(
        st.tuples(
            st.integers(1, 65535),
            st.integers(0, 2**32 - 1),
            st.lists(_sample, min_size=1, max_size=64),
        ),
        min_size=1,
        max_size=6,
    ),
    st.data(),
)
def test_blocks_at_once_equal_the_firmware_block_by_block(
    n_cells: int,
    imu_everywhere: bool,
    blocks: list[tuple[int, int, list[Sample]]],
    data: st.DataObject,
) -> None:
    payloads = []
    for period, t0, samples in blocks:
        if imu_everywhere:
            samples: list[Sample] = [
                (dt, c, m if m is not None else [1, -2, 3, -4, 5, -6]) for dt, c, m in samples
            ]
        payloads.append(_block(n_cells, period, t0, samples))
    read = _same_blocks(payloads)
    uniform = (
        all(
            all(m is not None for _, _, m in s) or all(m is None for _, _, m in s)
            for _, _, s in blocks
        )
        and len({all(m is None for _, _, m in s) for _, _, s in blocks}) == 1
    )
    if imu_everywhere:
        assert read  # the usual case must take the fast path
    elif not uniform:
        assert not read
    # damaged: refused or the same
    if data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(payloads) - 1))
        bad = bytearray(payloads[i])
        at = data.draw(st.integers(0, len(bad) - 1))
        if data.draw(st.booleans()):
            bad[at] ^= data.draw(st.integers(1, 255))
        else:
            del bad[at:]
        payloads[i] = bytes(bad)
        _same_blocks(payloads)
