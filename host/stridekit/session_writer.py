"""Session files in the pod's format, written on the host (stride sim, stride import).

The records are the firmware codec's (stridefw.records, sampleblock, stepblock): the
host frames them in the order and blocks the pod's store writes, so a simulated or
imported session reads, replays and counts exactly as a synced one.
"""

from __future__ import annotations

from collections.abc import Sequence

from stridefw import records as R
from stridefw import sampleblock as fw_sampleblock
from stridefw import stepblock as fw_stepblock
from stridefw import store as fw_store
from stridefw.config import TICKS_MASK

_COMMIT_US = fw_store.COMMIT_MS * 1000
# Files the host writes (stride sim, stride import) pack Steps into StepBlocks as the
# pod's store does, so they are the pod's format byte for byte in kind.
STEP_BLOCKS = True


class SessionWriter:
    """Frames records for one session with consecutive sequence numbers.

    Each frame comes with its leading 0x00 (stridefw.records), as Encoder.encode
    gives it, so the bytes of one record are the same wherever it is written.
    add() frames any record as it is. add_sample/add_step/commit store raw samples
    and steps the way the pod's SessionStore does (stridefw.store): SampleBlocks
    closed at each commit, StepBlocks of up to STEP_BLOCK_MAX steps, both framed
    before any other record; end() frames what is still open.
    """

    def __init__(self, period_us: int = 10_000, step_blocks: bool = STEP_BLOCKS) -> None:
        """period_us: the nominal sample period (1e6 / rate_hz), SampleBlocks' time predictor.
        step_blocks: add_step packs Steps into StepBlocks as the pod does (else one Step
        record each)."""
        self.step_blocks = step_blocks
        self.period_us = min(max(period_us, 1), 0xFFFF)  # a u16 in the SampleBlock
        self._enc = R.Encoder()
        self._buf = bytearray(R.MAX_ENCODED)
        self.seq = 0
        self.out = bytearray()
        self._block: fw_sampleblock.SampleBlockEncoder | None = None
        self._steps = fw_stepblock.StepBlockEncoder()
        self._prev_t = -1  # u32 time of the last sample
        self._commit_t = 0  # u32 time of the last commit

    def _frame(self, rtype: int, payload: bytes | bytearray | memoryview, plen: int = -1) -> None:
        end = self._enc.encode_into(self._buf, 0, rtype, self.seq, payload, plen)
        self.out += self._buf[:end]
        self.seq += 1

    def add(self, rtype: int, payload: bytes | bytearray | memoryview) -> None:
        """One record, after the open StepBlock and SampleBlock (as the pod orders them)."""
        self.end()
        self._frame(rtype, payload)

    def add_sample(self, t_us: int, cells: Sequence[int], imu: Sequence[int] | None) -> None:
        """A raw sample at u32 session time t_us (increasing, mod 2**32).

        Commits (frames the open SampleBlock) every COMMIT_MS of session time, as the
        pod does on its clock.
        """
        blk = self._block
        if blk is None or blk.n_cells != len(cells):
            self._close_block()
            blk = self._block = fw_sampleblock.SampleBlockEncoder(len(cells), self.period_us)
        dt_us = -1
        if self._prev_t >= 0:
            dt_us = (t_us - self._prev_t) & 0xFFFFFFFF
            if (t_us - self._commit_t) & 0xFFFFFFFF >= _COMMIT_US:
                self.commit()
                self._commit_t = t_us
        else:
            self._commit_t = t_us
        self._prev_t = t_us
        if blk.n and (dt_us < 0 or dt_us > fw_sampleblock.DT_MAX_US or not blk.room()):
            self._close_block()
        if blk.n == 0:
            blk.start(t_us & TICKS_MASK, t_us >> 30)
        blk.add(dt_us, cells, imu)
        if not blk.room():
            self._close_block()

    def add_step(self, payload: bytes) -> None:
        """A Step payload from the kernel, into the open StepBlock."""
        if len(payload) != R.STEP_LEN or not self.step_blocks:
            self.add(R.REC_STEP, payload)
        elif self._steps.add(payload):
            self._close_steps()

    def commit(self) -> None:
        """What the pod's commit does to the records: the open SampleBlock is framed."""
        self._close_block()

    def end(self) -> None:
        """Frame the open StepBlock and SampleBlock."""
        self._close_steps()
        self._close_block()

    def _close_block(self) -> None:
        blk = self._block
        if blk is not None and blk.n:
            self._frame(R.REC_SAMPLE_BLOCK, blk.buf, blk.encode())
            blk.n = 0

    def _close_steps(self) -> None:
        if self._steps.n:
            self._close_block()  # the pod frames its open SampleBlock first
            out = bytearray(fw_stepblock.BLOCK_BYTES_MAX)
            self._frame(R.REC_STEP_BLOCK, out, self._steps.encode(out))
