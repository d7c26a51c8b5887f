# Running Speed and Cadence (RSC) values from the kernel's Step records, encoded
# for the RSC service 0x1814 (Bluetooth SIG, Running Speed and Cadence Service 1.0
# and GATT Specification Supplement, 0x2A53 / 0x2A54 / 0x2A55 / 0x2A5D).
#
# RSC Measurement 0x2A53, little endian:
#   0 flags u8         bit0 instantaneous stride length present, bit1 total
#                      distance present, bit2 walking (0) or running (1)
#   1 speed u16        instantaneous speed, 1/256 m/s
#   3 cadence u8       instantaneous cadence, 1/min
#   4 stride u16       instantaneous stride length, 1/100 m (if bit0)
#   6 distance u32     total distance, 1/10 m (if bit1)
# RSC Feature 0x2A54: u16 bits; we set stride length (bit0), total distance
# (bit1), walking/running status (bit2). Sensor Location 0x2A5D: u8, 2 = in shoe.
# SC Control Point 0x2A55: [op u8][args]; response indicated as
# [0x10][request op][result u8]; we support op 1 Set Cumulative Value (u32, 1/10 m).
#
# Meaning, as the specification intends it (not as many pods do it): cadence is
# contacts per minute of the foot wearing the pod, stride length the distance
# between two contacts of that foot, so speed = cadence * stride length / 60.
# The host shows steps/min of both feet, labelled as such.
#
# Speed has no direct sensor on this pod (no IMU strapdown integration): it is
# estimated per stride from contact time, by inverting the relation the
# simulator uses (stridekit.sim.gait.run_stance_s: contact 0.32 s - 0.03 s per
# m/s, Morin et al. 2005, Weyand et al. 2000) while running, and the walking duty
# factor (stance share of the stride 62 % at 1.3 m/s, 4 % less per m/s, Perry)
# while walking. A runner-specific calibration would scale it (not implemented:
# Feature bit3 is clear). Stride length = speed * stride time. Integer math only;
# runs once per step, not per sample.
import struct

from stridefw.compat import const

FLAG_STRIDE = const(0x01)
FLAG_DISTANCE = const(0x02)
FLAG_RUNNING = const(0x04)
FEATURE_STRIDE = const(0x0001)
FEATURE_DISTANCE = const(0x0002)
FEATURE_WALK_RUN = const(0x0004)
FEATURES = const(0x0007)
LOCATION_IN_SHOE = const(2)

SC_SET_CUMULATIVE = const(1)
SC_RESPONSE = const(0x10)
SC_SUCCESS = const(1)
SC_NOT_SUPPORTED = const(2)
SC_INVALID_PARAMETER = const(3)
SC_FAILED = const(4)

MEASUREMENT_LEN = const(10)
_CYCLE_MIN_US = const(250000)  # 240 contacts/min of one foot: beyond any runner
_CYCLE_MAX_US = const(3000000)
_RUN_SPEED_MIN = const(1000)  # mm/s
_RUN_SPEED_MAX = const(10000)
_WALK_SPEED_MIN = const(300)
_WALK_SPEED_MAX = const(2500)


def speed_mm_s(stance_us, cycle_us):
    """Estimated speed (mm/s) from one stride's contact and cycle time (see header)."""
    if stance_us * 2 < cycle_us:  # flight phase: running
        v = (320000 - stance_us) // 30
        lo = _RUN_SPEED_MIN
        hi = _RUN_SPEED_MAX
    else:
        duty_pm = stance_us // (cycle_us // 1000)
        v = 1300 + (620 - duty_pm) * 25
        lo = _WALK_SPEED_MIN
        hi = _WALK_SPEED_MAX
    return lo if v < lo else hi if v > hi else v


class Rsc:
    """Running values of one pod: updated per Step, encoded into a fixed buffer."""

    def __init__(self):
        self.buf = bytearray(MEASUREMENT_LEN)
        self.reset()

    def reset(self):
        self.speed_mm_s = 0
        self.cadence_per_min = 0  # contacts/min of this foot
        self.stride_cm = 0
        self.running = False
        self.distance_mm = 0
        self.valid = False

    def set_distance_dm(self, dm):
        """SC Control Point Set Cumulative Value."""
        self.distance_mm = dm * 100

    def step(self, stance_us, swing_us):
        """One Step record's stance and preceding swing; True if the values changed.

        stance + the swing before it = toe-off to toe-off of this foot = one
        stride. The first step of a run (no swing yet) gives nothing.
        """
        cycle = stance_us + swing_us
        if swing_us <= 0 or cycle < _CYCLE_MIN_US or cycle > _CYCLE_MAX_US:
            return False
        v = speed_mm_s(stance_us, cycle)
        cyc_ms = cycle // 1000
        self.running = stance_us * 2 < cycle
        self.speed_mm_s = v
        self.cadence_per_min = (60000 + cyc_ms // 2) // cyc_ms
        stride_mm = v * cyc_ms // 1000
        self.stride_cm = (stride_mm + 5) // 10
        self.distance_mm += stride_mm
        self.valid = True
        return True

    def measurement(self):
        """RSC Measurement bytes (a memoryview of the internal buffer, 10 bytes)."""
        flags = FLAG_STRIDE | FLAG_DISTANCE
        if self.running:
            flags |= FLAG_RUNNING
        speed = self.speed_mm_s * 256 // 1000
        cad = self.cadence_per_min
        struct.pack_into(
            "<BHBHI",
            self.buf,
            0,
            flags,
            speed if speed < 0xFFFF else 0xFFFF,
            cad if cad < 0xFF else 0xFF,
            self.stride_cm if self.stride_cm < 0xFFFF else 0xFFFF,
            (self.distance_mm // 100) & 0xFFFFFFFF,
        )
        return memoryview(self.buf)


def feature():
    return struct.pack("<H", FEATURES)


def decode_measurement(data):
    """(flags, speed_256, cadence, stride_cm or None, distance_dm or None); ValueError."""
    if len(data) < 4:
        raise ValueError("RSC Measurement of %d bytes" % len(data))
    flags = data[0]
    speed, cad = struct.unpack_from("<HB", bytes(data), 1)
    o = 4
    stride = None
    dist = None
    if flags & FLAG_STRIDE:
        if len(data) < o + 2:
            raise ValueError("RSC Measurement truncated (stride)")
        stride = struct.unpack_from("<H", bytes(data), o)[0]
        o += 2
    if flags & FLAG_DISTANCE:
        if len(data) < o + 4:
            raise ValueError("RSC Measurement truncated (distance)")
        dist = struct.unpack_from("<I", bytes(data), o)[0]
    return flags, speed, cad, stride, dist


def sc_control(rsc, data):
    """Handle an SC Control Point write; returns the 3-byte response to indicate."""
    if len(data) < 1:
        return bytes((SC_RESPONSE, 0, SC_INVALID_PARAMETER))
    op = data[0]
    if op != SC_SET_CUMULATIVE:
        return bytes((SC_RESPONSE, op, SC_NOT_SUPPORTED))
    if len(data) != 5:
        return bytes((SC_RESPONSE, op, SC_INVALID_PARAMETER))
    rsc.set_distance_dm(struct.unpack_from("<I", bytes(data), 1)[0])
    return bytes((SC_RESPONSE, op, SC_SUCCESS))
