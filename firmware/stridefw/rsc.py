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
# RSC Feature 0x2A54: u16 bits; walking/running status (bit2) always, stride
# length (bit0) and total distance (bit1) only when calibrated (below). Sensor
# Location 0x2A5D: u8, 2 = in shoe.
# SC Control Point 0x2A55: [op u8][args]; response indicated as
# [0x10][request op][result u8]; we support op 1 Set Cumulative Value (u32, 1/10 m).
#
# What the pod sends, and why:
# - Cadence: steps of BOTH feet per minute. The GATT Specification Supplement
#   gives RSC cadence only as "Unit is 1/min" without saying whose steps; Garmin,
#   Stryd and the watches and apps that read foot pods show steps of both feet
#   (a runner at 90 strides/min reads 180). A pod sees only its own foot's
#   contacts, every other step, so it sends 2 x its own contacts/min: both pods of
#   a pair send the same figure (they share one stride period).
# - Stride length: a stride is two steps (contact to next contact of the same
#   foot), so speed = cadence x stride length / 2 / 60.
# - Speed, stride length and total distance only once the runner calibrated the
#   pod: stride length = the calibrated stride (`stride calibrate --distance`,
#   like a watch's foot-pod factor), speed = that length / the stride time,
#   distance = the sum. Cadence and speed use the mean stride time of this
#   foot's last 4 strides. The pod has no per-stride length estimate (no strapdown
#   integration on the device; the host does that from raw samples), so
#   uncalibrated it claims none of them: speed 0, no stride length or distance
#   in the Measurement, and RSC Feature says only walking/running is supported.
# Integer math only; runs once per step, not per sample.
import struct

from stridefw.compat import const

FLAG_STRIDE = const(0x01)
FLAG_DISTANCE = const(0x02)
FLAG_RUNNING = const(0x04)
FEATURE_STRIDE = const(0x0001)
FEATURE_DISTANCE = const(0x0002)
FEATURE_WALK_RUN = const(0x0004)
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
_STRIDE_MAX_MM = const(4000)  # a calibrated stride beyond 4 m is a typo
_N_STRIDES = const(4)  # cadence and speed over the last 4 strides of this foot (~3 s)


class Rsc:
    """Running values of one pod: updated per Step, encoded into a fixed buffer.

    stride_mm: the runner's calibrated stride length (two steps), 0 = none.
    """

    def __init__(self, stride_mm=0):
        self.buf = bytearray(MEASUREMENT_LEN)
        self._mv = memoryview(self.buf)  # made once: measurement() allocates nothing
        self._mv4 = self._mv[:4]
        self.cycles_ms = [0] * _N_STRIDES  # ring of the last stride times
        self.stride_cal_mm = 0
        self.calibrate(stride_mm)
        self.reset()

    def reset(self):
        self.speed_mm_s = 0
        self.cadence_spm = 0  # steps of both feet per minute
        self.stride_cm = 0
        self.running = False
        self.distance_mm = 0
        self.valid = False
        self.n_cycles = 0
        self.sum_cycles_ms = 0
        for i in range(_N_STRIDES):
            self.cycles_ms[i] = 0

    def calibrate(self, stride_mm):
        """Set the calibrated stride length in mm (0 clears it); ValueError if absurd."""
        if stride_mm < 0 or stride_mm > _STRIDE_MAX_MM:
            raise ValueError("calibrated stride must be 0..4000 mm")
        self.stride_cal_mm = stride_mm

    def features(self):
        """RSC Feature bits for what this pod can honestly send now."""
        if self.stride_cal_mm:
            return FEATURE_STRIDE | FEATURE_DISTANCE | FEATURE_WALK_RUN
        return FEATURE_WALK_RUN

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
        cyc_ms = cycle // 1000
        self.running = stance_us * 2 < cycle
        # the mean stride time over the last few strides: one stride's time scatters
        # by a few per cent, which would make the two pods' figures differ
        i = self.n_cycles % _N_STRIDES
        self.sum_cycles_ms += cyc_ms - self.cycles_ms[i]
        self.cycles_ms[i] = cyc_ms
        self.n_cycles += 1
        n = self.n_cycles if self.n_cycles < _N_STRIDES else _N_STRIDES
        total = self.sum_cycles_ms
        # two steps per stride of this foot
        self.cadence_spm = (120000 * n + total // 2) // total
        stride_mm = self.stride_cal_mm
        if stride_mm:
            self.speed_mm_s = (stride_mm * 1000 * n + total // 2) // total
            self.stride_cm = (stride_mm + 5) // 10
            self.distance_mm += stride_mm
        self.valid = True
        return True

    def measurement(self):
        """RSC Measurement bytes (a memoryview of the internal buffer).

        10 bytes with stride length and distance (calibrated), else 4 bytes.
        """
        flags = FLAG_RUNNING if self.running else 0
        cad = self.cadence_spm
        if not self.stride_cal_mm:
            struct.pack_into("<BHB", self.buf, 0, flags, 0, cad if cad < 0xFF else 0xFF)
            return self._mv4
        speed = self.speed_mm_s * 256 // 1000
        struct.pack_into(
            "<BHBHI",
            self.buf,
            0,
            flags | FLAG_STRIDE | FLAG_DISTANCE,
            speed if speed < 0xFFFF else 0xFFFF,
            cad if cad < 0xFF else 0xFF,
            self.stride_cm if self.stride_cm < 0xFFFF else 0xFFFF,
            self.distance_mm // 100,  # u32 of 0.1 m: 429,000 km before it could wrap
        )
        return self._mv


def feature(r=None):
    """RSC Feature value of an Rsc (or of an uncalibrated pod)."""
    return struct.pack("<H", FEATURE_WALK_RUN if r is None else r.features())


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
