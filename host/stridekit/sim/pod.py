"""The virtual pod: the real `stridefw.app` on CPython, fed by a simulated run.

Everything below the firmware is a thin stand-in (stridekit.sim.shims): `machine`
(ADC, Pin, I2C with an LSM6DSOX/MPU-6050 model, Timer), `time` ticks with the
2**30 wrap (simulated or wall-clock time), `espnow` (an in-process radio between
pods), LittleFS from littlefs-python on a RAM flash with power-cut injection, and
the console on a pseudo-terminal that pyserial opens like a USB port
(`stride console /dev/pts/N`).

Simulated time (VirtualClock) makes a run deterministic and faster than real
time; RealClock runs the pod against the wall clock (interactive use, jitter
figures).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
import tty
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from stridefw import board as fw_board
from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw.app import App
from stridefw.records import REC_SAMPLE_BLOCK
from stridekit.session import step_payloads, unwrap_u32
from stridekit.sim.gait import SimFoot
from stridekit.sim.shims import bluetooth as bt_shim
from stridekit.sim.shims.espnow import Air, ESPNow
from stridekit.sim.shims.flash import FlashDevice, LfsFs, new_fs
from stridekit.sim.shims.machine import Machine, SimSensors
from stridekit.sim.shims.ticks import Clock, RealClock, VirtualClock

DEFAULT_FLASH_BLOCKS = 512  # 2 MiB: the vfs partition of a 4 MiB ESP32 module is ~2 MiB


class PtyPort:
    """The pod's console end of a pseudo-terminal; the host opens `path` with pyserial."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no line editing, no CR/LF translation
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self.slave)
        self.rx_bytes = 0
        self.tx_bytes = 0

    def readinto(self, buf: memoryview | bytearray) -> int:
        try:
            data = os.read(self.master, len(buf))
        except (BlockingIOError, OSError):
            return 0
        buf[: len(data)] = data
        self.rx_bytes += len(data)
        return len(data)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        try:
            n = os.write(self.master, data)
        except (BlockingIOError, OSError):
            return 0
        self.tx_bytes += n
        return n

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class MemPort:
    """An in-memory console port (tests, fuzzing): feed() input, take() output."""

    def __init__(self, tx_room: int = 1 << 20) -> None:
        self.rx = bytearray()
        self.tx = bytearray()
        self.tx_room = tx_room

    def feed(self, data: bytes) -> None:
        self.rx += data

    def take(self) -> bytes:
        out = bytes(self.tx)
        self.tx.clear()
        return out

    def readinto(self, buf: memoryview | bytearray) -> int:
        n = min(len(buf), len(self.rx))
        buf[:n] = self.rx[:n]
        del self.rx[:n]
        return n

    def write(self, data: bytes | bytearray | memoryview) -> int:
        n = min(len(data), self.tx_room - len(self.tx))
        self.tx += bytes(data[:n])
        return n

    def close(self) -> None:
        pass


class VirtualPod:
    """One pod: board, sensors, flash and console around the firmware's App."""

    def __init__(
        self,
        sim: SimFoot | None,
        *,
        foot: int | None = None,
        rate_hz: int = 100,
        n_cells: int | None = None,
        board: str = "esp32s3",
        imu: str | None = "lsm6dsox",
        clock: Clock | None = None,
        flash: FlashDevice | None = None,
        flash_blocks: int = DEFAULT_FLASH_BLOCKS,
        air: Air | None = None,
        mac: bytes | None = None,
        console: str = "pty",
        auto_start: bool = False,
        store_kw: dict[str, int] | None = None,
        start_delay_s: float = 0.5,
        ble: bt_shim.BLE | None = None,
    ) -> None:
        self.foot = foot if foot is not None else (sim.foot if sim is not None else 0)
        self.clock: Clock = clock or VirtualClock()
        self.rate_hz = rate_hz
        self.n_cells = n_cells or (sim.cells.shape[1] if sim is not None else 8)
        self.board = fw_board.BOARDS[board]
        self.sensors = SimSensors(sim, self.clock.now_us() + int(start_delay_s * 1e6))
        uid = mac or bytes([0x5D, 0x1D, 0, 0, 0, self.foot])
        self.machine = Machine(self.board, self.clock, self.sensors, self.n_cells, imu, uid)
        self.flash = flash or FlashDevice(flash_blocks)
        self.air = air
        self.radio = ESPNow(air, uid) if air is not None else None
        if self.radio is not None:
            self.radio.active(True)
        self.port: PtyPort | MemPort | None = None
        if console == "pty":
            self.port = PtyPort()
        elif console == "mem":
            self.port = MemPort()
        self.auto_start = auto_start
        self.store_kw = store_kw
        self.slept = 0
        self.ble = ble  # the shim on a Bumble device (see BlePods); None: no BLE
        self.app = self.boot()

    @property
    def port_path(self) -> str:
        if not isinstance(self.port, PtyPort):
            raise ValueError("this pod has no pseudo-terminal console")
        return self.port.path

    def boot(self) -> App:
        """Power on: mount the flash (format if blank), start the firmware."""
        try:
            lfs = new_fs(self.flash)
        except Exception:
            lfs = new_fs(self.flash, format_=True)
        self.fs = LfsFs(lfs)
        app = App(
            self.machine,
            self.clock,
            self.fs,
            self.board,
            n_cells=self.n_cells,
            rate_hz=self.rate_hz,
            foot=self.foot,
            port=self.port,
            radio=self.radio,
            auto_start=self.auto_start,
            sleep_fn=self._sleep,
            allow_repl=False,
            store_kw=self.store_kw,
            ble=self.ble,
            bt=bt_shim if self.ble is not None else None,
        )
        app.start()
        self.app = app
        return app

    def _sleep(self, app: App) -> None:
        self.slept += 1

    def step(self) -> bool:
        """Turns until the firmware waits for the next interrupt; False if it stopped."""
        app = self.app
        if not app.running:
            return False
        n = 0
        while app.turn() and app.running and n < 1000:
            n += 1
        return app.running

    def run_for(self, seconds: float) -> None:
        """Simulated time only: run the firmware for `seconds` of pod time."""
        run_pods([self], seconds)

    def command(self, line: str, max_turns: int = 10_000) -> str:
        """Send one console line through an in-memory port and return the reply line."""
        port = self.port
        if not isinstance(port, MemPort):
            raise ValueError("command() needs console='mem'; use pyserial on port_path")
        port.feed(line.encode() + b"\n")
        out = b""
        for _ in range(max_turns):
            self.step()
            self.machine.idle()
            out += port.take()
            if b"\n" in out:
                break
        return out.split(b"\n", 1)[0].decode()

    def serve(self, stop: threading.Event, pace_s: float = 0.0005) -> None:
        """Keep the firmware running until stop is set (for a host talking over the pty)."""
        while not stop.is_set() and self.app.running:
            self.step()
            self.machine.idle()
            if isinstance(self.clock, VirtualClock) and pace_s:
                time.sleep(pace_s)

    def close(self) -> None:
        if self.app.running:
            self.app.stop()
        if isinstance(self.clock, RealClock):
            self.clock.close()
        if self.port is not None:
            self.port.close()


def run_pods(pods: Sequence[VirtualPod], seconds: float) -> None:
    """Run pods that share one VirtualClock for `seconds` of simulated time."""
    clock = pods[0].clock
    if not isinstance(clock, VirtualClock) or any(p.clock is not clock for p in pods):
        raise ValueError("run_pods needs pods on one shared VirtualClock")
    end = clock.now_us() + int(seconds * 1e6)
    while clock.now_us() < end:
        for p in pods:
            p.step()
        clock.idle()


def pod_pair(
    left: SimFoot | None, right: SimFoot | None, **kw: object
) -> tuple[VirtualPod, VirtualPod, Air]:
    """Two pods (left, right) on one simulated clock and one radio medium."""
    clock = VirtualClock()
    air = Air()
    a = VirtualPod(left, foot=0, clock=clock, air=air, mac=b"\x5d\x1d\x00\x00\x01\x00", **kw)  # type: ignore[arg-type]
    b = VirtualPod(right, foot=1, clock=clock, air=air, mac=b"\x5d\x1d\x00\x00\x01\x01", **kw)  # type: ignore[arg-type]
    return a, b, air


# ----------------------------------------------------------------- decoding


@dataclass
class PodSession:
    """One session file from a pod, decoded (samples from its SampleBlocks)."""

    header: R.SessionHeader
    t_us: np.ndarray
    cells: np.ndarray
    imu: np.ndarray
    imu_present: np.ndarray
    step_payloads: list[bytes] = field(default_factory=list)
    flag_payloads: list[bytes] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    syncs: list[R.Sync] = field(default_factory=list)
    end: R.SessionEnd | None = None
    seqs: list[int] = field(default_factory=list)
    blocks: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def decode_session(data: bytes) -> PodSession:
    """Records of one pod session file; raises ValueError without a SessionHeader."""
    recs, dec = R.decode_all(data)
    header: R.SessionHeader | None = None
    t: list[int] = []
    cells: list[tuple[int, ...]] = []
    imu: list[tuple[int, ...] | None] = []
    out = PodSession(R.SessionHeader(), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
    for r in recs:
        out.seqs.append(r.seq)
        if r.rtype == R.REC_HEADER:
            header = R.SessionHeader.from_bytes(r.payload)
        elif r.rtype == REC_SAMPLE_BLOCK:
            ts, cs, ms = SB.decode_sample_block(r.payload, r.version)
            t += ts
            cells += cs
            imu += ms
            out.blocks += 1
        elif r.rtype == R.REC_SAMPLE:
            ts1, c1, m1 = R.unpack_sample(r.payload)
            t.append(ts1)
            cells.append(tuple(c1))
            imu.append(m1)
        elif r.rtype in (R.REC_STEP, R.REC_STEP_BLOCK):
            out.step_payloads += step_payloads(r)
        elif r.rtype == R.REC_FLAG:
            out.flag_payloads.append(bytes(r.payload))
        elif r.rtype == R.REC_NOTE:
            out.notes.append(R.Note.from_bytes(r.payload).text)
        elif r.rtype == R.REC_SYNC:
            out.syncs.append(R.Sync.from_bytes(r.payload))
        elif r.rtype == R.REC_END:
            out.end = R.SessionEnd.from_bytes(r.payload)
    if header is None:
        raise ValueError(f"no SessionHeader in {len(data)} bytes")
    out.header = header
    out.errors = list(dec.errors)
    n = len(t)
    out.t_us = unwrap_u32(np.array(t, dtype=np.int64))
    out.cells = np.array(cells, dtype=np.uint16).reshape(n, header.n_cells)
    out.imu_present = np.array([m is not None for m in imu], dtype=bool)
    out.imu = np.array([m if m is not None else (0,) * 6 for m in imu], dtype=np.int16).reshape(
        n, 6
    )
    return out


def read_session_file(pod: VirtualPod, sid: int) -> bytes:
    """A session's committed bytes straight from the pod's file system."""
    f, size = pod.app.store.open_read(sid)
    try:
        return bytes(f.read(size))
    finally:
        f.close()


# ----------------------------------------------------------------- BLE


def ble_address(index: int, foot: int) -> str:
    """The virtual pod's static random BLE address (top bits 11)."""
    return f"F5:1D:00:00:{index:02X}:{foot:02X}"


class BlePods:
    """Virtual pods whose firmware BLE layer runs on Bumble, on one LocalLink.

    All pods share one VirtualClock. A driver task on the running asyncio loop
    turns each pod's App (stridekit.sim.shims.bluetooth explains why that loop
    and no thread) and yields to the loop after every round, so Bumble delivers
    IRQs between turns. Use as `async with BlePods(link, [left, right]) as pods:`
    inside asyncio.run(); pods[i] is a VirtualPod, pods.devices[i] its Bumble
    device, pods.addresses[i] its address string.

    Args:
        link: the bumble.link.LocalLink shared with the centrals.
        sims: one SimFoot (or None: a still foot) per pod; foot = index unless
            `feet` says otherwise (0 left, 1 right).
        feet: foot of each pod.
        enomem: test hook passed to every pod's BLE shim (see BLE).
        tx_slots: notifications the shim holds per connection between rounds.
        pace_s: real seconds to sleep per round (0: as fast as the loop allows).
        pod_kw: further VirtualPod arguments (rate_hz, store_kw, console, ...).
    """

    def __init__(
        self,
        link: object,
        sims: Sequence[SimFoot | None],
        *,
        feet: Sequence[int] | None = None,
        enomem: Callable[[], bool] | None = None,
        tx_slots: int = 16,
        pace_s: float = 0.0,
        clock: VirtualClock | None = None,
        **pod_kw: object,
    ) -> None:
        self.link = link
        self.sims = list(sims)
        self.feet = list(feet) if feet is not None else list(range(len(self.sims)))
        self.enomem = enomem
        self.tx_slots = tx_slots
        self.pace_s = pace_s
        self.clock = clock or VirtualClock()
        self.pod_kw = dict(pod_kw)
        self.pods: list[VirtualPod] = []
        self.devices: list[object] = []
        self.bles: list[bt_shim.BLE] = []
        self.addresses: list[str] = []
        self.rounds = 0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.paused = False

    def __getitem__(self, i: int) -> VirtualPod:
        return self.pods[i]

    def __len__(self) -> int:
        return len(self.pods)

    async def __aenter__(self) -> BlePods:
        from bumble.link import LocalLink

        if not isinstance(self.link, LocalLink):
            raise TypeError("BlePods needs a bumble.link.LocalLink")
        self.pod_kw.setdefault("console", "mem")
        for i, (sim, foot) in enumerate(zip(self.sims, self.feet, strict=True)):
            addr = ble_address(i, foot)
            device = bt_shim.new_device(self.link, addr, f"pod{i}")
            await device.power_on()
            ble = bt_shim.BLE(device, tx_slots=self.tx_slots, enomem=self.enomem)
            mac = bytes([0x5D, 0x1D, 0, 0, i, foot])
            pod = VirtualPod(sim, foot=foot, clock=self.clock, mac=mac, ble=ble, **self.pod_kw)  # type: ignore[arg-type]
            self.pods.append(pod)
            self.devices.append(device)
            self.bles.append(ble)
            self.addresses.append(addr)
        self._task = asyncio.get_running_loop().create_task(self._drive())
        await asyncio.sleep(0)
        return self

    async def _drive(self) -> None:
        while not self._stop.is_set():
            if not self.paused:
                for p in self.pods:
                    p.step()
                self.clock.idle()
                self.rounds += 1
            await asyncio.sleep(self.pace_s)

    async def run_for(self, seconds: float) -> None:
        """Wait until `seconds` of pod time have passed (the driver keeps turning)."""
        end = self.clock.now_us() + int(seconds * 1e6)
        while self.clock.now_us() < end:
            await asyncio.sleep(0)

    async def __aexit__(self, *exc: object) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        for d in self.devices:
            with contextlib.suppress(Exception):
                await d.power_off()  # type: ignore[attr-defined]
        for p in self.pods:
            p.close()


def ble_pods(link: object, sims: Sequence[SimFoot | None], **kw: object) -> BlePods:
    """`async with ble_pods(link, [left_sim, right_sim]) as pods:` (see BlePods)."""
    return BlePods(link, sims, **kw)  # type: ignore[arg-type]
