"""The named Step/Flag byte offsets (stridefw.records) agree with the struct layouts."""

from __future__ import annotations

import struct

from stridefw import records as R


def _offsets(fmt: str, fields: tuple[str, ...]) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    off = 0
    for code, name in zip(fmt[1:], fields, strict=True):
        out[name] = (off, code)
        off += struct.calcsize("<" + code)
    return out


def test_step_offsets_match_the_struct_layout() -> None:
    layout = _offsets(R.Step._fmt, R.Step._fields)  # pyright: ignore[reportPrivateUsage]
    for name, (off, _code) in layout.items():
        assert getattr(R, "STEP_" + name.upper()) == off, name
    assert struct.calcsize(R.Step._fmt) == R.STEP_LEN  # pyright: ignore[reportPrivateUsage]


def test_flag_offsets_match_the_struct_layout() -> None:
    layout = _offsets(R.Flag._fmt, R.Flag._fields)  # pyright: ignore[reportPrivateUsage]
    for name, (off, _code) in layout.items():
        assert getattr(R, "FLAGREC_" + name.upper()) == off, name
    assert struct.calcsize(R.Flag._fmt) == R.FLAGREC_LEN  # pyright: ignore[reportPrivateUsage]


def test_u16_at_reads_what_struct_writes() -> None:
    st = R.Step(index=70_000, stance_us=212_345, peak_force_dn=12_345, flags=0x2011)
    b = st.to_bytes()
    assert R.u16_at(b, R.STEP_PEAK_FORCE_DN) == 12_345 and R.u16_at(b, R.STEP_FLAGS) == 0x2011
