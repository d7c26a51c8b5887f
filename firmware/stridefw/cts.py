# Current Time 0x2A2B (Bluetooth SIG Current Time Service 1.1, GATT Specification
# Supplement): the one codec, used by the pod (stridefw.ble: the host writes it,
# the App logs a Sync record) and by the host (stridekit.sync.ble writes it).
#
# Value, little endian, 10 bytes:
#   0 year u16, 2 month u8 (1..12), 3 day u8 (1..31), 4 hours u8, 5 minutes u8,
#   6 seconds u8, 7 day of week u8 (1 = Monday, 0 unknown), 8 fractions256 u8
#   (1/256 s), 9 adjust reason u8.
# Times are UTC Unix seconds on both ends (the pod has no time zone). Dates use
# H. Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, integer
# only); years 1970..2105 keep the epoch a u32, as the SessionHeader holds it.
import struct

from stridefw.compat import const

_EPOCH_DAYS = const(719468)  # days from 0000-03-01 to 1970-01-01
_MONTH_DAYS = b"\x1f\x1d\x1f\x1e\x1f\x1e\x1f\x1f\x1e\x1f\x1e\x1f"  # February: 29 in a leap year


def _days_from_civil(y, m, d):
    # days since 1970-01-01
    y -= 1 if m <= 2 else 0
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - _EPOCH_DAYS


def current_time_to_epoch(data):
    """(epoch_s, frac_us) of a Current Time value; ValueError if malformed.

    The day of week and adjust reason are not checked: a central's own idea of
    them does not change the instant it names."""
    if len(data) < 9:
        raise ValueError("Current Time of %d bytes" % len(data))
    y, mo, d, h, mi, s, _dow, f256 = struct.unpack_from("<HBBBBBBB", bytes(data), 0)
    if not (1970 <= y <= 2105 and 1 <= mo <= 12 and 1 <= d <= _MONTH_DAYS[mo - 1]):
        raise ValueError("Current Time date out of range")
    if mo == 2 and d == 29 and (y % 4 or (y % 100 == 0 and y % 400)):
        raise ValueError("Current Time: 29 February of a common year")
    if h > 23 or mi > 59 or s > 59:
        raise ValueError("Current Time time out of range")
    days = _days_from_civil(y, mo, d)
    return days * 86400 + h * 3600 + mi * 60 + s, f256 * 1000000 // 256


def epoch_to_current_time(epoch_s, frac256=0):
    """Current Time bytes (adjust reason 0) for a Unix time and 1/256 s fraction."""
    if epoch_s < 0 or not 0 <= frac256 <= 255:
        raise ValueError("Current Time before 1970 or fraction outside 0..255")
    days = epoch_s // 86400
    rem = epoch_s - days * 86400
    z = days + _EPOCH_DAYS  # civil_from_days
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    dow = (days + 3) % 7 + 1  # 1970-01-01 was a Thursday
    return struct.pack(
        "<HBBBBBBBB", y, m, d, rem // 3600, (rem // 60) % 60, rem % 60, dow, frac256, 0
    )
