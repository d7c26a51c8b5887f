"""Drivers against fakes with the real call surface (ADC.read_u16, Pin.__call__, I2C *_into)."""

from __future__ import annotations

import array
import errno
from typing import Any

import pytest

from stridefw import board as B
from stridefw.drivers import battery as fw_battery
from stridefw.drivers import imu as fw_imu
from stridefw.drivers.insole import Insole, make_insole
from stridekit.sim.shims.machine import Machine, SimSensors
from stridekit.sim.shims.ticks import VirtualClock


class FakeADC:
    def __init__(self, raw: int) -> None:
        self.raw = raw

    def read_u16(self) -> int:
        return (self.raw << 4) | (self.raw >> 8)


class FakePin:
    def __init__(self, log: list[tuple[str, int]], name: str) -> None:
        self.log = log
        self.name = name

    def __call__(self, v: int | None = None) -> int | None:
        if v is not None:
            self.log.append((self.name, v))
        return None


def test_direct_insole_reads_12_bit_counts() -> None:
    adcs = [FakeADC(v) for v in (0, 1, 63, 64, 2048, 4094, 4095, 17)]
    cells = array.array("H", bytes(16))
    Insole(8, adcs=adcs).read_into(cells)
    assert list(cells) == [0, 1, 63, 64, 2048, 4094, 4095, 17]


def test_mux_selects_each_channel_and_settles() -> None:
    log: list[tuple[str, int]] = []
    sleeps: list[int] = []
    sel = [FakePin(log, f"s{b}") for b in range(4)]
    en = FakePin(log, "en")
    state = {"ch": 0}

    class MuxADC:
        def read_u16(self) -> int:
            return (100 + state["ch"]) << 4

    def sleep_us(us: int) -> None:
        sleeps.append(us)
        ch = 0
        for name, v in log:
            if name.startswith("s"):
                bit = int(name[1])
                ch = (ch & ~(1 << bit)) | (v << bit)
        state["ch"] = ch

    ins = Insole(16, sig=MuxADC(), select=sel, enable=en, sleep_us=sleep_us)
    assert log == [("en", 0)]  # enabled (E active low)
    cells = array.array("H", bytes(32))
    ins.read_into(cells)
    assert list(cells) == [100 + k for k in range(16)]
    assert sleeps == [B.MUX_SETTLE_US] * 16
    # Gray-code order: all four lines set once, then one line per cell
    writes = [x for x in log if x[0] != "en"]
    assert len(writes) == 4 + 16
    # the next read starts one line away from where this one ended: 16 writes, 16 settles
    del log[:]
    del sleeps[:]
    ins.read_into(cells)
    assert list(cells) == [100 + k for k in range(16)]
    assert len(log) == 16 and sleeps == [B.MUX_SETTLE_US] * 16
    ins.off()
    assert log[-1] == ("en", 1)
    # after off() the lines are unknown: all four are set again
    ins.on()
    del log[:]
    ins.read_into(cells)
    assert list(cells) == [100 + k for k in range(16)]
    assert len([x for x in log if x[0] != "en"]) == 4 + 16


@pytest.mark.parametrize("n", [2, 4, 8])
def test_mux_reads_fewer_cells_in_gray_order(n: int) -> None:
    log: list[tuple[str, int]] = []
    sel = [FakePin(log, f"s{b}") for b in range(4)]
    state = {"ch": 0}

    class MuxADC:
        def read_u16(self) -> int:
            return (100 + state["ch"]) << 4

    def sleep_us(us: int) -> None:
        ch = 0
        for name, v in log:
            bit = int(name[1])
            ch = (ch & ~(1 << bit)) | (v << bit)
        state["ch"] = ch

    ins = Insole(n, sig=MuxADC(), select=sel, sleep_us=sleep_us)
    cells = array.array("H", bytes(2 * n))
    for _ in range(3):
        ins.read_into(cells)
        assert list(cells) == [100 + k for k in range(n)]


def test_mux_refuses_a_cell_count_gray_order_cannot_read() -> None:
    with pytest.raises(ValueError, match="2, 4, 8 or 16"):
        Insole(12, sig=object(), select=[FakePin([], "s0")] * 4)


def test_insole_needs_adcs_or_a_mux() -> None:
    with pytest.raises(ValueError):
        Insole(8)
    with pytest.raises(ValueError):
        Insole(8, adcs=[FakeADC(0)] * 4)


def test_make_insole_uses_the_board_pin_map() -> None:
    clock = VirtualClock()
    m = Machine(B.ESP32S3, clock, SimSensors(None, 0), 8)
    ins = make_insole(m, B.ESP32S3, B.CONFIG_DIRECT, 8)
    assert ins._adcs is not None
    assert [a.gpio for a in ins._adcs] == list(B.ESP32S3.cells_direct or ())
    assert all(a.atten == m.ADC.ATTN_11DB for a in ins._adcs)
    m2 = Machine(B.ESP32, clock, SimSensors(None, 0), 8)
    mux = make_insole(m2, B.ESP32, B.CONFIG_MUX, 8, clock.sleep_us)
    assert mux._sig is not None and mux._sig.gpio == B.ESP32.mux_sig
    assert m2.pins[B.ESP32.mux_en] == 0


class FakeBus:
    """I2C with register files per address; absent addresses raise ENODEV."""

    def __init__(self, devices: dict[int, bytearray]) -> None:
        self.devices = devices
        self.writes: list[tuple[int, int, int]] = []

    def readfrom_mem_into(self, addr: int, reg: int, buf: Any) -> None:
        if addr not in self.devices:
            raise OSError(errno.ENODEV, "no device")
        regs = self.devices[addr]
        for i in range(len(buf)):
            buf[i] = regs[reg + i]

    def writeto_mem(self, addr: int, reg: int, buf: Any) -> None:
        if addr not in self.devices:
            raise OSError(errno.ENODEV, "no device")
        self.writes.append((addr, reg, buf[0]))
        self.devices[addr][reg] = buf[0]


def test_imu_detection_by_who_am_i() -> None:
    assert fw_imu.detect(FakeBus({})) is None
    lsm = bytearray(256)
    lsm[fw_imu.LSM_WHO_AM_I] = 0x6C
    d = fw_imu.detect(FakeBus({B.IMU_ADDR_LSM6DSOX_ALT: lsm}))
    assert isinstance(d, fw_imu.Lsm6dsox) and d.addr == 0x6B
    mpu = bytearray(256)
    mpu[fw_imu.MPU_WHO_AM_I] = 0x68
    d = fw_imu.detect(FakeBus({B.IMU_ADDR_MPU6050: mpu}))
    assert isinstance(d, fw_imu.Mpu6050)
    wrong = bytearray(256)
    wrong[fw_imu.LSM_WHO_AM_I] = 0x69  # an LSM6DS3, not ours
    assert fw_imu.detect(FakeBus({B.IMU_ADDR_LSM6DSOX: wrong})) is None


def test_lsm6dsox_configuration_registers() -> None:
    regs = bytearray(256)
    regs[fw_imu.LSM_WHO_AM_I] = 0x6C
    bus = FakeBus({0x6A: regs})
    fw_imu.Lsm6dsox(bus, 0x6A, 200)
    w = {r: v for _, r, v in bus.writes}
    assert w[fw_imu.LSM_CTRL3_C] == 0x44  # BDU | IF_INC after the reset
    assert w[fw_imu.LSM_CTRL1_XL] == 0x54  # 208 Hz, +-16 g
    assert w[fw_imu.LSM_CTRL2_G] == 0x5C  # 208 Hz, +-2000 dps
    assert w[fw_imu.LSM_FIFO_CTRL3] == 0x55  # batch both at 208 Hz
    assert w[fw_imu.LSM_FIFO_CTRL4] == 0x06  # continuous mode


def test_lsm6dsox_fifo_words_scaled_to_mg_and_decidegrees() -> None:
    clock = VirtualClock()
    sensors = SimSensors(None, 0)
    m = Machine(B.ESP32S3, clock, sensors, 8, imu="lsm6dsox")
    i2c = m.I2C(0)
    d = fw_imu.detect(i2c, 100)
    assert isinstance(d, fw_imu.Lsm6dsox)
    buf = array.array("h", bytes(12))
    assert not d.read_into(buf)  # nothing batched yet
    clock.sleep_us(30_000)
    assert d.read_into(buf)
    assert list(buf) == [0, 0, 999, 0, 0, 0]  # 1 g -> 2049 LSB -> 999 mg (0.488 mg/LSB)
    assert d.words >= 4


def test_mpu6050_scaling() -> None:
    regs = bytearray(256)
    regs[fw_imu.MPU_WHO_AM_I] = 0x68
    vals = [2048, -1024, 0, 0, 164, -1640, 16]  # ax ay az temp gx gy gz
    raw = b"".join(v.to_bytes(2, "big", signed=True) for v in vals)
    regs[fw_imu.MPU_ACCEL_XOUT_H : fw_imu.MPU_ACCEL_XOUT_H + 14] = raw
    d = fw_imu.Mpu6050(FakeBus({0x68: regs}), 0x68)
    buf = array.array("h", bytes(12))
    assert d.read_into(buf)
    assert list(buf) == [1000, -500, 0, 100, -1000, 9]


def test_battery_divider_and_charge() -> None:
    class UV:
        def read_uv(self) -> int:
            return 1_950_000

    assert fw_battery.Battery(UV()).read_mv() == 3900
    pct = [fw_battery.soc_pct(mv) for mv in range(3200, 4300, 10)]
    assert pct[0] == 0 and pct[-1] == 100 and pct == sorted(pct)
