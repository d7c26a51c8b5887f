"""Helpers for the device tests: flash + store factories, a deterministic record stream."""

from __future__ import annotations

import array
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw import store as S
from stridefw.records import REC_SAMPLE_BLOCK
from stridekit.sim.shims.flash import FlashDevice, LfsFs, new_fs

N_CELLS = 8


def fresh_store(
    blocks: int = 64, raw_floor: int = 32 * 1024, step_floor: int = 12 * 1024
) -> tuple[FlashDevice, S.SessionStore]:
    dev = FlashDevice(blocks)
    fs = LfsFs(new_fs(dev, format_=True))
    st = S.SessionStore(fs, raw_floor=raw_floor, step_floor=step_floor)
    st.mount()
    return dev, st


def reboot(
    dev: FlashDevice, raw_floor: int = 32 * 1024, step_floor: int = 12 * 1024
) -> S.SessionStore:
    """Power on again over the same flash bytes (no cut this time)."""
    again = FlashDevice(dev.block_count)
    again.buffer[:] = dev.buffer
    st = S.SessionStore(LfsFs(new_fs(again)), raw_floor=raw_floor, step_floor=step_floor)
    st.mount()
    return st


def read_file(st: S.SessionStore, sid: int) -> bytes:
    f, size = st.open_read(sid)
    try:
        return bytes(f.read(size))
    finally:
        f.close()


def all_frames(data: bytes) -> tuple[list[R.Record], R.FrameDecoder]:
    """Every intact record, SampleBlocks included."""
    return R.decode_all(data)


@dataclass
class Script:
    """A deterministic session: samples with a Step every 70, commits every 100."""

    n_samples: int
    seed: int = 0
    step_every: int = 70
    commit_every: int = 100
    t_us: np.ndarray = field(init=False)
    cells: np.ndarray = field(init=False)
    imu: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        n = self.n_samples
        self.t_us = (np.arange(n) * 10_000 + rng.integers(-30, 30, n)).astype(np.int64)
        self.t_us[0] = 0
        base = (2000 + 1800 * np.sin(np.arange(n)[:, None] / 9.0 + np.arange(N_CELLS))).astype(int)
        self.cells = np.clip(base + rng.integers(-3, 4, (n, N_CELLS)), 0, 4095).astype(np.uint16)
        self.imu = rng.integers(-2000, 2000, (n, 6)).astype(np.int16)

    def step_payload(self, i: int) -> bytes:
        return (i // self.step_every).to_bytes(4, "little") + bytes([i % 251]) * 46

    def header(self, sid: int) -> bytes:
        return R.SessionHeader(session_id=sid, n_cells=N_CELLS).to_bytes()


def play(
    st: S.SessionStore,
    sc: Script,
    dev: FlashDevice | None = None,
    at_half: Callable[[], None] | None = None,
) -> int:
    """Record the script; stop as soon as dev loses power (the CPU would stop too).

    Returns how many records the store had reported durable (commit() returned)
    before the cut.
    """
    cells = array.array("H", bytes(2 * N_CELLS))
    imu = array.array("h", bytes(12))

    def alive() -> bool:
        return dev is None or not dev.dead

    box = [0]
    try:
        _play(st, sc, cells, imu, alive, box, at_half)
    except OSError:
        if alive():
            raise
        # the dead flash made littlefs fail: on the device the CPU had stopped
    return box[0]


def _play(
    st: S.SessionStore,
    sc: Script,
    cells: array.array[int],
    imu: array.array[int],
    alive: Callable[[], bool],
    box: list[int],
    at_half: Callable[[], None] | None,
) -> None:
    st.begin(sc.header(st.next_id), N_CELLS, 10_000)
    if not alive():
        return
    box[0] = st.n_committed
    prev = 0
    for i in range(sc.n_samples):
        t = int(sc.t_us[i])
        for c in range(N_CELLS):
            cells[c] = int(sc.cells[i, c])
        for c in range(6):
            imu[c] = int(sc.imu[i, c])
        st.add_sample(t & 0x3FFFFFFF, t >> 30, t - prev if i else -1, cells, imu)
        prev = t
        if i % sc.step_every == sc.step_every - 1:
            st.add(R.REC_STEP, sc.step_payload(i))
        if i % sc.commit_every == sc.commit_every - 1:
            st.commit()
            if not alive():
                return
            box[0] = st.n_committed
        if at_half is not None and i == sc.n_samples // 2:
            at_half()
            if not alive():
                return
    st.end(R.SessionEnd(steps=sc.n_samples // sc.step_every).to_bytes())
    if alive():
        box[0] = st.n_committed


def samples_of(recs: list[R.Record]) -> tuple[list[int], list[tuple[int, ...]]]:
    t: list[int] = []
    cells: list[tuple[int, ...]] = []
    for r in recs:
        if r.rtype == REC_SAMPLE_BLOCK:
            ts, cs, _ = SB.decode_sample_block(r.payload, r.version)
            t += ts
            cells += cs
    return t, cells
