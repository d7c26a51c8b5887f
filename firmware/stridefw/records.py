# Record types and the one framing codec used on flash, BLE, serial and in files.
#
# Frame: [type u8][version u8][seq u32][payload][crc32 u32], little endian, CRC-32
# (binascii.crc32, the zlib polynomial) over type..payload, COBS-encoded
# (Cheshire & Baker 1999) and terminated by 0x00. COBS leaves no 0x00 inside a
# frame, so a reader that starts anywhere resynchronises at the next 0x00.
# The encoder also puts a 0x00 *before* a frame unless the byte before it in the
# same buffer already is one (the previous frame's end): junk left in front of a
# frame (a torn write, line noise, bytes appended to a damaged file) is then cut
# off at that delimiter and cannot swallow the frame. Decoders take the extra
# 0x00 for an empty frame, which every version of this decoder ignores, so old
# readers read new files and new readers old ones.
# For streams written without it (older files), the decoder resynchronises
# inside a bad frame too: when type..crc fails, it looks for an intact frame
# that ends the span (a suffix whose COBS code chain ends exactly at the
# delimiter, with a known type and version and a matching CRC), keeps it, and
# reports the junk before it. An overlong span keeps its last MAX_ENCODED
# bytes for the same search.
# The decoder is an I/O-free push parser: feed(bytes) -> records, the same on
# the device and the host (pyserial's Packetizer pattern).
# Why ~750 lines in one module: the frame format and every payload layout are one
# wire format, defined once for the pod, the host and the browser; SampleBlock and
# StepBlock, which the pod alone encodes, live in their own modules.
import array
import binascii
import struct

from stridefw.compat import const

REC_HEADER = const(1)
REC_SAMPLE = const(2)
REC_STEP = const(3)
REC_FLAG = const(4)
REC_SYNC = const(5)
REC_BATTERY = const(6)
REC_NOTE = const(7)
REC_END = const(8)
REC_REF = const(9)  # reference event from an independent source (import, simulator)
REC_SAMPLE_BLOCK = const(32)  # compressed raw samples (stridefw.sampleblock)
REC_STEP_BLOCK = const(33)  # consecutive Steps in one frame, lossless (stridefw.stepblock)

# Newest payload version of each type this build writes and understands.
VERSIONS = {
    REC_HEADER: 1,
    REC_SAMPLE: 1,
    REC_STEP: 1,
    REC_FLAG: 1,
    REC_SYNC: 1,
    REC_BATTERY: 1,
    REC_NOTE: 1,
    REC_END: 1,
    REC_REF: 1,
    REC_SAMPLE_BLOCK: 4,
    REC_STEP_BLOCK: 1,
}
NAMES = {
    REC_HEADER: "SessionHeader",
    REC_SAMPLE: "Sample",
    REC_STEP: "Step",
    REC_FLAG: "Flag",
    REC_SYNC: "Sync",
    REC_BATTERY: "Battery",
    REC_NOTE: "Note",
    REC_END: "SessionEnd",
    REC_REF: "RefEvent",
    REC_SAMPLE_BLOCK: "SampleBlock",
    REC_STEP_BLOCK: "StepBlock",
}

FRAME_OVERHEAD = const(10)  # type, version, seq, crc
MAX_PAYLOAD = const(4096)
# COBS adds one byte per 254 plus one; then the delimiters before and after.
MAX_ENCODED = const(MAX_PAYLOAD + FRAME_OVERHEAD + MAX_PAYLOAD // 254 + 4)
_RESYNC_TRIES = const(8)  # CRC checks per bad span when looking for a frame at its end


def cobs_decode(src):
    """Decode one COBS frame (without its 0x00); raises ValueError if malformed."""
    n = len(src)
    if src.find(b"\x00") >= 0:
        raise ValueError("zero byte inside COBS frame")
    out = bytearray()
    i = 0
    while i < n:
        code = src[i]
        i += 1
        end = i + code - 1
        if end > n:
            raise ValueError("COBS block runs past the frame end")
        out.extend(src[i:end])  # whole block at once: C speed on both interpreters
        i = end
        if code < 0xFF and i < n:
            out.append(0)
    return bytes(out)


def _crc32_add_py(buf, start, end, st, so):
    # plain twin of records_vp.crc32_add (CPython, ports without viper)
    c = st[so] | (st[so + 1] << 8) | (st[so + 2] << 16) | (st[so + 3] << 24)
    c = binascii.crc32(memoryview(buf)[start:end], c)
    st[so] = c & 0xFF
    st[so + 1] = (c >> 8) & 0xFF
    st[so + 2] = (c >> 16) & 0xFF
    st[so + 3] = (c >> 24) & 0xFF


def _cobs_add_py(src, start, end, out, st):
    # plain twin of records_vp.cobs_add: st = [write offset, code offset, code]
    o = st[0]
    ca = st[1]
    code = st[2]
    for i in range(start, end):
        x = src[i]
        if x == 0:
            out[ca] = code
            ca = o
            o += 1
            code = 1
        else:
            out[o] = x
            o += 1
            code += 1
            if code == 0xFF:
                out[ca] = code
                ca = o
                o += 1
                code = 1
    st[0] = o
    st[1] = ca
    st[2] = code


try:  # the pod: viper (records_vp says why it is a module of its own)
    from stridefw.records_vp import cobs_add as _cobs_add
    from stridefw.records_vp import crc32_add as _crc32_add

    FRAME_LOOPS = "viper"
except (ImportError, SyntaxError):  # CPython, or a port without the viper emitter
    _cobs_add = _cobs_add_py
    _crc32_add = _crc32_add_py
    FRAME_LOOPS = "python"


def encoded_max(plen):
    """Bytes encode_into may write for a plen-byte payload (both delimiters included)."""
    return plen + FRAME_OVERHEAD + plen // 254 + 4


class Encoder:
    """Frames payloads into a caller's buffer, straight from the payload: no copy, no
    scratch buffer, and no allocation (the CRC never becomes an int object)."""

    def __init__(self, max_payload=MAX_PAYLOAD):
        self.max_payload = max_payload
        self._hd = bytearray(FRAME_OVERHEAD)  # type, version, seq (6 B), then the CRC (4 B)
        self._st = array.array("i", (0, 0, 0))  # COBS state: write offset, code offset, code

    def encode_into(self, out, off, rtype, seq, payload, plen=-1, version=0):
        """Frame payload[:plen] as a record; returns the offset after the 0x00.

        A leading 0x00 goes first unless out[off - 1] already is 0x00. ValueError when
        the payload is too long or out has no room for the frame (encoded_max).
        """
        if plen < 0:
            plen = len(payload)
        if plen > self.max_payload or plen > len(payload):
            raise ValueError(
                "payload of %d bytes: over %d, or more than the %d given"
                % (plen, self.max_payload, len(payload))
            )
        if off + encoded_max(plen) > len(out):
            raise ValueError("no room for a %d-byte payload in the output" % plen)
        hd = self._hd
        hd[0] = rtype
        hd[1] = version if version else VERSIONS.get(rtype, 1)
        # seq byte by byte: `seq & 0xFFFFFFFF` is a big-int operation (it allocates)
        # on a 32-bit port, whose small ints end at 2**30
        hd[2] = seq & 0xFF
        hd[3] = (seq >> 8) & 0xFF
        hd[4] = (seq >> 16) & 0xFF
        hd[5] = (seq >> 24) & 0xFF
        hd[6] = 0
        hd[7] = 0
        hd[8] = 0
        hd[9] = 0
        _crc32_add(hd, 0, 6, hd, 6)
        _crc32_add(payload, 0, plen, hd, 6)
        if off == 0 or out[off - 1] != 0:
            out[off] = 0
            off += 1
        st = self._st
        st[0] = off + 1
        st[1] = off
        st[2] = 1
        _cobs_add(hd, 0, 6, out, st)
        _cobs_add(payload, 0, plen, out, st)
        _cobs_add(hd, 6, 10, out, st)
        o = st[0]
        out[st[1]] = st[2]
        out[o] = 0
        return o + 1

    def encode(self, rtype, seq, payload, version=0):
        """Convenience for non-hot paths: the encoded frame as bytes (with its leading 0x00)."""
        out = bytearray(encoded_max(len(payload)))
        end = self.encode_into(out, 0, rtype, seq, payload, -1, version)
        return bytes(out[:end])


class Record:
    """One decoded frame: type, version, seq, payload bytes and stream offset."""

    def __init__(self, rtype, version, seq, payload, offset):
        self.rtype = rtype
        self.version = version
        self.seq = seq
        self.payload = payload
        self.offset = offset

    def name(self):
        return NAMES.get(self.rtype, "type%d" % self.rtype)


class FrameDecoder:
    """Push parser: feed() bytes from any transport, get whole, CRC-checked records.

    Garbage, torn frames and bad CRCs are dropped at the next 0x00 and reported in
    `errors` as (stream_offset, reason), except an intact frame at the end of such a
    span, which is kept (`n_resynced` counts them); unknown types and newer versions
    are skipped and counted in `skipped` (by type) so nothing passes silently. With
    track_skipped=True, `skipped_at` lists (offset, seq) of every skipped frame.
    """

    def __init__(self, max_encoded=MAX_ENCODED, keep_errors=64, track_skipped=False):
        self._buf = bytearray()
        self._start = 0  # stream offset of _buf[0]
        self._pos = 0  # stream offset of the next byte fed
        self._overlong = False
        self.max_encoded = max_encoded
        self.keep_errors = keep_errors
        self.errors = []
        self.n_errors = 0
        self.skipped = {}
        self.n_skipped = 0
        self.n_records = 0
        self.n_resynced = 0
        self.skipped_at = [] if track_skipped else None

    def _error(self, offset, reason):
        self.n_errors += 1
        if len(self.errors) < self.keep_errors:
            self.errors.append((offset, reason))

    def feed(self, data):
        """Feed bytes (any amount, any split); returns the records completed by them."""
        if not hasattr(data, "find"):  # memoryview, array: copy once
            data = bytes(data)
        out = []
        buf = self._buf
        lim = self.max_encoded
        n = len(data)
        pos = 0
        while pos < n:
            z = data.find(b"\x00", pos)
            end = n if z < 0 else z
            if end > pos:  # bytes of a frame
                if not buf:
                    self._start = self._pos + pos
                take = pos
                if len(buf) + end - pos > lim:
                    # too long for one frame; only its last `lim` bytes can still
                    # hold one (junk in front of a frame), so keep just those
                    if not self._overlong:
                        self._error(self._start, "frame longer than %d bytes" % lim)
                        self._overlong = True
                    if end - pos >= lim:
                        buf[:] = b""
                        take = end - lim
                    else:
                        buf[:] = buf[len(buf) + end - pos - lim :]
                buf.extend(data[take:end])
                self._start = self._pos + end - len(buf)
            if z < 0:
                break
            # delimiter (an empty frame, e.g. a leading 0x00, is nothing)
            if buf:
                rec = self._frame(bytes(buf), self._start, self._overlong)
                if rec is not None:
                    out.append(rec)
            self._overlong = False
            buf[:] = b""
            pos = z + 1
            self._start = self._pos + pos
        self._pos += n
        return out

    def pending(self):
        """Bytes held after the last delimiter (a torn tail if the stream has ended)."""
        return len(self._buf)

    def close(self):
        """End of stream: a non-empty tail is a truncated frame, reported as an error."""
        if self._buf and not self._overlong:
            self._error(self._start, "truncated frame: %d bytes without delimiter" % len(self._buf))
        self._buf[:] = b""
        self._overlong = False

    def _frame(self, enc, offset, overlong=False):
        why = None
        raw = None
        if not overlong:
            try:
                raw = cobs_decode(enc)
            except ValueError as e:
                why = "bad COBS: %s" % e
            if raw is not None:
                if len(raw) < FRAME_OVERHEAD:
                    why = "frame too short: %d bytes" % len(raw)
                else:
                    n = len(raw) - 4
                    if binascii.crc32(raw[:n]) & 0xFFFFFFFF != struct.unpack_from("<I", raw, n)[0]:
                        why = "CRC mismatch"
            if why is None:
                return self._record(raw, offset)
        found = self._resync(enc)
        if found is None:
            if why is not None:
                self._error(offset, why)
            return None
        k, raw = found
        self.n_resynced += 1
        if why is not None:
            self._error(offset, "%d bytes of junk before an intact frame (%s)" % (k, why))
        return self._record(raw, offset + k)

    def _resync(self, enc):
        # (k, raw) of an intact frame of a known type that is enc[k:], k > 0; None
        n = len(enc)
        if n < FRAME_OVERHEAD + 2:
            return None
        ends = bytearray(n + 1)  # ends[i]: the COBS code chain from i ends at n
        ends[n] = 1
        i = n - 1
        while i > 0:
            c = enc[i]
            if i + c <= n and ends[i + c]:
                ends[i] = 1
            i -= 1
        tries = 0
        k = 1
        while k < n - FRAME_OVERHEAD:
            # first block holds type and version, both non-zero
            if ends[k] and enc[k] >= 3:
                known = VERSIONS.get(enc[k + 1])
                if known is not None and 1 <= enc[k + 2] <= known:
                    tries += 1
                    raw = None
                    try:
                        raw = cobs_decode(enc[k:])
                    except ValueError:
                        pass
                    if raw is not None and len(raw) >= FRAME_OVERHEAD:
                        m = len(raw) - 4
                        crc = struct.unpack_from("<I", raw, m)[0]
                        if binascii.crc32(raw[:m]) & 0xFFFFFFFF == crc:
                            return k, raw
                    if tries >= _RESYNC_TRIES:
                        return None
            k += 1
        return None

    def _record(self, raw, offset):
        n = len(raw) - 4
        rtype = raw[0]
        version = raw[1]
        seq = struct.unpack_from("<I", raw, 2)[0]
        known = VERSIONS.get(rtype)
        if known is None or version > known or version == 0:
            self.n_skipped += 1
            key = (rtype, version)
            self.skipped[key] = self.skipped.get(key, 0) + 1
            if self.skipped_at is not None:
                self.skipped_at.append((offset, seq))
            return None
        self.n_records += 1
        return Record(rtype, version, seq, raw[6:n], offset)


def decode_all(data):
    """Decode a whole byte string; returns (records, decoder) so callers see errors."""
    dec = FrameDecoder()
    recs = dec.feed(data)
    dec.close()
    return recs, dec


# ----------------------------------------------------------------- payloads
# Each payload class: explicit attributes (so host type checkers see them),
# _fmt/_fields for struct, to_bytes() and from_bytes() used by both ends.
class _Payload:
    _fmt = ""
    _fields = ()

    def to_bytes(self) -> bytes:
        return struct.pack(self._fmt, *[getattr(self, f) for f in self._fields])

    @classmethod
    def _unpack(cls, data) -> tuple:
        size = struct.calcsize(cls._fmt)
        if len(data) < size:
            raise ValueError(
                "%s payload truncated: %d of %d bytes" % (cls.__name__, len(data), size)
            )
        return struct.unpack_from(cls._fmt, data, 0)

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.to_bytes() == other.to_bytes()

    def __repr__(self) -> str:
        return "%s(%s)" % (
            type(self).__name__,
            ", ".join("%s=%r" % (f, getattr(self, f)) for f in self._fields),
        )


class Step(_Payload):
    """What the kernel writes at toe-off (byte layout in kernel.py)."""

    _fmt = "<IIIIHHIIhhHHHHHHHHH"
    _fields = (
        "index",
        "contact_us",
        "stance_us",
        "swing_us",
        "peak_force_dn",
        "time_to_peak_ms",
        "loading_rate_n_s",
        "impulse_dnms",
        "strike_pm",
        "cop_x_mean_dmm",
        "cop_ml_range_dmm",
        "cop_path_dmm",
        "heel_pm",
        "mid_pm",
        "fore_pm",
        "medial_pm",
        "shock_mg",
        "flags",
        "bw_dn",
    )

    def __init__(
        self,
        index: int = 0,
        contact_us: int = 0,
        stance_us: int = 0,
        swing_us: int = 0,
        peak_force_dn: int = 0,
        time_to_peak_ms: int = 0,
        loading_rate_n_s: int = 0,
        impulse_dnms: int = 0,
        strike_pm: int = 0,
        cop_x_mean_dmm: int = 0,
        cop_ml_range_dmm: int = 0,
        cop_path_dmm: int = 0,
        heel_pm: int = 0,
        mid_pm: int = 0,
        fore_pm: int = 0,
        medial_pm: int = 0,
        shock_mg: int = 0,
        flags: int = 0,
        bw_dn: int = 0,
    ):
        self.index = index
        self.contact_us = contact_us
        self.stance_us = stance_us
        self.swing_us = swing_us
        self.peak_force_dn = peak_force_dn
        self.time_to_peak_ms = time_to_peak_ms
        self.loading_rate_n_s = loading_rate_n_s
        self.impulse_dnms = impulse_dnms
        self.strike_pm = strike_pm
        self.cop_x_mean_dmm = cop_x_mean_dmm
        self.cop_ml_range_dmm = cop_ml_range_dmm
        self.cop_path_dmm = cop_path_dmm
        self.heel_pm = heel_pm
        self.mid_pm = mid_pm
        self.fore_pm = fore_pm
        self.medial_pm = medial_pm
        self.shock_mg = shock_mg
        self.flags = flags
        self.bw_dn = bw_dn

    @classmethod
    def from_bytes(cls, data) -> "Step":
        return cls(*cls._unpack(data))


# Byte offsets of the Step and Flag fields in their payloads: the kernel writes them
# into preallocated buffers and the console and BLE read them without building a
# Step per step. tests/unit/test_records.py checks them against _fmt and _fields.
STEP_INDEX = const(0)  # u32
STEP_CONTACT_US = const(4)  # u32 (kernel time: 30 bits + 2 wrap bits)
STEP_STANCE_US = const(8)  # u32
STEP_SWING_US = const(12)  # u32
STEP_PEAK_FORCE_DN = const(16)  # u16
STEP_TIME_TO_PEAK_MS = const(18)  # u16
STEP_LOADING_RATE_N_S = const(20)  # u32
STEP_IMPULSE_DNMS = const(24)  # u32
STEP_STRIKE_PM = const(28)  # i16
STEP_COP_X_MEAN_DMM = const(30)  # i16
STEP_COP_ML_RANGE_DMM = const(32)  # u16
STEP_COP_PATH_DMM = const(34)  # u16
STEP_HEEL_PM = const(36)  # u16
STEP_MID_PM = const(38)  # u16
STEP_FORE_PM = const(40)  # u16
STEP_MEDIAL_PM = const(42)  # u16
STEP_SHOCK_MG = const(44)  # u16
STEP_FLAGS = const(46)  # u16
STEP_BW_DN = const(48)  # u16
STEP_LEN = const(50)

FLAGREC_T_US = const(0)  # u32
FLAGREC_FLAGS = const(4)  # u16
FLAGREC_CHANGED = const(6)  # u16
FLAGREC_FAULT_CELLS = const(8)  # u16
FLAGREC_IMU_OK = const(10)  # u8
FLAGREC_LEN = const(11)


def u16_at(buf, off):
    """Little-endian u16 at `off` (no allocation, unlike struct.unpack_from)."""
    return buf[off] | (buf[off + 1] << 8)


class Flag(_Payload):
    """Session flags changed: current bits, which changed, faulty cells, IMU state."""

    _fmt = "<IHHHB"
    _fields = ("t_us", "flags", "changed", "fault_cells", "imu_ok")

    def __init__(
        self, t_us: int = 0, flags: int = 0, changed: int = 0, fault_cells: int = 0, imu_ok: int = 1
    ):
        self.t_us = t_us
        self.flags = flags
        self.changed = changed
        self.fault_cells = fault_cells
        self.imu_ok = imu_ok

    @classmethod
    def from_bytes(cls, data) -> "Flag":
        return cls(*cls._unpack(data))


class Sync(_Payload):
    """Device session time <-> host wall clock (unix us), for clock alignment."""

    _fmt = "<IqB"
    _fields = ("t_us", "host_unix_us", "source")

    def __init__(self, t_us: int = 0, host_unix_us: int = 0, source: int = 0):
        self.t_us = t_us
        self.host_unix_us = host_unix_us
        self.source = source

    @classmethod
    def from_bytes(cls, data) -> "Sync":
        return cls(*cls._unpack(data))


class Battery(_Payload):
    _fmt = "<IHB"
    _fields = ("t_us", "mv", "pct")

    def __init__(self, t_us: int = 0, mv: int = 0, pct: int = 0):
        self.t_us = t_us
        self.mv = mv
        self.pct = pct

    @classmethod
    def from_bytes(cls, data) -> "Battery":
        return cls(*cls._unpack(data))


BATTERY_LEN = const(7)


def pack_battery_into(buf, t_us, wraps, mv, pct):
    """A Battery payload into buf[:BATTERY_LEN] without allocating (the pod's once-a-minute
    record): t_us < 2**30 with wraps' low two bits on top make the u32 session time,
    which as one int would be a big int on the pod's 31-bit small ints."""
    struct.pack_into(Battery._fmt, buf, 0, t_us, mv, pct)
    buf[3] |= (wraps & 3) << 6


class SessionEnd(_Payload):
    _fmt = "<IIIIIH"
    _fields = ("t_us", "steps", "samples", "missed", "gaps", "flags")

    def __init__(
        self,
        t_us: int = 0,
        steps: int = 0,
        samples: int = 0,
        missed: int = 0,
        gaps: int = 0,
        flags: int = 0,
    ):
        self.t_us = t_us
        self.steps = steps
        self.samples = samples
        self.missed = missed
        self.gaps = gaps
        self.flags = flags

    @classmethod
    def from_bytes(cls, data) -> "SessionEnd":
        return cls(*cls._unpack(data))


REF_CONTACT = const(1)
REF_TOE_OFF = const(2)


class RefEvent(_Payload):
    """A reference gait event (ground truth), kept apart from what the kernel finds.

    kind: REF_CONTACT or REF_TOE_OFF; source: 0 simulator, 1 dataset annotation,
    2 dataset authors' computed times, 3 motion capture, 4 offline reference detector.
    """

    _fmt = "<IBB"
    _fields = ("t_us", "kind", "source")

    def __init__(self, t_us: int = 0, kind: int = 0, source: int = 0):
        self.t_us = t_us
        self.kind = kind
        self.source = source

    @classmethod
    def from_bytes(cls, data) -> "RefEvent":
        return cls(*cls._unpack(data))


class Note:
    """Free text (utf-8) at a session time."""

    def __init__(self, t_us: int = 0, text: str = ""):
        self.t_us = t_us
        self.text = text

    def to_bytes(self) -> bytes:
        return struct.pack("<I", self.t_us) + self.text.encode()

    @classmethod
    def from_bytes(cls, data) -> "Note":
        if len(data) < 4:
            raise ValueError("Note payload truncated")
        text = None
        try:
            text = bytes(data[4:]).decode()
        except UnicodeError:
            pass  # raised below: the native emitter has no `raise ... from`
        if text is None:
            raise ValueError("Note text is not utf-8")
        return cls(struct.unpack_from("<I", data, 0)[0], text)


class SessionHeader(_Payload):
    """Who recorded what: device, foot, rate, layout and the exact calibration."""

    _fmt = "<I6sBIHBBBIH"
    _fields = (
        "session_id",
        "device_id",
        "foot",
        "fw_version",
        "rate_hz",
        "layout_id",
        "n_cells",
        "has_imu",
        "epoch_s",
        "bw_dn",
    )

    def __init__(
        self,
        session_id: int = 0,
        device_id: bytes = bytes(6),
        foot: int = 0,
        fw_version: int = 0,
        rate_hz: int = 100,
        layout_id: int = 8,
        n_cells: int = 8,
        has_imu: int = 1,
        epoch_s: int = 0,
        bw_dn: int = 7000,
        calib: bytes = b"",
    ):
        self.session_id = session_id
        self.device_id = device_id
        self.foot = foot
        self.fw_version = fw_version
        self.rate_hz = rate_hz
        self.layout_id = layout_id
        self.n_cells = n_cells
        self.has_imu = has_imu
        self.epoch_s = epoch_s
        self.bw_dn = bw_dn
        self.calib = calib

    def to_bytes(self) -> bytes:
        return _Payload.to_bytes(self) + bytes(self.calib)

    @classmethod
    def from_bytes(cls, data) -> "SessionHeader":
        vals = cls._unpack(data)
        size = struct.calcsize(cls._fmt)
        return cls(*vals, calib=bytes(data[size:]))


# Sample: t_us u32 | n_cells u8 | has_imu u8 | cells u16 * n | imu i16 * 6 if has_imu
SAMPLE_HEAD = const(6)
IMU_LEN = const(6)


def sample_len(n_cells, has_imu):
    return SAMPLE_HEAD + 2 * n_cells + (12 if has_imu else 0)


def pack_sample_into(buf, t_us, cells, imu):
    """Raw sample into buf (preallocated); returns the payload length."""
    n = len(cells)
    struct.pack_into("<IBB", buf, 0, t_us & 0xFFFFFFFF, n, 0 if imu is None else 1)
    o = SAMPLE_HEAD
    for i in range(n):
        v = cells[i]
        buf[o] = v & 0xFF
        buf[o + 1] = (v >> 8) & 0xFF
        o += 2
    if imu is not None:
        for i in range(IMU_LEN):
            v = imu[i]
            buf[o] = v & 0xFF
            buf[o + 1] = (v >> 8) & 0xFF
            o += 2
    return o


def unpack_sample(data):
    """(t_us, cells tuple, imu tuple or None); ValueError if truncated."""
    if len(data) < SAMPLE_HEAD:
        raise ValueError("Sample payload truncated")
    t_us, n, has_imu = struct.unpack_from("<IBB", data, 0)
    need = sample_len(n, has_imu)
    if len(data) < need:
        raise ValueError("Sample payload truncated: %d of %d bytes" % (len(data), need))
    cells = struct.unpack_from("<%dH" % n, data, SAMPLE_HEAD)
    imu = None
    if has_imu:
        imu = struct.unpack_from("<6h", data, SAMPLE_HEAD + 2 * n)
    return t_us, cells, imu
