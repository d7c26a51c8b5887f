"""Stand-in for MicroPython's `machine` module on the pod, fed by a simulated run.

Why: `stridefw.app` and its drivers take a machine-like object and use only the
real call surface: `ADC(Pin(n), atten=ADC.ATTN_11DB).read_u16()/read_uv()`,
`Pin(n, Pin.OUT, value=v)` called as `pin(v)`, `I2C(0, scl=, sda=, freq=)`
with `readfrom_mem_into`/`writeto_mem`, `Timer(id).init(mode=, freq=, callback=,
hard=)`, `idle()`, `unique_id()`, `deepsleep()`. Here those read a simulated
runner (stridekit.sim.gait) at the clock's current time: the ADC on a cell pin
returns that cell's raw count, the CD74HC4067 mux routes the cell its select
pins choose, and an LSM6DSOX (or MPU-6050) register model fills its FIFO at
its ODR. One `Machine` per pod, so two pods can share a process.

Faults for tests: a cell stuck, open or saturated from a given time, the IMU
gone (I2C timeouts) from a given time.
"""

from __future__ import annotations

import errno
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from stridefw import board as fw_board
from stridefw.drivers import imu as fw_imu
from stridekit.sim.gait import SimFoot
from stridekit.sim.shims.ticks import Clock


class DeepSleep(Exception):
    """machine.deepsleep() was called: the pod is off until a wake source fires."""


class SimSensors:
    """What the sensors see at a given clock time: a SimFoot, sample by sample.

    The run starts at clock time start_us; before it and after its end the foot
    is off the ground and still (cells 0, 1 g on z).
    """

    def __init__(self, foot: SimFoot | None, start_us: int, battery_mv: int = 3900) -> None:
        self.foot = foot
        self.start_us = start_us
        self.battery_mv = battery_mv
        self.n_cells = foot.cells.shape[1] if foot is not None else 8
        self._t = foot.t_us if foot is not None else np.zeros(0, np.int64)
        self._cells: list[list[int]] = foot.cells.tolist() if foot is not None else []
        self._imu: list[list[int]] | None = (
            foot.imu.tolist() if foot is not None and foot.imu is not None else None
        )
        self.cell_faults: dict[int, tuple[int, int]] = {}  # cell -> (from_us, raw or -1 stuck)
        self.imu_gone_from_us: int | None = None
        self._cache_t = -1
        self._cache_i = -1

    def index(self, now_us: int) -> int:
        """Nearest sample of the run at clock time now_us, -1 outside the run."""
        if now_us == self._cache_t:
            return self._cache_i
        rel = now_us - self.start_us
        t = self._t
        i = -1
        if len(t) and -5000 <= rel <= int(t[-1]) + 5000:
            j = int(np.searchsorted(t, rel))
            if j >= len(t):
                j = len(t) - 1
            elif j > 0 and rel - t[j - 1] < t[j] - rel:
                j -= 1
            i = j
        self._cache_t = now_us
        self._cache_i = i
        return i

    def cell(self, now_us: int, c: int) -> int:
        f = self.cell_faults.get(c)
        rel = now_us - self.start_us
        if f is not None and rel >= f[0]:
            if f[1] >= 0:
                return f[1]
            i = self.index(self.start_us + f[0])  # stuck at the value it had then
            return self._cells[i][c] if i >= 0 else 0
        i = self.index(now_us)
        return self._cells[i][c] if i >= 0 else 0

    def imu(self, now_us: int) -> Sequence[int]:
        i = self.index(now_us)
        if i < 0 or self._imu is None:
            return (0, 0, 1000, 0, 0, 0)
        return self._imu[i]

    def imu_gone(self, now_us: int) -> bool:
        g = self.imu_gone_from_us
        return g is not None and now_us - self.start_us >= g

    def stuck(self, cell: int, from_s: float) -> None:
        self.cell_faults[cell] = (int(from_s * 1e6), -1)

    def open_cell(self, cell: int, from_s: float) -> None:
        self.cell_faults[cell] = (int(from_s * 1e6), 0)

    def saturate(self, cell: int, from_s: float) -> None:
        self.cell_faults[cell] = (int(from_s * 1e6), 4095)

    def lose_imu(self, from_s: float) -> None:
        self.imu_gone_from_us = int(from_s * 1e6)


def _clip16(v: float) -> int:
    return int(max(-32768, min(32767, round(v))))


class SimLsm6dsox:
    """LSM6DSOX register model: WHO_AM_I, CTRL*, FIFO status and tagged FIFO words."""

    def __init__(self, sensors: SimSensors, clock: Clock) -> None:
        self.s = sensors
        self.clock = clock
        self.regs = bytearray(128)
        self.regs[fw_imu.LSM_WHO_AM_I] = fw_imu.LSM_WHO_AM_I_VALUE
        self.fifo: deque[bytes] = deque()
        self.capacity = 512  # words (9 KiB FIFO / 7-byte words, rounded down)
        self.overrun = False
        self._next_us: int | None = None
        self._word = b""

    def _odr_us(self) -> int | None:
        odr = self.regs[fw_imu.LSM_CTRL1_XL] >> 4
        mode = self.regs[fw_imu.LSM_FIFO_CTRL4] & 0x07
        if odr == 0 or mode != fw_imu.LSM_FIFO_MODE_CONTINUOUS:
            return None
        hz = {1: 12.5, 2: 26, 3: 52, 4: 104, 5: 208, 6: 416}.get(odr, 104)
        return round(1e6 / hz)

    def _fill(self) -> None:
        now = self.clock.now_us()
        odr = self._odr_us()
        if odr is None:
            self._next_us = None
            return
        if self._next_us is None:
            self._next_us = now + odr
        while self._next_us <= now:
            m = self.s.imu(self._next_us)
            # gyro word then accel word, as the FIFO batches them at the same ODR
            g = [_clip16(v / 0.7) for v in m[3:6]]
            a = [_clip16(v / 0.488) for v in m[0:3]]
            for tag, xyz in ((fw_imu.LSM_TAG_GYRO, g), (fw_imu.LSM_TAG_ACCEL, a)):
                word = bytes([tag << 3]) + b"".join(
                    v.to_bytes(2, "little", signed=True) for v in xyz
                )
                if len(self.fifo) >= self.capacity:
                    self.fifo.popleft()
                    self.overrun = True
                self.fifo.append(word)
            self._next_us += odr

    def write(self, reg: int, data: bytes) -> None:
        for i, b in enumerate(data):
            r = reg + i
            if r == fw_imu.LSM_CTRL3_C and b & fw_imu.LSM_CTRL3_SW_RESET:
                who = self.regs[fw_imu.LSM_WHO_AM_I]
                self.regs = bytearray(128)
                self.regs[fw_imu.LSM_WHO_AM_I] = who
                self.fifo.clear()
                self._next_us = None
                continue
            if r == fw_imu.LSM_FIFO_CTRL4 and (b & 0x07) == fw_imu.LSM_FIFO_MODE_BYPASS:
                self.fifo.clear()
            self.regs[r & 0x7F] = b

    def read(self, reg: int, n: int) -> bytes:
        if reg == fw_imu.LSM_FIFO_STATUS1:
            self._fill()
            k = len(self.fifo)
            st2 = (k >> 8) & 0x03
            if self.overrun:
                st2 |= fw_imu.LSM_STATUS2_OVR
                self.overrun = False
            return bytes([k & 0xFF, st2])[:n]
        if reg == fw_imu.LSM_FIFO_DATA_OUT_TAG:
            word = self.fifo.popleft() if self.fifo else bytes(7)
            return word[:n]
        return bytes(self.regs[(reg + i) & 0x7F] for i in range(n))


class SimMpu6050:
    """MPU-6050 register model: WHO_AM_I, configuration, 14 output bytes at 0x3B."""

    def __init__(self, sensors: SimSensors, clock: Clock) -> None:
        self.s = sensors
        self.clock = clock
        self.regs = bytearray(128)
        self.regs[fw_imu.MPU_WHO_AM_I] = fw_imu.MPU_WHO_AM_I_VALUE

    def write(self, reg: int, data: bytes) -> None:
        for i, b in enumerate(data):
            self.regs[(reg + i) & 0x7F] = b

    def read(self, reg: int, n: int) -> bytes:
        if reg == fw_imu.MPU_ACCEL_XOUT_H:
            m = self.s.imu(self.clock.now_us())
            vals = [_clip16(v * 2048 / 1000) for v in m[0:3]] + [0]
            vals += [_clip16(v * 16.4 / 10) for v in m[3:6]]
            return b"".join(v.to_bytes(2, "big", signed=True) for v in vals)[:n]
        return bytes(self.regs[(reg + i) & 0x7F] for i in range(n))


class Machine:
    """One pod's `machine`: classes bound to this pod's board, sensors and clock."""

    def __init__(
        self,
        board: fw_board.Board,
        clock: Clock,
        sensors: SimSensors,
        n_cells: int = 8,
        imu: str | None = "lsm6dsox",
        uid: bytes = b"\x5d\x1d\x00\x00\x00\x01",
    ) -> None:
        self.board = board
        self.clock = clock
        self.sensors = sensors
        self.wiring = fw_board.config_for(board, n_cells)
        self.n_cells = n_cells
        self.pins: dict[int, int] = {}
        self.uid = uid
        self.i2c_devices: dict[int, SimLsm6dsox | SimMpu6050] = {}
        if imu == "lsm6dsox":
            self.i2c_devices[fw_board.IMU_ADDR_LSM6DSOX] = SimLsm6dsox(sensors, clock)
        elif imu == "mpu6050":
            self.i2c_devices[fw_board.IMU_ADDR_MPU6050] = SimMpu6050(sensors, clock)
        self.i2c_transfers = 0
        m = self

        class Pin(_Pin):
            _m = m

        class ADC(_ADC):
            _m = m

        class I2C(_I2C):
            _m = m

        class Timer(_Timer):
            _m = m

        self.Pin = Pin
        self.ADC = ADC
        self.I2C = I2C
        self.Timer = Timer

    def unique_id(self) -> bytes:
        return self.uid

    def idle(self) -> None:
        self.clock.idle()

    def deepsleep(self, time_ms: int = 0) -> None:
        raise DeepSleep(time_ms)

    # sensor routing
    def adc_read(self, gpio: int) -> int:
        """Raw 12-bit count on an ADC pin now."""
        b = self.board
        now = self.clock.now_us()
        if gpio == b.battery_adc:
            mv_pin = (
                self.sensors.battery_mv
                * fw_board.BATTERY_R_BOTTOM_OHM
                // (fw_board.BATTERY_R_TOP_OHM + fw_board.BATTERY_R_BOTTOM_OHM)
            )
            return min(4095, mv_pin * 4095 // 3100)
        if self.wiring == fw_board.CONFIG_DIRECT:
            assert b.cells_direct is not None
            if gpio in b.cells_direct:
                c = b.cells_direct.index(gpio)
                return self.sensors.cell(now, c) if c < self.n_cells else 0
            return 0
        if gpio == b.mux_sig:
            if self.pins.get(b.mux_en, 1) != 0:
                return 0  # mux disabled: SIG pulled down by the divider resistor
            ch = sum(self.pins.get(p, 0) << k for k, p in enumerate(b.mux_select))
            return self.sensors.cell(now, ch) if ch < self.n_cells else 0
        return 0

    def battery_uv(self) -> int:
        return (
            self.sensors.battery_mv
            * 1000
            * fw_board.BATTERY_R_BOTTOM_OHM
            // (fw_board.BATTERY_R_TOP_OHM + fw_board.BATTERY_R_BOTTOM_OHM)
        )

    def i2c_dev(self, addr: int) -> SimLsm6dsox | SimMpu6050:
        self.i2c_transfers += 1
        if self.sensors.imu_gone(self.clock.now_us()):
            raise OSError(errno.ETIMEDOUT, "I2C bus timeout")
        dev = self.i2c_devices.get(addr)
        if dev is None:
            raise OSError(errno.ENODEV, f"no I2C device at 0x{addr:02x}")
        return dev


class _Pin:
    _m: Machine
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_UP = 2
    PULL_DOWN = 1
    IRQ_RISING = 1
    IRQ_FALLING = 2

    def __init__(
        self, id: int, mode: int = -1, pull: int = -1, *, value: int | None = None
    ) -> None:
        self.id = id
        self.mode = mode
        if value is not None:
            self._m.pins[id] = 1 if value else 0
        elif pull == self.PULL_UP and id not in self._m.pins:
            self._m.pins[id] = 1

    def __call__(self, v: int | None = None) -> int | None:
        return self.value(v)

    def value(self, v: int | None = None) -> int | None:
        if v is None:
            return self._m.pins.get(self.id, 0)
        self._m.pins[self.id] = 1 if v else 0
        return None

    def on(self) -> None:
        self.value(1)

    def off(self) -> None:
        self.value(0)


class _ADC:
    _m: Machine
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3

    def __init__(self, pin: _Pin, *, atten: int = ATTN_0DB) -> None:
        self.gpio = pin.id
        self.atten = atten

    def read_u16(self) -> int:
        raw = self._m.adc_read(self.gpio)
        return (raw << 4) | (raw >> 8)  # the ESP32 port's 12 -> 16 bit scaling

    def read_uv(self) -> int:
        if self.gpio == self._m.board.battery_adc:
            return self._m.battery_uv()
        return self._m.adc_read(self.gpio) * 3_100_000 // 4095


class _I2C:
    _m: Machine

    def __init__(
        self,
        id: int,
        *,
        scl: Any = None,
        sda: Any = None,
        freq: int = 400_000,
        timeout: int = 50_000,
    ) -> None:
        self.id = id
        self.freq = freq

    def readfrom_mem_into(self, addr: int, memaddr: int, buf: Any, *, addrsize: int = 8) -> None:
        data = self._m.i2c_dev(addr).read(memaddr, len(buf))
        buf[: len(data)] = data

    def readfrom_mem(self, addr: int, memaddr: int, nbytes: int, *, addrsize: int = 8) -> bytes:
        return self._m.i2c_dev(addr).read(memaddr, nbytes)

    def writeto_mem(self, addr: int, memaddr: int, buf: Any, *, addrsize: int = 8) -> None:
        self._m.i2c_dev(addr).write(memaddr, bytes(buf))

    def scan(self) -> list[int]:
        return sorted(self._m.i2c_devices)


class _Timer:
    _m: Machine
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id: int = -1) -> None:
        self.id = id
        self._handle: object | None = None

    def init(
        self,
        *,
        mode: int = PERIODIC,
        freq: int | None = None,
        period: int | None = None,
        callback: Callable[[Any], None] | None = None,
        hard: bool | None = None,
    ) -> None:
        self.deinit()
        if freq is not None:
            period_us = round(1e6 / freq)
        elif period is not None:
            period_us = period * 1000
        else:
            raise ValueError("freq or period required")
        if callback is None:
            raise TypeError("'NoneType' object isn't callable")
        cb = callback
        self._handle = self._m.clock.add_timer(period_us, lambda: cb(self))

    def deinit(self) -> None:
        if self._handle is not None:
            self._m.clock.remove_timer(self._handle)
            self._handle = None
