# The page's Python side: runs inside the MicroPython WebAssembly interpreter in the
# browser, on the firmware's own codec (stridefw.records), balance rule
# (stridefw.balance) and sync protocol (stridefw.syncproto), written into the
# interpreter's file system by codec.js. JavaScript only moves bytes: it writes them
# to a file here and calls a function; answers go back as JSON text. Nothing about
# the wire format is written twice.
#
# Sync: every control-point message is built and parsed by stridefw.syncproto (the
# one definition the pod and `stride sync` use), and each transfer is checked here
# (offset continuity, DONE's CRC-32 over the bytes received).
import json

from stridefw import balance, livefold, records, rsc, stepread
from stridefw import syncproto as P

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
            elif r.rtype == records.REC_STEP_BLOCK:
                # decoded, not counted from its first byte: a block that does not
                # decode is an error here as in `stride`, not n steps
                try:
                    cur["steps"] += len(stepread.decode_step_block(r.payload))
                except ValueError as e:
                    dec.errors.append((r.offset, "StepBlock: " + str(e)))
                    dec.n_errors += 1
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
    """Live stream of one or two pods (stridefw.livefold) -> JSON events for the page."""

    def __init__(self):
        self.fold = livefold.LiveFold()

    def feed_file(self, foot: int, path: str) -> str:
        return self.feed(foot, _read(path))

    def feed(self, foot: int, data: bytes) -> str:
        out = []
        for kind, x in self.fold.feed(foot, data):
            if kind == "step":
                bal = self.fold.balance
                out.append(
                    {
                        "type": "step",
                        "foot": FOOTS[foot],
                        "index": x.index,
                        "contact_us": x.contact_us,
                        "stance_ms": x.stance_us // 1000,
                        "stance_us": x.stance_us,
                        "flags": x.flags,
                        "impulse_si_pm": bal.si_pm[balance.M_IMPULSE],
                        "uneven": 1 if bal.uneven else 0,
                    }
                )
            else:
                out.append({"type": "flag", "foot": FOOTS[foot], "flags": x.flags})
        return json.dumps({"events": out, "errors": self.fold.errors(foot)})


def rsc_measurement(path: str) -> str:
    """RSC Measurement 0x2A53, decoded by the firmware's own stridefw.rsc."""
    try:
        flags, speed_256, cadence, stride_cm, dist_dm = rsc.decode_measurement(_read(path))
    except ValueError as e:
        return json.dumps({"error": str(e)})
    out = {"speed_mps": speed_256 / 256, "cadence_per_min": cadence, "flags": flags}
    if stride_cm is not None:
        out["stride_m"] = stride_cm / 100
    if dist_dm is not None:
        out["distance_m"] = dist_dm / 10
    return json.dumps(out)


# ------------------------------------------------------------------ sync protocol
def uuids() -> str:
    return json.dumps(
        {
            "service": P.SERVICE_UUID,
            "control": P.CONTROL_UUID,
            "data": P.DATA_UUID,
            "status": P.STATUS_UUID,
            "rsc_service": P.RSC_SERVICE,
            "rsc_measurement": P.RSC_MEASUREMENT,
            "battery_service": P.BATTERY_SERVICE,
            "battery_level": P.BATTERY_LEVEL,
            "name_prefix": P.NAME_PREFIX,
            "live_session": P.LIVE_SESSION,
            "company": P.MANUF_COMPANY,
        }
    )


def request(op_name: str, req_id: int, args: "list[int]") -> str:
    """Control-point request bytes as hex (ValueError -> {"error"})."""
    op = getattr(P, "OP_" + op_name)
    try:
        data = P.encode_request(op, req_id, *args)
    except ValueError as e:
        return json.dumps({"error": str(e)})
    return json.dumps({"hex": data.hex()})


def response(path: str) -> str:
    """A control-point indication as {op, req_id, status, values | entries}."""
    data = _read(path)
    try:
        op, rid, st, payload = P.decode_response(data)
        out = {
            "op": P.OP_NAMES.get(op, "?"),
            "req_id": rid,
            "status": P.STATUS_NAMES[st],
        }
        if st == P.ST_OK:
            if op == P.OP_LIST:
                entries, more = P.decode_list(payload)
                out["entries"] = [[s, z, y, 1 if c else 0] for s, z, y, c in entries]
                out["more"] = 1 if more else 0
            else:
                out["values"] = list(P.decode_ok(op, payload))
    except ValueError as e:
        return json.dumps({"error": "bad response: " + str(e)})
    return json.dumps(out)


def status(path: str) -> str:
    try:
        return json.dumps(P.decode_status(_read(path)))
    except ValueError as e:
        return json.dumps({"error": str(e)})


class PodRx(P.Receiver):
    """What one pod sends on its data characteristic: a READ in progress, or the live stream.

    A transfer is checked by syncproto.Receiver (the same checks as `stride sync`):
    offset continuity and, at DONE, the CRC-32 over the bytes received. Here any chunk
    out of order is an error; the live stream goes to the shared stride_web.Live decoder.
    """

    def __init__(self, foot: int, live: "Live") -> None:
        self.foot = foot
        self.live = live
        self.start(P.NO_SESSION, 0)

    def start(self, session_id: int, offset: int) -> None:
        super().start(session_id, offset)
        self.chunks = []

    def data(self, path: str) -> str:
        """Feed a data notification; {live: ...} | {ok, next} | {ignored} | {error}."""
        try:
            sid, off, chunk = P.decode_data(_read(path))
        except ValueError as e:
            return json.dumps({"error": str(e)})
        if sid == P.LIVE_SESSION:
            return '{"live": ' + self.live.feed(self.foot, chunk) + "}"
        expected = self.next
        verdict = self.accept(sid, off, chunk)
        if verdict == P.CHUNK_OTHER:
            return json.dumps({"ignored": 1, "session_id": sid})
        if verdict != P.CHUNK_OK:
            return json.dumps({"error": f"gap: expected offset {expected}, got {off}"})
        self.chunks.append(chunk)
        return json.dumps({"ok": 1, "next": self.next, "n": len(chunk)})

    def done(self, end: int, crc: int) -> str:
        """Check DONE against what arrived; on success the bytes go to /xfer.bin."""
        why = self.done_error(end, crc)
        if why:
            return json.dumps({"error": why})
        return self.take()

    def take(self) -> str:
        """Bytes received so far, contiguous from the READ offset, to /xfer.bin."""
        with open("/xfer.bin", "wb") as f:
            for c in self.chunks:
                f.write(c)
        n = self.next - self.first
        self.start(self.session_id, self.next)
        return json.dumps({"ok": 1, "bytes": n})
