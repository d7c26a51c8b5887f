"""Stride service protocol (stridefw.syncproto): round trips and garbage."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridefw import syncproto as P

u8 = st.integers(0, 0xFF)
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)

REQUESTS = st.one_of(
    st.tuples(st.just(P.OP_LIST), u8, st.tuples(u16)),
    st.tuples(st.just(P.OP_READ), u8, st.tuples(u16, u32, u16)),
    st.tuples(st.just(P.OP_CREDIT), u8, st.tuples(u16)),
    st.tuples(st.just(P.OP_ABORT), u8, st.just(())),
    st.tuples(st.just(P.OP_MARK), u8, st.tuples(u16, u32)),
    st.tuples(st.just(P.OP_LIVE), u8, st.tuples(st.integers(0, 1))),
    st.tuples(st.just(P.OP_TIME), u8, st.tuples(u32, u32)),
    st.tuples(st.just(P.OP_REC), u8, st.tuples(st.integers(0, 1))),
)


@given(REQUESTS)
def test_request_round_trip(req: tuple[int, int, tuple[int, ...]]) -> None:
    op, rid, args = req
    data = P.encode_request(op, rid, *args)
    assert P.decode_request(data) == (op, rid, args)
    assert P.request_id(data) == rid


def test_list_without_from_id_means_zero() -> None:
    assert P.decode_request(bytes([P.OP_LIST, 7])) == (P.OP_LIST, 7, (0,))


@given(st.binary(max_size=40))
def test_garbage_request_is_a_value_error_or_valid(data: bytes) -> None:
    try:
        op, rid, args = P.decode_request(data)
    except ValueError as e:
        assert str(e)
        return
    # anything accepted re-encodes to the same bytes
    assert P.encode_request(op, rid, *args) == data or (op == P.OP_LIST and len(data) == 2)


def test_bad_requests_name_the_problem() -> None:
    with pytest.raises(ValueError, match="unknown op"):
        P.decode_request(b"\x7e\x01")
    with pytest.raises(ValueError, match="READ takes 8"):
        P.decode_request(bytes([P.OP_READ, 1, 0, 0]))
    with pytest.raises(ValueError, match="at least"):
        P.decode_request(b"\x02")
    with pytest.raises(ValueError, match="bad arguments"):
        P.encode_request(P.OP_READ, 1, 70000, 0, 0)


OK_VALUES = st.one_of(
    st.tuples(st.just(P.OP_READ), st.tuples(u32)),
    st.tuples(st.just(P.OP_DONE), st.tuples(u16, u32, u32)),
    st.tuples(st.just(P.OP_ABORT), st.tuples(u32)),
    st.tuples(st.just(P.OP_MARK), st.tuples(u32)),
    st.tuples(st.just(P.OP_LIVE), st.just(())),
    st.tuples(st.just(P.OP_TIME), st.just(())),
    st.tuples(st.just(P.OP_REC), st.tuples(u16)),
)


@given(OK_VALUES, u8)
def test_ok_response_round_trip(ov: tuple[int, tuple[int, ...]], rid: int) -> None:
    op, values = ov
    op2, rid2, status, payload = P.decode_response(P.encode_ok(op, rid, *values))
    assert (op2, rid2, status) == (op, rid, P.ST_OK)
    assert P.decode_ok(op, payload) == values


@given(st.sampled_from(sorted(P.STATUS_NAMES)), u8, st.sampled_from(sorted(P.OP_NAMES)))
def test_error_response_round_trip(status: int, rid: int, op: int) -> None:
    assert P.decode_response(P.encode_response(op, rid, status)) == (op, rid, status, b"")


@given(st.binary(max_size=40))
def test_garbage_response_is_a_value_error_or_valid(data: bytes) -> None:
    try:
        op, rid, status, payload = P.decode_response(data)
    except ValueError as e:
        assert str(e)
        return
    assert P.encode_response(op, rid, status, payload) == data
    for fixed in (P.OP_READ, P.OP_DONE, P.OP_LIST):
        try:
            if fixed == P.OP_LIST:
                P.decode_list(payload)
            else:
                P.decode_ok(fixed, payload)
        except ValueError:
            pass


ENTRY = st.tuples(u16, u32, u32, st.booleans()).map(
    lambda e: (e[0], max(e[1], e[2]), min(e[1], e[2]), e[3])
)


@given(st.lists(ENTRY, max_size=20), st.booleans(), u8)
def test_list_round_trip(entries: list[tuple[int, int, int, bool]], more: bool, rid: int) -> None:
    op, rid2, status, payload = P.decode_response(P.encode_list(rid, entries, more))
    assert (op, rid2, status) == (P.OP_LIST, rid, P.ST_OK)
    assert P.decode_list(payload) == (entries, more)


def test_list_capacity_fits_the_mtu() -> None:
    for mtu in (23, 100, 247, 517):
        n = P.list_capacity(mtu)
        assert len(P.encode_list(0, [(1, 2, 1, True)] * n, True)) <= mtu - 3
        assert len(P.encode_list(0, [(1, 2, 1, True)] * (n + 1), True)) > mtu - 3


@given(u16, u32, st.binary(max_size=244))
def test_data_round_trip(sid: int, offset: int, chunk: bytes) -> None:
    data = P.encode_data(sid, offset, chunk)
    assert P.decode_data(data) == (sid, offset, chunk)
    buf = bytearray(len(data))
    P.pack_data_header(buf, sid, offset)
    assert bytes(buf[: P.DATA_HEADER]) == data[: P.DATA_HEADER]


def test_short_data_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="data notification"):
        P.decode_data(b"\x01\x02\x03")


@given(st.integers(0, 1), st.booleans(), u8, u16, u16, u32, u32)
def test_status_round_trip(
    foot: int, rec: bool, batt: int, ses: int, n: int, steps: int, free_kb: int
) -> None:
    data = P.encode_status(foot, rec, batt, ses, n, steps, free_kb)
    assert len(data) == P.STATUS_LEN
    d = P.decode_status(data)
    assert (d["foot"], d["recording"], d["battery_pct"], d["session"]) == (foot, rec, batt, ses)
    assert (d["n_sessions"], d["steps"], d["free_kb"]) == (n, steps, free_kb)


@given(st.binary(max_size=20))
def test_garbage_status_never_crashes(data: bytes) -> None:
    with contextlib.suppress(ValueError):
        P.decode_status(data)


@given(st.integers(0, 1), st.binary(min_size=6, max_size=6), st.integers(0, 100))
def test_advertising_names_and_manufacturer_data(foot: int, dev: bytes, batt: int) -> None:
    name = P.adv_name(foot, dev)
    assert P.foot_from_name(name) == foot
    assert len(name) <= 16
    assert P.decode_manuf(P.encode_manuf(foot, batt)) == (foot, batt)


@given(st.text(max_size=20), st.binary(max_size=8))
def test_foreign_advertising_is_recognised_as_foreign(name: str, manuf: bytes) -> None:
    assert P.foot_from_name(name) in (-1, 0, 1)
    if not name.startswith("Stride-"):
        assert P.foot_from_name(name) == -1
    with contextlib.suppress(ValueError):
        P.decode_manuf(manuf)


def test_uuids_are_distinct_and_share_the_base() -> None:
    uuids = {P.SERVICE_UUID, P.CONTROL_UUID, P.DATA_UUID, P.STATUS_UUID}
    assert len(uuids) == 4
    assert all(u[:-4] == P.SERVICE_UUID[:-4] for u in uuids)


@given(st.binary(min_size=1, max_size=2000), st.lists(st.integers(1, 300), max_size=20))
def test_receiver_takes_chunks_in_order_and_checks_done(data: bytes, cuts: list[int]) -> None:
    import binascii

    rx = P.Receiver()
    rx.start(7, 100)
    off = 0
    for n in [*cuts, len(data)]:
        chunk = data[off : off + n]
        if not chunk:
            break
        assert rx.accept(3, 100 + off, chunk) == P.CHUNK_OTHER  # another session
        assert rx.accept(7, 100 + off, chunk) == P.CHUNK_OK
        assert rx.accept(7, 100 + off, chunk) == P.CHUNK_REPEAT  # resent
        off += len(chunk)
    assert rx.next == 100 + len(data)
    assert rx.accept(7, rx.next + 1, b"x") == P.CHUNK_GAP
    crc = binascii.crc32(data) & 0xFFFFFFFF
    assert rx.done_error(rx.next, crc) == ""
    assert "CRC-32" in rx.done_error(rx.next, crc ^ 1)
    assert "received up to" in rx.done_error(rx.next + 1, crc)
