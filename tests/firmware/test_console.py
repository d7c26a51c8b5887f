"""The serial console: every request gets one OK/ERR line, and sampling never stops."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import console as fw_console
from stridekit.sim.pod import MemPort, VirtualPod, decode_session
from tests.conftest import sim

MAX_LINE = fw_console.MAX_LINE


def _pod(seconds_of_run: float = 0.0) -> VirtualPod:
    foot = (
        sim(seed=41, duration_s=seconds_of_run, jitter_us=0.0).feet[0] if seconds_of_run else None
    )
    return VirtualPod(foot, console="mem")


def _port(pod: VirtualPod) -> MemPort:
    assert isinstance(pod.port, MemPort)
    return pod.port


def split_output(out: bytes) -> list[bytes]:
    """Reply/event lines; the binary bytes announced by `OK get` are skipped."""
    lines = []
    i = 0
    while i < len(out):
        j = out.find(b"\n", i)
        assert j >= 0, f"unterminated output {out[i:]!r}"
        line = out[i:j]
        lines.append(line)
        i = j + 1
        if line.startswith(b"OK get "):
            i += int(line.split()[-1])
    return lines


def expected_replies(data: bytes) -> int:
    """How many complete request lines deserve a reply (mirrors the protocol rules)."""
    n = 0
    for raw in data.split(b"\n")[:-1]:
        text = bytes(b for b in raw if b != 13)
        binary = any((b < 32 or b > 126) and b != 9 for b in text)
        kept = bytes(b for b in text if 32 <= b <= 126 or b == 9)
        if binary or len(kept) > MAX_LINE or kept.split():
            n += 1
    return n


def pump(pod: VirtualPod, max_turns: int = 5000) -> bytes:
    """Run the pod until its console input is consumed and its output drained."""
    port = _port(pod)
    app = pod.app
    out = b""
    for _ in range(max_turns):
        pod.step()
        out += port.take()
        if not port.rx and not app.console._busy() and app.console._in_pos >= app.console._in_len:
            break
        pod.machine.idle()
    return out


def talk(pod: VirtualPod, line: str | bytes) -> str:
    data = line if isinstance(line, bytes) else line.encode() + b"\n"
    _port(pod).feed(data)
    lines = split_output(pump(pod))
    replies = [x for x in lines if not x.startswith(b"EV ")]
    assert len(replies) == 1, lines
    return replies[0].decode()


# ----------------------------------------------------------------- commands


def test_help_status_ls_and_errors() -> None:
    pod = _pod()
    assert talk(pod, "help").split()[2:] == sorted(fw_console.COMMANDS)
    status = talk(pod, "status")
    assert status.startswith("OK status rec=0 ") and " missed=0 " in status
    assert talk(pod, "ls") == "OK ls 0"
    assert talk(pod, "frobnicate").startswith("ERR 1 ")
    assert talk(pod, "x" * (MAX_LINE + 1)).startswith("ERR 2 ")
    assert talk(pod, b"st\x00atus\n").startswith("ERR 3 ")
    assert talk(pod, b"\xff\xfe\n").startswith("ERR 3 ")
    assert talk(pod, "get one").startswith("ERR 4 ")
    assert talk(pod, "get -1").startswith("ERR 4 ")
    assert talk(pod, "get 1_0").startswith("ERR 4 ")
    assert talk(pod, "rec sideways").startswith("ERR 4 ")
    assert talk(pod, "time 12").startswith("ERR 4 ")
    assert talk(pod, "time 1780000000.1234567").startswith("ERR 4 ")
    assert talk(pod, "rec stop").startswith("ERR 5 ")
    assert talk(pod, "get 9").startswith("ERR 6 ")
    assert talk(pod, "ack 9 10").startswith("ERR 6 ")
    assert talk(pod, "pair").startswith("ERR 8 ")  # no radio on this pod
    assert talk(pod, "repl").startswith("ERR 8 ")  # disabled in the virtual pod
    assert talk(pod, "  help  \r\n").startswith("OK help")
    assert pod.app.missed == 0


def test_record_get_ack_over_the_console() -> None:
    pod = _pod(12.0)
    assert talk(pod, "time 1780000000.5") == "OK time 1780000000"
    assert talk(pod, "rec start") == "OK rec start 1"
    assert talk(pod, "rec start").startswith("ERR 5 ")
    assert talk(pod, "cal zero").startswith("ERR 5 ")  # not while recording
    pod.run_for(12.0)
    assert talk(pod, "rec stop") == "OK rec stop 1"
    ls = talk(pod, "ls").split()
    sid, size, synced = (int(x) for x in ls[3].split(":"))
    assert (ls[2], sid, synced) == ("1", 1, 0) and size > 5000
    port = _port(pod)
    port.feed(b"get 1 0\n")
    out = pump(pod)
    head, rest = out.split(b"\n", 1)
    assert head == f"OK get 1 0 {size}".encode()
    assert len(rest) == size
    s = decode_session(rest)
    assert len(s.step_payloads) > 5 and s.end is not None
    assert s.syncs and s.syncs[0].host_unix_us // 1_000_000 >= 1_780_000_000
    # resume from an offset: the tail only
    port.feed(b"get 1 100\n")
    out = pump(pod)
    assert out.split(b"\n", 1)[1] == rest[100:]
    assert talk(pod, f"ack 1 {size}") == f"OK ack 1 {size}"
    assert talk(pod, "ls").split()[3] == f"1:{size}:{size}"


def test_live_events_and_cal_zero() -> None:
    pod = _pod(8.0)
    assert talk(pod, "live on") == "OK live on"
    _port(pod).feed(b"")
    out = b""
    for _ in range(800):
        pod.step()
        pod.machine.idle()
        out += _port(pod).take()
    events = [x for x in split_output(out) if x.startswith(b"EV step ")]
    assert len(events) >= 5
    idx, stance_ms, peak_n, _flags = (int(x) for x in events[1].split()[2:])
    assert idx >= 1 and 100 < stance_ms < 400 and peak_n > 500
    assert talk(pod, "live off") == "OK live off"
    pod.run_for(3.0)  # the run is over: the foot is off the ground
    assert talk(pod, "cal zero") == "OK cal zero"
    hdr = pod.app.header(1)
    assert hdr.calib == pod.app.calib.to_bytes()


def test_get_streams_in_bounded_chunks_while_sampling() -> None:
    """A long `get` goes out CHUNK bytes per turn; samples keep coming on time."""
    pod = _pod(20.0)
    pod.app.rec_start()
    pod.run_for(20.0)
    pod.app.store.commit()
    size = pod.app.store.sizes[1]
    port = _port(pod)
    port.tx_room = fw_console.CHUNK  # a slow host: the port takes one chunk at a time
    port.feed(b"get 1\n")
    s0 = pod.app.samples
    got = b""
    turns = 0
    want = -1
    while (want < 0 or len(got) < want) and turns < 10_000:
        pod.step()
        got += port.take()
        pod.machine.idle()
        turns += 1
        if want < 0 and b"\n" in got:
            head = got.split(b"\n", 1)[0]
            want = len(head) + 1 + int(head.split()[-1])
    body = got.split(b"\n", 1)[1]
    assert len(body) == want - len(got.split(b"\n", 1)[0]) - 1 >= size  # get commits first
    assert pod.app.samples - s0 >= turns - 1 and pod.app.missed == 0
    assert turns > size // fw_console.CHUNK  # it really was spread over many turns


def test_time_beyond_a_u32_is_refused_and_recording_still_starts() -> None:
    """Issue 18 item 3: `time 9999999999` was accepted, and the next `rec start` raised
    struct.error packing the SessionHeader (epoch_s is a u32): the pod's main loop died."""
    pod = _pod(3.0)
    assert talk(pod, "time 9999999999").startswith("ERR 4 ")
    assert talk(pod, "time 4294967296").startswith("ERR 4 ")
    assert talk(pod, "time 4294967295") == "OK time 4294967295"
    assert talk(pod, "rec start") == "OK rec start 1"
    pod.run_for(1.0)
    assert talk(pod, "rec stop") == "OK rec stop 1"
    assert pod.app.running and pod.app.missed == 0


def test_an_unforeseen_error_is_err_9_and_sampling_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    pod = _pod(3.0)
    app = pod.app

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app, "status", broken)
    s0 = app.samples
    assert talk(pod, "status") == "ERR 9 internal: RuntimeError a bug"
    monkeypatch.undo()
    pod.run_for(0.5)
    assert app.running and app.missed == 0 and app.samples > s0
    assert " console_internal=1" in talk(pod, "health")


def test_get_of_the_recording_session_reports_a_flash_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pod = _pod(3.0)
    assert talk(pod, "rec start") == "OK rec start 1"

    def full() -> None:
        raise OSError(28)

    monkeypatch.setattr(pod.app.store, "commit", full)
    assert talk(pod, "get 1").startswith("ERR 7 ")
    monkeypatch.undo()
    assert pod.app.running and pod.app.console.internal == 0


# ----------------------------------------------------------------- fuzzing

words = st.one_of(
    st.sampled_from(
        [
            *fw_console.COMMANDS,
            *("start", "stop", "on", "off", "zero", "raw", "set"),
            *("1", "0", "99", "-3", "1e3", "9999999999", "4294967296", "1780000000.5"),
        ]
    ),
    st.integers(0, 10**12).map(str),  # any size: the console checks every range
    st.tuples(st.integers(0, 99999), st.integers(0, 10**6)).map(lambda p: f"{p[0]}:{p[1]}"),
)
text_line = st.lists(
    st.one_of(
        words, st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
    ),
    max_size=5,
).map(lambda ws: " ".join(ws).encode() + b"\n")
noise = st.binary(max_size=200)
long_line = st.integers(MAX_LINE - 2, MAX_LINE + 40).map(lambda n: b"a" * n + b"\n")
chunk = st.one_of(text_line, noise, long_line, noise.map(lambda b: b + b"\n"))


def test_fuzz_console_always_answers_and_never_stops_sampling() -> None:
    """>= 10,000 inputs (text commands, binary noise, overlong lines) into one live pod.

    Every complete non-blank line gets exactly one reply, OK or ERR with a known
    code; the pod misses no sample and keeps running throughout.
    """
    pod = _pod()
    app = pod.app
    port = _port(pod)
    fed = [0]

    @settings(
        max_examples=1000,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(chunk, min_size=10, max_size=16))
    def one(chunks: list[bytes]) -> None:
        port.feed(b"\n")  # close a line the previous example left open
        pump(pod)
        data = b"".join(chunks) + b"\n"
        fed[0] += len(chunks)
        missed0 = app.missed
        t0 = pod.clock.now_us()
        s0 = app.samples
        port.feed(data)
        lines = split_output(pump(pod, max_turns=20_000))
        replies = [x for x in lines if not x.startswith(b"EV ")]
        for x in replies:
            assert x.startswith(b"OK") or x.startswith(b"ERR "), x
            if x.startswith(b"ERR "):
                assert 1 <= int(x.split()[1]) <= 8, x  # never 9: nothing unforeseen
        assert len(replies) == expected_replies(data), (data, replies)
        ticks = (pod.clock.now_us() - t0) // app.period_us
        assert app.missed == missed0
        assert app.samples - s0 >= ticks - 1
        assert app.running

    one()
    assert fed[0] >= 10_000, fed[0]
    assert app.console.requests > 1000
