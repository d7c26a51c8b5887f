# Shoe IMU over I2C: ST LSM6DSOX (accelerometer + gyroscope, read through its
# FIFO), InvenSense MPU-6050 as the fallback; which one is fitted is found at boot
# by WHO_AM_I. Output to the kernel: [ax, ay, az] in mg and [gx, gy, gz] in
# 0.1 deg/s (int16), into a caller's array('h', 6).
#
# LSM6DSOX (ST datasheet DS12814 register map; the same addresses as ST's
# lsm6dsox_reg.h): +-16 g -> 0.488 mg/LSB, +-2000 dps -> 70 mdps/LSB. FIFO in
# continuous mode batches both sensors at the ODR; each FIFO word is a tag byte
# (TAG_SENSOR in bits 7:3: 1 gyroscope, 2 accelerometer) and 6 data bytes read
# from FIFO_DATA_OUT_TAG..Z_H. The newest word of each sensor is used per sample.
#
# MPU-6050 (Register Map RM-MPU-6000A rev 4.2): +-16 g -> 2048 LSB/g,
# +-2000 dps -> 16.4 LSB/(deg/s); ACCEL_XOUT_H..GYRO_ZOUT_L are 14 big-endian
# bytes from 0x3B (accel, temperature, gyro). Read directly (no FIFO).
from stridefw.board import (
    IMU_ADDR_LSM6DSOX,
    IMU_ADDR_LSM6DSOX_ALT,
    IMU_ADDR_MPU6050,
    IMU_ADDR_MPU6050_ALT,
)
from stridefw.compat import const

# --- LSM6DSOX registers ---------------------------------------------------------
LSM_FIFO_CTRL1 = const(0x07)  # watermark [7:0]
LSM_FIFO_CTRL2 = const(0x08)
LSM_FIFO_CTRL3 = const(0x09)  # BDR_GY [7:4], BDR_XL [3:0]
LSM_FIFO_CTRL4 = const(0x0A)  # FIFO_MODE [2:0]
LSM_INT1_CTRL = const(0x0D)
LSM_WHO_AM_I = const(0x0F)
LSM_WHO_AM_I_VALUE = const(0x6C)
LSM_CTRL1_XL = const(0x10)  # ODR_XL [7:4], FS_XL [3:2]
LSM_CTRL2_G = const(0x11)  # ODR_G [7:4], FS_G [3:1]
LSM_CTRL3_C = const(0x12)  # BOOT, BDU (6), IF_INC (2), SW_RESET (0)
LSM_FIFO_STATUS1 = const(0x3A)  # DIFF_FIFO [7:0]
LSM_FIFO_STATUS2 = const(0x3B)  # DIFF_FIFO [9:8] in [1:0], FIFO_OVR_IA (6)
LSM_TAP_CFG2 = const(0x58)  # INTERRUPTS_ENABLE (7)
LSM_WAKE_UP_THS = const(0x5B)  # WK_THS [5:0], 1 LSB = FS_XL / 64
LSM_WAKE_UP_DUR = const(0x5C)
LSM_MD1_CFG = const(0x5E)  # INT1_WU (5)
LSM_FIFO_DATA_OUT_TAG = const(0x78)  # then X_L, X_H, Y_L, Y_H, Z_L, Z_H (0x79..0x7E)

LSM_ODR_26 = const(0x2)
LSM_ODR_104 = const(0x4)
LSM_ODR_208 = const(0x5)
LSM_FS_XL_16G = const(0x04)  # FS_XL = 01 -> +-16 g
LSM_FS_G_2000 = const(0x0C)  # FS_G = 11 -> +-2000 dps
LSM_CTRL3_BDU_IFINC = const(0x44)
LSM_CTRL3_SW_RESET = const(0x01)
LSM_FIFO_MODE_CONTINUOUS = const(0x06)
LSM_FIFO_MODE_BYPASS = const(0x00)
LSM_TAG_GYRO = const(1)
LSM_TAG_ACCEL = const(2)
LSM_STATUS2_OVR = const(0x40)
LSM_INT1_WU = const(0x20)
LSM_INTERRUPTS_ENABLE = const(0x80)

# scale: mg = raw * 488 // 1000; 0.1 deg/s = raw * 7 // 10 (70 mdps/LSB)
_LSM_MG_NUM = const(488)
_LSM_MG_DEN = const(1000)
_LSM_G_NUM = const(7)
_LSM_G_DEN = const(10)
_FIFO_MAX_WORDS = const(24)  # per read: bounds the time one sample can take

# --- MPU-6050 registers ----------------------------------------------------------
MPU_SMPLRT_DIV = const(0x19)
MPU_CONFIG = const(0x1A)  # DLPF_CFG [2:0]
MPU_GYRO_CONFIG = const(0x1B)  # FS_SEL [4:3]
MPU_ACCEL_CONFIG = const(0x1C)  # AFS_SEL [4:3]
MPU_ACCEL_XOUT_H = const(0x3B)
MPU_PWR_MGMT_1 = const(0x6B)
MPU_WHO_AM_I = const(0x75)
MPU_WHO_AM_I_VALUE = const(0x68)
MPU_FS_2000 = const(0x18)
MPU_AFS_16G = const(0x18)
MPU_CLK_PLL_XGYRO = const(0x01)  # wake (SLEEP = 0), clock from the X gyro PLL
MPU_DLPF_44HZ = const(0x03)  # gyro output rate 1 kHz with the DLPF on
_MPU_MG_NUM = const(1000)
_MPU_MG_DEN = const(2048)
_MPU_G_NUM = const(100)
_MPU_G_DEN = const(164)


def _s16(lo, hi):
    v = lo | (hi << 8)
    return v - 0x10000 if v & 0x8000 else v


class Lsm6dsox:
    name = "lsm6dsox"

    def __init__(self, i2c, addr, rate_hz=100, sleep_ms=None):
        self.i2c = i2c
        self.addr = addr
        self._b1 = bytearray(1)
        self._st = bytearray(2)
        self._w = bytearray(7)
        self._acc = [0, 0, 0]
        self._gyr = [0, 0, 0]
        self._have = 0  # bit 0 accel, bit 1 gyro seen since init
        self.overruns = 0
        self.words = 0
        self._odr = LSM_ODR_208 if rate_hz > 104 else LSM_ODR_104
        self._sleep_ms = sleep_ms
        self.init()

    def _wr(self, reg, v):
        self._b1[0] = v
        self.i2c.writeto_mem(self.addr, reg, self._b1)

    def init(self):
        self._wr(LSM_CTRL3_C, LSM_CTRL3_SW_RESET)
        if self._sleep_ms is not None:
            self._sleep_ms(1)  # software reset takes ~50 us (datasheet: turn-on)
        self._wr(LSM_CTRL3_C, LSM_CTRL3_BDU_IFINC)
        odr = self._odr
        self._wr(LSM_CTRL1_XL, (odr << 4) | LSM_FS_XL_16G)
        self._wr(LSM_CTRL2_G, (odr << 4) | LSM_FS_G_2000)
        self._wr(LSM_FIFO_CTRL3, (odr << 4) | odr)  # batch gyro and accel at the ODR
        self._wr(LSM_FIFO_CTRL4, LSM_FIFO_MODE_CONTINUOUS)
        self._have = 0

    # read_into runs once per sample: it and _drain keep their frames at 11 words or
    # less, which a bytecode frame over that would take from the GC heap every call
    def read_into(self, imu):
        """Newest accel + gyro from the FIFO into imu (mg, 0.1 deg/s). False: no data yet."""
        st = self._st
        self.i2c.readfrom_mem_into(self.addr, LSM_FIFO_STATUS1, st)
        n = st[0] | ((st[1] & 0x03) << 8)
        if st[1] & LSM_STATUS2_OVR:
            self.overruns += 1
        if n > _FIFO_MAX_WORDS:
            n = _FIFO_MAX_WORDS  # the rest waits for the next sample
        if n:
            self._drain(n)
        self.words += n
        if self._have != 3:
            return False
        for k in range(3):
            imu[k] = self._acc[k] * _LSM_MG_NUM // _LSM_MG_DEN
            imu[3 + k] = self._gyr[k] * _LSM_G_NUM // _LSM_G_DEN
        return True

    def _drain(self, n):
        # n FIFO words (a tag byte and three axes each): the newest accel and gyro kept
        w = self._w
        while n > 0:
            n -= 1
            self.i2c.readfrom_mem_into(self.addr, LSM_FIFO_DATA_OUT_TAG, w)
            if w[0] >> 3 == LSM_TAG_ACCEL:
                dst = self._acc
                self._have |= 1
            elif w[0] >> 3 == LSM_TAG_GYRO:
                dst = self._gyr
                self._have |= 2
            else:
                continue
            dst[0] = _s16(w[1], w[2])
            dst[1] = _s16(w[3], w[4])
            dst[2] = _s16(w[5], w[6])

    def arm_wake(self, threshold_mg=250):
        """Low-power motion wake-up on INT1 (for deep sleep): accel 26 Hz, gyro off."""
        self._wr(LSM_FIFO_CTRL4, LSM_FIFO_MODE_BYPASS)
        self._wr(LSM_CTRL2_G, 0)
        self._wr(LSM_CTRL1_XL, (LSM_ODR_26 << 4) | LSM_FS_XL_16G)
        ths = threshold_mg * 64 // 16000  # 1 LSB = 16 g / 64 = 250 mg
        self._wr(LSM_WAKE_UP_THS, ths if ths > 0 else 1)
        self._wr(LSM_WAKE_UP_DUR, 0)
        self._wr(LSM_TAP_CFG2, LSM_INTERRUPTS_ENABLE)
        self._wr(LSM_MD1_CFG, LSM_INT1_WU)


class Mpu6050:
    name = "mpu6050"

    def __init__(self, i2c, addr, rate_hz=100, sleep_ms=None):
        self.i2c = i2c
        self.addr = addr
        self._b1 = bytearray(1)
        self._d = bytearray(14)
        self._div = 1000 // rate_hz - 1
        self.overruns = 0
        self.words = 0
        self.init()

    def _wr(self, reg, v):
        self._b1[0] = v
        self.i2c.writeto_mem(self.addr, reg, self._b1)

    def init(self):
        self._wr(MPU_PWR_MGMT_1, MPU_CLK_PLL_XGYRO)
        self._wr(MPU_CONFIG, MPU_DLPF_44HZ)
        self._wr(MPU_SMPLRT_DIV, self._div)
        self._wr(MPU_GYRO_CONFIG, MPU_FS_2000)
        self._wr(MPU_ACCEL_CONFIG, MPU_AFS_16G)

    def read_into(self, imu):
        d = self._d
        self.i2c.readfrom_mem_into(self.addr, MPU_ACCEL_XOUT_H, d)
        for k in range(3):
            imu[k] = _s16(d[2 * k + 1], d[2 * k]) * _MPU_MG_NUM // _MPU_MG_DEN
            imu[3 + k] = _s16(d[8 + 2 * k + 1], d[8 + 2 * k]) * _MPU_G_NUM // _MPU_G_DEN
        self.words += 1
        return True

    def arm_wake(self, threshold_mg=250):
        return None  # no motion wake on the fallback IMU: the button wakes the pod


_PROBES = (
    (IMU_ADDR_LSM6DSOX, LSM_WHO_AM_I, LSM_WHO_AM_I_VALUE, Lsm6dsox),
    (IMU_ADDR_LSM6DSOX_ALT, LSM_WHO_AM_I, LSM_WHO_AM_I_VALUE, Lsm6dsox),
    (IMU_ADDR_MPU6050, MPU_WHO_AM_I, MPU_WHO_AM_I_VALUE, Mpu6050),
    (IMU_ADDR_MPU6050_ALT, MPU_WHO_AM_I, MPU_WHO_AM_I_VALUE, Mpu6050),
)


def detect(i2c, rate_hz=100, sleep_ms=None):
    """The fitted IMU's driver, found by WHO_AM_I; None if no IMU answers."""
    b = bytearray(1)
    for addr, reg, value, cls in _PROBES:
        try:
            i2c.readfrom_mem_into(addr, reg, b)
        except OSError:
            continue  # no device at this address (ENODEV / ETIMEDOUT)
        if b[0] == value:
            try:
                return cls(i2c, addr, rate_hz, sleep_ms)
            except OSError:
                return None
    return None
