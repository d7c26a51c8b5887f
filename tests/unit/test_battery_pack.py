"""records.pack_battery_into (the pod's Battery record, packed without allocating)
writes the bytes Battery(...).to_bytes() writes for the same u32 session time."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stridefw import records as R


@given(
    t_us=st.integers(0, (1 << 30) - 1),
    wraps=st.integers(0, 1000),
    mv=st.integers(0, 0xFFFF),
    pct=st.integers(0, 100),
)
def test_pack_battery_into_matches_the_record(t_us: int, wraps: int, mv: int, pct: int) -> None:
    buf = bytearray(b"\xff" * R.BATTERY_LEN)  # stale bytes must not leak into the record
    R.pack_battery_into(buf, t_us, wraps, mv, pct)
    t_u32 = ((wraps & 3) << 30) | t_us
    assert bytes(buf) == R.Battery(t_u32, mv, pct).to_bytes()
    assert R.Battery.from_bytes(buf).t_us == t_u32
