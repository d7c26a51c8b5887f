"""The Current Time 0x2A2B codec (stridefw.cts), against Python's own calendar."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stridefw.cts import current_time_to_epoch, epoch_to_current_time

_END_2105 = int(dt.datetime(2106, 1, 1, tzinfo=dt.UTC).timestamp())


@given(st.integers(0, _END_2105 - 1), st.integers(0, 255))
def test_round_trip_and_fields_match_the_calendar(epoch_s: int, frac256: int) -> None:
    v = epoch_to_current_time(epoch_s, frac256)
    t = dt.datetime.fromtimestamp(epoch_s, dt.UTC)
    assert len(v) == 10
    assert int.from_bytes(v[0:2], "little") == t.year
    assert tuple(v[2:7]) == (t.month, t.day, t.hour, t.minute, t.second)
    assert v[7] == t.isoweekday() and v[8] == frac256 and v[9] == 0
    assert current_time_to_epoch(v) == (epoch_s, frac256 * 1_000_000 // 256)


@given(st.binary(max_size=12))
def test_any_bytes_decode_or_raise_value_error(data: bytes) -> None:
    try:
        epoch_s, frac_us = current_time_to_epoch(data)
    except ValueError:
        return
    assert 0 <= epoch_s < _END_2105 + 86400 * 31 and 0 <= frac_us < 1_000_000


def test_bad_values_are_refused() -> None:
    good = bytearray(epoch_to_current_time(1_750_000_000))
    for i, bad in ((2, 13), (2, 0), (3, 0), (4, 24), (5, 60), (6, 60)):
        v = bytearray(good)
        v[i] = bad
        try:
            current_time_to_epoch(v)
        except ValueError:
            continue
        raise AssertionError(f"byte {i} = {bad} accepted")
    try:
        current_time_to_epoch(good[:8])
    except ValueError:
        pass
    else:
        raise AssertionError("8 bytes accepted")


@given(st.integers(1970, 2105), st.integers(1, 12), st.integers(1, 31))
def test_a_date_is_accepted_exactly_when_the_calendar_has_it(y: int, m: int, d: int) -> None:
    v = bytes((y & 255, y >> 8, m, d, 12, 0, 0, 0, 0, 0))
    try:
        want: int | None = int(dt.datetime(y, m, d, 12, tzinfo=dt.UTC).timestamp())
    except ValueError:
        want = None
    try:
        got: int | None = current_time_to_epoch(v)[0]
    except ValueError:
        got = None
    assert got == want
