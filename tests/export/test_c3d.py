"""C3D export reopened with two independent readers (ezc3d and the `c3d` package).

Channels equal the kernel's values and every gait event comes back, also past the
format's 8-bit event and 16-bit frame limits (a 12-minute run through the export,
a 2-hour file written from arrays).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import c3d
import ezc3d
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridekit.export import ExportError
from stridekit.export import c3d as c3d_export
from stridekit.export.c3d import export_c3d, kernel_trace
from stridekit.export.c3dfile import (
    Event,
    event_channel_value,
    event_times_from_channel,
    write_c3d,
)
from stridekit.session import Session, read_sessions
from stridekit.sim.record import write_run
from tests.conftest import sim


def _chunks(names: Iterator[str] | list[str], name: str) -> list[str]:
    """TIMES, TIMES2, TIMES3 ... in order, as many as the file has."""
    have = set(names)
    out = [name] if name in have else []
    i = 2
    while f"{name}{i}" in have:
        out.append(f"{name}{i}")
        i += 1
    return out


def ezc3d_events(c: ezc3d.c3d) -> tuple[np.ndarray, list[str], list[str]]:
    """Event times (s), contexts and labels from the EVENT group, chunks joined."""
    g = c["parameters"]["EVENT"]
    times = np.concatenate(
        [np.asarray(g[k]["value"]).reshape(2, -1) for k in _chunks(list(g), "TIMES")], axis=1
    )
    ctx = [x for k in _chunks(list(g), "CONTEXTS") for x in g[k]["value"]]
    lab = [x for k in _chunks(list(g), "LABELS") for x in g[k]["value"]]
    return times[0] * 60 + times[1], ctx, lab


def read_with_c3d(path: Path) -> tuple[c3d.Reader, np.ndarray, dict[str, np.ndarray]]:
    """Frames read by the `c3d` package: (reader, analogs (n_ch, n_frames), EVENT chunks)."""
    with open(path, "rb") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "No point data found": right, there are none
        r = c3d.Reader(fh)
        a = np.concatenate([an for _, _, an in r.read_frames(copy=True)], axis=1)
        g = r.get("EVENT")
        params = {} if g is None else {k: g.get(k) for k in g.param_keys()}
        times = {k: params[k].float_array for k in _chunks(list(params), "TIMES")}
    return r, a, times


def _strikes(t: np.ndarray, ctx: list[str], lab: list[str], side: str, kind: str) -> np.ndarray:
    return np.sort(t[[c == side and x == kind for c, x in zip(ctx, lab, strict=True)]])


def test_c3d_channels_and_events_reopen_with_ezc3d(run_file: Path, tmp_path: Path) -> None:
    sessions = read_sessions(run_file)
    out = tmp_path / "run.c3d"
    res = export_c3d(sessions, out)
    c = ezc3d.c3d(str(out))
    labels = c["parameters"]["ANALOG"]["LABELS"]["value"]
    a = c["data"]["analogs"][0]
    assert a.shape == (len(labels), res.n)
    assert c["parameters"]["ANALOG"]["RATE"]["value"][0] == sessions[0].header.rate_hz
    ev_t, ev_ctx, ev_labels = ezc3d_events(c)
    rate = sessions[0].header.rate_hz
    for s in sessions:
        tr = kernel_trace(s)
        # the kernel re-run on the raw samples is the pod's kernel: same steps
        assert [x.to_bytes() for x in tr.steps] == s.step_payloads
        p = "L" if s.header.foot == 0 else "R"
        total = a[labels.index(f"{p}_total")]
        frames = np.rint(s.sample_t_us / 1e6 * s.header.rate_hz).astype(int)
        # both simulated pods start together (same Sync host time)
        np.testing.assert_allclose(total[frames], tr.total_n, atol=1e-3)
        cells = np.vstack([a[labels.index(f"{p}_cell{i}")] for i in range(s.cells.shape[1])])
        np.testing.assert_allclose(cells.sum(axis=0)[frames], tr.total_n, atol=1e-2)
        cop = a[labels.index(f"{p}_cop_x")][frames]
        np.testing.assert_allclose(cop, tr.cop_x_mm, atol=1e-3)
        assert np.abs(cop).max() > 1.0 and total.max() > 500
        ctx = "Left" if p == "L" else "Right"
        contact, toe = s.step_times_s()
        np.testing.assert_allclose(
            _strikes(ev_t, ev_ctx, ev_labels, ctx, "Foot Strike"), contact, atol=1e-5
        )
        np.testing.assert_allclose(
            _strikes(ev_t, ev_ctx, ev_labels, ctx, "Foot Off"), toe, atol=1e-5
        )
        # the event channels hold the same events
        strike_ch = event_times_from_channel(a[labels.index(f"{p}_strike")], rate)
        np.testing.assert_allclose(strike_ch, contact, atol=1e-6)
        off_ch = event_times_from_channel(a[labels.index(f"{p}_off")], rate)
        np.testing.assert_allclose(off_ch, toe, atol=1e-6)


@pytest.fixture(scope="module")
def long_run(tmp_path_factory: pytest.TempPathFactory) -> list[Session]:
    """12 minutes at 100 Hz: 72,000 frames (> 65,535) and about 4,000 events (> 255)."""
    path = tmp_path_factory.mktemp("c3d") / "long.strd"
    write_run(sim(seed=62, duration_s=720.0), path)
    return read_sessions(path)


@pytest.mark.slow
def test_long_run_reopens_whole_in_ezc3d_and_c3d(long_run: list[Session], tmp_path: Path) -> None:
    out = tmp_path / "long.c3d"
    res = export_c3d(long_run, out)
    assert res.n > 65535
    steps = {s.header.foot: s.step_times_s() for s in long_run}
    n_events = sum(2 * len(c) for c, _ in steps.values())
    assert n_events > 255
    rate = long_run[0].header.rate_hz

    c = ezc3d.c3d(str(out))
    labels = c["parameters"]["ANALOG"]["LABELS"]["value"]
    a = c["data"]["analogs"][0]
    assert a.shape == (len(labels), res.n)
    ev_t, ev_ctx, ev_lab = ezc3d_events(c)
    assert len(ev_t) == n_events == c["parameters"]["EVENT"]["USED"]["value"][0]
    for foot, (contact, toe) in steps.items():
        side = "Left" if foot == 0 else "Right"
        np.testing.assert_allclose(
            _strikes(ev_t, ev_ctx, ev_lab, side, "Foot Strike"), contact, atol=2e-5
        )
        np.testing.assert_allclose(_strikes(ev_t, ev_ctx, ev_lab, side, "Foot Off"), toe, atol=2e-5)

    r, a2, times = read_with_c3d(out)
    assert r.frame_count == res.n and a2.shape == a.shape
    assert [x.strip() for x in r.analog_labels] == labels
    np.testing.assert_array_equal(a2, a)  # every frame, the same floats in both readers
    t2 = np.concatenate([v.reshape(-1, 2) for v in times.values()])
    np.testing.assert_allclose(t2[:, 0] * 60 + t2[:, 1], ev_t, atol=1e-6)
    for foot, (contact, toe) in steps.items():
        p = "L" if foot == 0 else "R"
        got = event_times_from_channel(a2[labels.index(f"{p}_strike")], rate)
        np.testing.assert_allclose(got, contact, atol=1e-6)
        got = event_times_from_channel(a2[labels.index(f"{p}_off")], rate)
        np.testing.assert_allclose(got, toe, atol=1e-6)


def _two_hours() -> tuple[float, np.ndarray, list[Event], dict[str, np.ndarray]]:
    rate = 100.0
    n = 2 * 3600 * 100
    # 180 steps/min of both feet: each foot strikes every 2/3 s, stance 0.22 s
    strike = {"Left": np.arange(0.31, n / rate - 1, 2 / 3)}
    strike["Right"] = strike["Left"] + 1 / 3
    truth = {}
    events: list[Event] = []
    rows = []
    for side, t in strike.items():
        for kind, tt in (("Foot Strike", t), ("Foot Off", t + 0.2234)):
            truth[f"{side} {kind}"] = tt
            events += [Event(float(x), side, kind) for x in tt]
            f, v = event_channel_value(tt, rate)
            ch = np.zeros(n, np.float32)
            ch[f] = v
            rows.append(ch)
    ramp = (np.arange(n) % 1000).astype(np.float32)
    analogs = np.vstack([ramp, -ramp, *rows])
    return rate, analogs, events, truth


@pytest.mark.slow
def test_two_hour_file_reopens_whole_in_ezc3d_and_c3d(tmp_path: Path) -> None:
    rate, analogs, events, truth = _two_hours()
    labels = ["up", "down", "L_strike", "L_off", "R_strike", "R_off"]
    out = tmp_path / "two_hours.c3d"
    with open(out, "wb") as fh:
        blocks = write_c3d(fh, rate, labels, ["N"] * 6, [""] * 6, analogs, events)
    n = analogs.shape[1]
    assert n == 720_000 and len(events) == 43_196 and blocks > 255

    c = ezc3d.c3d(str(out))
    a = c["data"]["analogs"][0]
    assert a.shape == analogs.shape
    np.testing.assert_array_equal(a, analogs)
    ev_t, ev_ctx, ev_lab = ezc3d_events(c)
    assert len(ev_t) == len(events)
    for key, tt in truth.items():
        side, kind = key.split(" ", 1)
        # TIMES are float32 seconds within the minute: a few microseconds
        np.testing.assert_allclose(_strikes(ev_t, ev_ctx, ev_lab, side, kind), tt, atol=1e-5)

    r, a2, times = read_with_c3d(out)
    assert r.frame_count == n
    np.testing.assert_array_equal(a2, analogs)
    for i, key in enumerate(truth):
        np.testing.assert_allclose(event_times_from_channel(a2[2 + i], rate), truth[key], atol=1e-6)
    # the EVENT chunks this reader reaches (255 parameter blocks) are a correct prefix
    t2 = np.concatenate([v.reshape(-1, 2) for v in times.values()])
    assert 0 < len(t2) < len(events)
    np.testing.assert_allclose(t2[:, 0] * 60 + t2[:, 1], ev_t[: len(t2)], atol=1e-6)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n_frames=st.integers(1, 400),
    times=st.lists(st.floats(0, 3.99, allow_nan=False), max_size=700),
    rate=st.sampled_from([50.0, 100.0, 200.0]),
)
def test_any_small_file_round_trips_in_both_readers(
    tmp_path: Path, n_frames: int, times: list[float], rate: float
) -> None:
    times = sorted(t for t in times if t * rate < n_frames - 0.5)
    events = [Event(t, "Left" if i % 2 else "Right", "Foot Strike") for i, t in enumerate(times)]
    analogs = np.arange(2 * n_frames, dtype=np.float32).reshape(2, n_frames)
    out = tmp_path / "x.c3d"
    with open(out, "wb") as fh:
        write_c3d(fh, rate, ["a", "b"], ["N", "mm"], ["", ""], analogs, events)
    c = ezc3d.c3d(str(out))
    np.testing.assert_array_equal(c["data"]["analogs"][0], analogs)
    ev_t, _, _ = ezc3d_events(c)
    np.testing.assert_allclose(ev_t, times, atol=1e-5)
    r, a2, t2 = read_with_c3d(out)
    assert r.frame_count == n_frames
    np.testing.assert_array_equal(a2, analogs)
    got = np.concatenate([v.reshape(-1, 2) for v in t2.values()]) if t2 else np.zeros((0, 2))
    np.testing.assert_allclose(got[:, 0] * 60 + got[:, 1], times, atol=1e-5)


def test_write_c3d_refuses_what_it_cannot_store(tmp_path: Path) -> None:
    with open(tmp_path / "x.c3d", "wb") as fh:
        with pytest.raises(ValueError, match="no frames"):
            write_c3d(fh, 100.0, ["a"], ["N"], [""], np.zeros((1, 0)), [])
        with pytest.raises(ValueError, match="do not match"):
            write_c3d(fh, 100.0, ["a", "b"], ["N"], [""], np.zeros((1, 5)), [])


def test_failed_c3d_export_leaves_no_file_behind(
    run_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = read_sessions(run_file)
    out = tmp_path / "run.c3d"
    out.write_bytes(b"an older export")

    def broken(fh: object, *args: object) -> int:
        fh.write(b"half a file")  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(c3d_export, "write_c3d", broken)
    with pytest.raises(OSError, match="No space"):
        export_c3d(sessions, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.c3d"]
    assert out.read_bytes() == b"an older export"


def test_c3d_of_steps_only_is_a_clear_error(run_file: Path, tmp_path: Path) -> None:
    s = read_sessions(run_file)[1]
    s.sample_t_us = s.sample_t_us[:0]
    s.cells = s.cells[:0]
    with pytest.raises(ExportError, match="no raw samples to export to C3D"):
        export_c3d([s], tmp_path / "x.c3d")
    left = read_sessions(run_file)[0]
    res = export_c3d([left, s], tmp_path / "one.c3d")
    assert any("right: no raw samples" in n for n in res.notes)
    with pytest.raises(ExportError, match="same foot"):
        export_c3d([left, left], tmp_path / "two.c3d")
    assert not list(tmp_path.glob(".*tmp*"))
