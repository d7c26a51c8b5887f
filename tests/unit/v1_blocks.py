"""SampleBlock version 1 blocks for tests of the version-1 readers.

Nothing writes version 1 any more (stridefw.sampleblock writes version 4), but files
of it still read (stridefw.sampleblock_v1, stridekit.fastblocks' v1 functions): this
is the version-1 encoder of commit 57ea2b1 (SampleBlockEncoder and its plain-Python
add_sample_py, without the viper loop), so tests can make such blocks.
"""

from __future__ import annotations

import array
from collections.abc import Sequence

SAMPLE_BLOCK_VERSION = 1

_BLOCK_HEAD = 8
BLOCK_MAX_SAMPLES = 64
_BLOCK_BYTES = 1200
_IMU_N = 6
DT_MAX_US = 65535  # a larger gap starts a new block (keeps varints small ints)


class SampleBlockEncoder:
    """Compresses consecutive samples into one version-1 SampleBlock payload, in place."""

    def __init__(self, n_cells: int, period_us: int) -> None:
        self.n_cells = n_cells
        self.period_us = period_us
        self.buf = bytearray(_BLOCK_BYTES)
        nch = n_cells + _IMU_N
        self._p1 = array.array("i", bytes(4 * nch))  # previous value per channel
        self._p2 = array.array("i", bytes(4 * nch))  # the one before
        self.n = 0
        self.len = 0
        self._imu_n = 0
        # worst case of one sample: dt 3 bytes, residuals <= 4 * 2**16 -> 3 bytes each
        self._worst = 3 + 3 * nch

    def start(self, t: int, wraps: int) -> None:
        """New block whose first sample is at session time wraps * 2**30 + t."""
        b = self.buf
        b[0] = t & 0xFF
        b[1] = (t >> 8) & 0xFF
        b[2] = (t >> 16) & 0xFF
        b[3] = ((t >> 24) & 0x3F) | ((wraps & 3) << 6)
        b[4] = self.period_us & 0xFF
        b[5] = (self.period_us >> 8) & 0xFF
        b[6] = self.n_cells
        b[7] = 0
        self.n = 0
        self._imu_n = 0
        self.len = _BLOCK_HEAD

    def room(self) -> bool:
        return self.n < BLOCK_MAX_SAMPLES and self.len + self._worst <= _BLOCK_BYTES

    def add(self, dt_us: int, cells: Sequence[int], imu: Sequence[int] | None) -> None:
        """Append one sample (dt_us since the previous one; ignored for the first)."""
        if self.len + self._worst > _BLOCK_BYTES:
            raise ValueError("SampleBlock full: check room() before add()")
        self.len = add_sample_py(self, dt_us, cells, imu)
        if imu is not None:
            self._imu_n += 1
        self.n += 1
        self.buf[7] = self.n

    def payload(self) -> bytes:
        return bytes(self.buf[: self.len])


def add_sample_py(
    e: SampleBlockEncoder, dt_us: int, cells: Sequence[int], imu: Sequence[int] | None
) -> int:
    """One sample's varints at e.buf[e.len:] and e's predictor update; the new e.len."""
    b = e.buf
    p1 = e._p1
    p2 = e._p2
    nc = e.n_cells
    n = e.n
    o = e.len
    r = 0 if n == 0 else dt_us - e.period_us
    z = (((r << 1) if r >= 0 else ((-r << 1) - 1)) << 1) | (0 if imu is None else 1)
    while z >= 0x80:
        b[o] = (z & 0x7F) | 0x80
        z >>= 7
        o += 1
    b[o] = z
    o += 1
    axes = cells if imu is None else imu  # read only when imu is present
    for j in range(nc + (0 if imu is None else _IMU_N)):
        if j < nc:
            v = cells[j]
            k = n
        else:
            v = axes[j - nc]
            k = e._imu_n
        if k == 0:
            r = v
        elif k == 1:
            r = v - p1[j]
        else:
            r = v - (2 * p1[j] - p2[j])
        p2[j] = p1[j]
        p1[j] = v
        z = (r << 1) if r >= 0 else ((-r << 1) - 1)
        while z >= 0x80:
            b[o] = (z & 0x7F) | 0x80
            z >>= 7
            o += 1
        b[o] = z
        o += 1
    return o
