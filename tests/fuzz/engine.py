"""A small seeded fuzzing engine: mutations of real inputs, counted per target.

    python -m tests.fuzz.engine [--n 100000] [--seed 1] [--target NAME ...] [--save DIR]

`make fuzz` runs it with --n 100000 on every target (tests/fuzz/targets.py) and
prints, per target, the inputs run, how many were refused the documented way, and
how many raised anything else (uncaught), with the first input of each distinct
crash saved to --save. Exit status 1 if anything was uncaught. tests/fuzz/
test_fuzz.py runs the same engine for a few hundred inputs per target inside the
normal test suite.

Session inputs start from real sessions (a simulated run's two pods; the same
stored the way a pod's flash stores raw samples, as SampleBlocks; an old-style
file without leading 0x00s) and are mutated as bytes (flips, inserted junk and
0x00s, cut, moved and repeated spans, splices) and as records re-framed with a
valid CRC (payload bytes or fields set to extremes, seq numbers changed, records
dropped, repeated, swapped or given another type): the damage a CRC cannot see.
Console inputs are command lines built from the protocol's words, numbers of any
size and binary noise.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import random
import struct
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stridefw import records as R
from stridefw.records import REC_SAMPLE_BLOCK

_EXTREMES = (0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF, 0x8000, 0xFFFFFFFF, 4095, 4096)


# ------------------------------------------------------------------ seeds
@functools.cache
def session_seeds() -> tuple[bytes, ...]:
    """A two-pod run as stride sim writes it (SampleBlocks, single Steps), one pod as its
    store writes it (StepBlocks too), a committed first-format file (one Sample and one
    Step record each) framed without leading 0x00s, and a torn half."""
    from stridekit.session import step_payloads
    from stridekit.session_writer import SessionWriter
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.record import record_foot

    run = simulate(RunnerParams(seed=7, duration_s=3.0))
    left = record_foot(run, run.feet[0], 1)
    right = record_foot(run, run.feet[1], 2)
    w = SessionWriter(step_blocks=True)
    for r in R.decode_all(left)[0]:
        if r.rtype in (R.REC_STEP, R.REC_STEP_BLOCK):
            for q in step_payloads(r):
                w.add_step(q)
        else:
            w.add(r.rtype, r.payload)
    v1 = (Path(__file__).parents[1] / "unit" / "files" / "v1_session.strd").read_bytes()
    enc = R.Encoder()
    old = b"".join(enc.encode(r.rtype, r.seq, r.payload)[1:] for r in R.decode_all(v1)[0])
    return (left + right, bytes(w.out), old, left[: len(left) // 2])


CONSOLE_WORDS = [
    "help",
    "status",
    "ls",
    "get",
    "ack",
    "rec",
    "start",
    "stop",
    "cal",
    "zero",
    "raw",
    "set",
    "time",
    "live",
    "on",
    "off",
    "pair",
    "repl",
]
CONSOLE_SEEDS = (
    b"help\nstatus\nls\n",
    b"time 1780000000.5\nrec start\nstatus\nrec stop\nls\n",
    b"get 1 0\nack 1 100\ncal raw\n",
    b"cal set 0 100:50,2000:900\ncal zero\nlive on\nlive off\n",
)


# ------------------------------------------------------------------ mutations
def _rand_bytes(rnd: random.Random, n: int) -> bytes:
    return bytes(rnd.getrandbits(8) for _ in range(n))


def mutate_bytes(rnd: random.Random, data: bytes, others: tuple[bytes, ...]) -> bytes:
    b = bytearray(data)
    op = rnd.randrange(9)
    n = len(b)
    if op == 0 and n:  # flip bits
        for _ in range(rnd.randrange(1, 4)):
            b[rnd.randrange(n)] ^= 1 << rnd.randrange(8)
    elif op == 1 and n:  # set a byte
        b[rnd.randrange(n)] = rnd.choice((0, 1, 0xFF, rnd.getrandbits(8)))
    elif op == 2:  # insert junk (with or without 0x00)
        at = rnd.randrange(n + 1)
        junk = _rand_bytes(rnd, rnd.choice((1, 3, 17, 300, 5000)))
        if rnd.random() < 0.5:
            junk = bytes(x or 1 for x in junk)
        b[at:at] = junk
    elif op == 3 and n:  # delete a span
        a = rnd.randrange(n)
        del b[a : a + rnd.randrange(1, 200)]
    elif op == 4 and n:  # repeat a span
        a = rnd.randrange(n)
        span = b[a : a + rnd.randrange(1, 400)]
        at = rnd.randrange(n + 1)
        b[at:at] = span
    elif op == 5 and n:  # cut the tail
        del b[rnd.randrange(n) :]
    elif op == 6 and others:  # splice with another input
        o = rnd.choice(others)
        if o:
            b = b[: rnd.randrange(n + 1)] + o[rnd.randrange(len(o)) :]
    elif op == 7:  # stray delimiters
        for _ in range(rnd.randrange(1, 4)):
            b.insert(rnd.randrange(len(b) + 1), 0)
    elif op == 8 and n > 2:  # move a span
        a = rnd.randrange(n)
        span = b[a : a + rnd.randrange(1, 300)]
        del b[a : a + len(span)]
        at = rnd.randrange(len(b) + 1)
        b[at:at] = span
    return bytes(b)


def _mutate_payload(rnd: random.Random, rtype: int, p: bytes) -> tuple[int, bytes]:
    b = bytearray(p)
    op = rnd.randrange(8)
    if op == 0 and b:  # an extreme little-endian value at a field-ish offset
        v = rnd.choice(_EXTREMES)
        width = rnd.choice((1, 2, 4))
        at = rnd.randrange(len(b))
        raw = (v & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
        b[at : at + width] = raw[: len(b) - at]
    elif op == 1 and b:
        b[rnd.randrange(len(b))] = rnd.getrandbits(8)
    elif op == 2:  # longer or shorter
        if b and rnd.random() < 0.5:
            del b[rnd.randrange(len(b)) :]
        else:
            b += _rand_bytes(rnd, rnd.randrange(1, 40))
    elif op == 3 and rtype == R.REC_SAMPLE and len(b) >= 6:  # cells of any u16
        n = b[4]
        for i in range(min(n, (len(b) - 6) // 2)):
            if rnd.random() < 0.3:
                struct.pack_into("<H", b, 6 + 2 * i, rnd.choice((4095, 4096, 40000, 65535)))
    elif op == 4 and rtype == REC_SAMPLE_BLOCK and len(b) >= 8:  # block head
        b[rnd.choice((4, 5, 6, 7))] = rnd.choice((0, 1, 8, 16, 64, 255))
    elif op == 4 and rtype == R.REC_STEP_BLOCK and len(b) >= 52:  # step count, widths
        at = rnd.choice((0, 51, 52, 53))
        b[at] = rnd.choice((0, 1, 8, 9, 63, 0x3F, 0xFF))
    elif op == 5 and rtype == R.REC_HEADER and len(b) >= 23:  # header fields
        at = rnd.choice((10, 11, 15, 16, 17, 18, 23, 24))  # foot, fw, rate, layout, cells, imu
        if at < len(b):
            b[at] = rnd.choice((0, 1, 2, 8, 16, 255))
    elif op == 6:  # another record type with this payload
        return rnd.choice(sorted(R.VERSIONS)), bytes(b)
    elif op == 7 and b:  # a varint that never ends
        at = rnd.randrange(len(b))
        b[at:] = b"\xff" * (len(b) - at)
    return rtype, bytes(b)


def mutate_records(rnd: random.Random, data: bytes) -> bytes:
    """Re-frame the records with valid CRCs after changing values, seqs, order or types."""
    recs, _ = R.decode_all(data)
    if not recs:
        return mutate_bytes(rnd, data, ())
    items = [[r.rtype, r.version, r.seq, bytes(r.payload)] for r in recs]
    for _ in range(rnd.randrange(1, 4)):
        i = rnd.randrange(len(items))
        op = rnd.randrange(7)
        if op <= 1:
            items[i][0], items[i][3] = _mutate_payload(rnd, items[i][0], items[i][3])
        elif op == 2:
            items[i][2] = rnd.choice((0, items[i][2] + rnd.randrange(-70, 70), 0xFFFFFFFF)) & (
                0xFFFFFFFF
            )
        elif op == 3 and len(items) > 1:
            del items[i]
        elif op == 4:
            items.insert(i, list(items[i]))
        elif op == 5 and i + 1 < len(items):
            items[i], items[i + 1] = items[i + 1], items[i]
        elif op == 6:
            items[i][1] = rnd.choice((0, 1, 2, 255))  # version
    enc = R.Encoder()
    old_style = rnd.random() < 0.3
    out = bytearray()
    for rtype, version, seq, payload in items:
        if len(payload) > R.MAX_PAYLOAD:
            payload = payload[: R.MAX_PAYLOAD]
        frame = enc.encode(rtype, seq, payload, version)
        out += frame[1:] if old_style else frame
    return bytes(out)


def session_input(rnd: random.Random) -> bytes:
    seeds = session_seeds()
    data = rnd.choice(seeds)
    for _ in range(rnd.randrange(1, 4)):
        data = mutate_records(rnd, data) if rnd.random() < 0.5 else mutate_bytes(rnd, data, seeds)
    if rnd.random() < 0.03:
        data = _rand_bytes(rnd, rnd.randrange(0, 600))
    return data


@functools.cache
def seed_payloads() -> tuple[tuple[int, bytes], ...]:
    out: list[tuple[int, bytes]] = []
    for data in session_seeds():
        recs, _ = R.decode_all(data)
        out += [(r.rtype, bytes(r.payload)) for r in recs]
    hdr = R.SessionHeader.from_bytes(next(p for t, p in out if t == R.REC_HEADER))
    out.append((-1, hdr.calib))  # a Calibration block
    return tuple(out)


def payload_input(rnd: random.Random) -> bytes:
    """A selector byte (which parser, tests/fuzz/targets.py) and a mutated real payload."""
    from tests.fuzz.targets import PARSER_OF

    rtype, p = rnd.choice(seed_payloads())
    for _ in range(rnd.randrange(0, 3)):
        if rnd.random() < 0.6:
            _, p = _mutate_payload(rnd, rtype, p)
        else:
            p = mutate_bytes(rnd, p, ())
    sel = PARSER_OF.get(rtype, 0) if rnd.random() < 0.8 else rnd.getrandbits(8)
    return bytes([sel]) + p


def console_input(rnd: random.Random) -> bytes:
    parts: list[bytes] = []
    if rnd.random() < 0.3:
        parts.append(mutate_bytes(rnd, rnd.choice(CONSOLE_SEEDS), CONSOLE_SEEDS))
    for _ in range(rnd.randrange(1, 6)):
        r = rnd.random()
        if r < 0.7:
            words = []
            for _ in range(rnd.randrange(1, 5)):
                k = rnd.random()
                if k < 0.5:
                    words.append(rnd.choice(CONSOLE_WORDS))
                elif k < 0.8:
                    words.append(str(rnd.randrange(10 ** rnd.randrange(1, 14))))
                elif k < 0.9:
                    words.append(f"{rnd.randrange(10**5)}:{rnd.randrange(10**6)}")
                else:
                    words.append(f"{rnd.randrange(10**11)}.{rnd.randrange(10**8)}")
            parts.append(" ".join(words).encode() + b"\n")
        elif r < 0.85:
            parts.append(_rand_bytes(rnd, rnd.randrange(1, 120)))
        else:
            parts.append(b"a" * rnd.randrange(90, 140) + b"\n")
    return b"".join(parts)


def _gatt_value(rnd: random.Random, target: int) -> bytes:
    """A value for one characteristic: mostly well-formed, then damaged."""
    from stridefw import syncproto as P
    from stridefw.cts import epoch_to_current_time

    if target == 2:  # Current Time
        v = epoch_to_current_time(rnd.randrange(0, 2**32))
    elif target == 1:  # SC control point: Set Cumulative Value and others
        v = bytes([rnd.choice((1, 2, 3, 4, 5, 0, 255))]) + rnd.randbytes(rnd.randrange(0, 6))
    else:
        ops = (P.OP_LIST, P.OP_READ, P.OP_CREDIT, P.OP_ABORT, P.OP_MARK, P.OP_LIVE, P.OP_TIME)
        op = rnd.choice((*ops, P.OP_REC, 0, 0x7F, 0xFF))
        args = {
            P.OP_LIST: (rnd.randrange(0, 4),),
            P.OP_READ: (
                rnd.randrange(0, 4),
                rnd.choice((0, 1, 100, 2**32 - 1)),
                rnd.randrange(0, 70),
            ),
            P.OP_CREDIT: (rnd.choice((0, 1, 8, 65535)),),
            P.OP_MARK: (rnd.randrange(0, 4), rnd.choice((0, 10, 2**32 - 1))),
            P.OP_LIVE: (rnd.randrange(0, 3),),
            P.OP_TIME: (rnd.randrange(0, 2**32), rnd.choice((0, 999_999, 1_000_000, 2**32 - 1))),
            P.OP_REC: (rnd.randrange(0, 3),),
        }.get(op, ())
        try:
            v = P.encode_request(op, rnd.randrange(256), *args)
        except ValueError:
            v = bytes((op, rnd.randrange(256)))
    if rnd.random() < 0.3:
        v = mutate_bytes(rnd, v, ())
    return v[:255]


def gatt_input(rnd: random.Random) -> bytes:
    """GATT ops for tests/fuzz/targets.gatt: connect, encrypt, writes, turns, ..."""
    out = bytearray()
    conns = [0, 1]
    for c in conns:
        if rnd.random() < 0.9:
            out += bytes((0, c, 0))
            if rnd.random() < 0.8:
                out += bytes((1, c | (2 if rnd.random() < 0.7 else 0), 0))
    for _ in range(rnd.randrange(1, 25)):
        r = rnd.random()
        if r < 0.6:
            target = rnd.randrange(7) if rnd.random() < 0.3 else 0
            value = _gatt_value(rnd, target)
            op = 2 if rnd.random() < 0.6 else 3
            out += bytes((op, (target << 1) | rnd.choice(conns), len(value))) + value
        elif r < 0.85:
            out += bytes((5, rnd.randrange(256), 0))
        else:
            out += bytes((rnd.randrange(256), rnd.randrange(256), 0))
    if rnd.random() < 0.05:
        out = bytearray(mutate_bytes(rnd, bytes(out), ()))
    return bytes(out)


# ------------------------------------------------------------------ running
@dataclass
class Tally:
    target: str
    inputs: int = 0
    refused: int = 0
    uncaught: int = 0
    crashes: Counter[str] = field(default_factory=Counter)
    saved: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def run_target(
    name: str,
    n: int,
    seed: int = 1,
    save: Path | None = None,
    progress: Callable[[Tally], None] | None = None,
) -> Tally:
    from tests.fuzz.targets import TARGETS

    t = TARGETS[name]
    rnd = random.Random(f"{name}-{seed}")
    make = {"console": console_input, "payload": payload_input, "gatt": gatt_input}.get(
        t.kind, session_input
    )
    tally = Tally(name)
    t0 = time.perf_counter()
    for i in range(n):
        data = make(rnd)
        tally.inputs += 1
        try:
            t.run(data)
        except t.refusals:
            tally.refused += 1
        except Exception as e:  # an uncaught exception: what the fuzzer looks for
            tally.uncaught += 1
            tb = traceback.extract_tb(e.__traceback__)[-1]
            key = f"{type(e).__name__} at {Path(tb.filename).name}:{tb.lineno}"
            if key not in tally.crashes and save is not None:
                save.mkdir(parents=True, exist_ok=True)
                p = save / f"{name}-{hashlib.sha256(data).hexdigest()[:12]}.bin"
                p.write_bytes(data)
                tally.saved.append(p)
            tally.crashes[key] += 1
        if progress is not None and (i + 1) % 5000 == 0:
            tally.seconds = time.perf_counter() - t0
            progress(tally)
    tally.seconds = time.perf_counter() - t0
    return tally


def main(argv: list[str] | None = None) -> int:
    from tests.fuzz.targets import TARGETS

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="inputs per target")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target", action="append", choices=sorted(TARGETS))
    ap.add_argument("--save", type=Path, default=Path(tempfile.gettempdir()) / "stridekit-fuzz")
    a = ap.parse_args(argv)
    names = a.target or list(TARGETS)
    print(f"fuzz: {a.n} inputs per target, seed {a.seed}; crashing inputs go to {a.save}")
    print(f"{'target':<10} {'inputs':>9} {'refused':>9} {'uncaught':>9} {'s':>8}")
    bad = 0
    for name in names:

        def show(t: Tally) -> None:
            print(f"  {t.target}: {t.inputs} inputs, {t.uncaught} uncaught ...", file=sys.stderr)

        t = run_target(name, a.n, a.seed, a.save, show)
        print(f"{name:<10} {t.inputs:>9} {t.refused:>9} {t.uncaught:>9} {t.seconds:>8.1f}")
        for key, k in t.crashes.most_common():
            print(f"    {k} x {key}")
        for p in t.saved:
            print(f"    saved {p}")
        bad += t.uncaught
    print(f"total uncaught: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
