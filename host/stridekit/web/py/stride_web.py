# The page's Python side: runs inside the MicroPython WebAssembly interpreter in the
# browser, on the firmware's own codec (stridefw.records) and balance rule
# (stridefw.balance), written into the interpreter's file system by codec.js.
# JavaScript only moves bytes: it writes them to a file here and calls a function;
# answers go back as JSON text. Nothing about the wire format is written twice.
import json
import struct

from stridefw import balance, records

FOOTS = {0: "left", 1: "right"}


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def summarize_file(path: str) -> str:
    """Decode a whole session file: record counts by type, sessions, errors (JSON)."""
    return json.dumps(summarize(_read(path)))


def summarize(data: bytes) -> "dict[str, object]":
    recs, dec = records.decode_all(data)
    counts = {}
    sessions = []
    cur = None
    for r in recs:
        name = r.name()
        counts[name] = counts.get(name, 0) + 1
        if r.rtype == records.REC_HEADER:
            try:
                h = records.SessionHeader.from_bytes(r.payload)
            except ValueError as e:
                dec.errors.append((r.offset, str(e)))
                dec.n_errors += 1
                cur = None
                continue
            cur = {
                "session_id": h.session_id,
                "foot": FOOTS.get(h.foot, "foot" + str(h.foot)),
                "device_id": bytes(h.device_id).hex(),
                "rate_hz": h.rate_hz,
                "steps": 0,
                "flags": 0,
                "ended": False,
            }
            sessions.append(cur)
        elif cur is not None:
            if r.rtype == records.REC_STEP:
                cur["steps"] += 1
            elif r.rtype == records.REC_FLAG:
                cur["flags"] += 1
            elif r.rtype == records.REC_END:
                cur["ended"] = True
    return {
        "bytes": len(data),
        "records": dec.n_records,
        "counts": counts,
        "sessions": sessions,
        "n_errors": dec.n_errors,
        "errors": [[o, why] for o, why in dec.errors[:8]],
        "n_skipped": dec.n_skipped,
    }


class Live:
    """Live stream of one or two pods: Step/Flag frames -> what the live view shows."""

    def __init__(self):
        self.dec = {0: records.FrameDecoder(), 1: records.FrameDecoder()}
        self.bal = balance.Balance()
        self.last = {}

    def feed_file(self, foot: int, path: str) -> str:
        return self.feed(foot, _read(path))

    def feed(self, foot: int, data: bytes) -> str:
        out = []
        for r in self.dec[foot].feed(data):
            if r.rtype == records.REC_STEP:
                s = records.Step.from_bytes(r.payload)
                self.bal.add_step(foot, r.payload)
                out.append(
                    {
                        "type": "step",
                        "foot": FOOTS[foot],
                        "index": s.index,
                        "contact_us": s.contact_us,
                        "stance_ms": s.stance_us // 1000,
                        "stance_us": s.stance_us,
                        "flags": s.flags,
                        "impulse_si_pm": self.bal.si_pm[balance.M_IMPULSE],
                        "uneven": 1 if self.bal.uneven else 0,
                    }
                )
            elif r.rtype == records.REC_FLAG:
                f = records.Flag.from_bytes(r.payload)
                out.append({"type": "flag", "foot": FOOTS[foot], "flags": f.flags})
        return json.dumps({"events": out, "errors": self.dec[foot].n_errors})


def rsc_measurement(path: str) -> str:
    """RSC Measurement 0x2A53 (Bluetooth SIG layout): speed 1/256 m/s, cadence 1/min."""
    data = _read(path)
    if len(data) < 4:
        return json.dumps({"error": "RSC Measurement shorter than 4 bytes"})
    flags = data[0]
    speed, cadence = struct.unpack_from("<HB", data, 1)
    out = {"speed_mps": speed / 256, "cadence_per_min": cadence, "running": (flags >> 2) & 1}
    o = 4
    if flags & 1 and len(data) >= o + 2:
        out["stride_m"] = struct.unpack_from("<H", data, o)[0] / 100
        o += 2
    if flags & 2 and len(data) >= o + 4:
        out["distance_m"] = struct.unpack_from("<I", data, o)[0] / 10
    return json.dumps(out)
