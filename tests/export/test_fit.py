"""FIT export, read back by fitdecode (an independent decoder): record count and values."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import fitdecode
import numpy as np
import pytest

from stridekit.export import ExportError
from stridekit.export.fit import FIT_EPOCH_S, MAX_STRIDE_S, export_fit
from stridekit.library import started_at
from stridekit.session import Session, read_sessions


def _decode(path: Path) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.ENABLED) as fr:
        for frame in fr:
            if isinstance(frame, fitdecode.FitDataMessage):
                out.setdefault(frame.name, []).append({f.name: f.value for f in frame.fields})
    return out


def _expected(sessions: list[Session], speed: float | None) -> dict[int, dict[str, float]]:
    """Per-second values computed here from the Step records, independently of fit.py."""
    per: dict[int, list[tuple[int, float | None, float, float, float]]] = {}
    for s in sessions:
        start = started_at(s)
        assert start is not None
        contact, _ = s.step_times_s()
        for i, (st, c) in enumerate(zip(s.steps, contact, strict=True)):
            stride = c - contact[i - 1] if i else None
            if stride is not None and stride > MAX_STRIDE_S:
                stride = None
            per.setdefault(math.floor(start + c), []).append(
                (
                    s.header.foot,
                    stride,
                    st.stance_us / 1000,
                    st.peak_force_dn / 10,
                    st.cop_x_mean_dmm / 10,
                )
            )
    want: dict[int, dict[str, float]] = {}
    first = min(per)
    for sec, g in per.items():
        d: dict[str, float] = {
            "stance_time": float(np.mean([x[2] for x in g])),
            "peak_force": float(np.mean([x[3] for x in g])),
            "cop_x": float(np.mean([x[4] for x in g])),
        }
        strides = [x[1] for x in g if x[1] is not None]
        if strides:
            d["strides_per_min"] = 60 / float(np.mean(strides))
            if speed is not None:
                d["step_length"] = speed / (d["strides_per_min"] * 2 / 60) * 1000
            d["stance_time_percent"] = float(
                np.mean([100 * x[2] / (1000 * x[1]) for x in g if x[1] is not None])
            )
        if speed is not None:
            d["speed"] = speed
            d["distance"] = speed * (sec + 1 - first)
        left = [x[2] for x in g if x[0] == 0]
        right = [x[2] for x in g if x[0] == 1]
        if left and right:
            d["stance_time_balance"] = float(100 * np.mean(left) / (np.mean(left) + np.mean(right)))
        want[sec] = d
    return want


def test_fit_records_read_back_with_the_right_count_and_values(
    run_file: Path, tmp_path: Path
) -> None:
    sessions = read_sessions(run_file)
    out = tmp_path / "run.fit"
    res = export_fit(sessions, out, speed_m_s=3.0)
    msgs = _decode(out)
    want = _expected(sessions, 3.0)
    recs = msgs["record"]
    assert res.n == len(recs) == len(want) > 8
    assert res.notes == []
    for r in recs:
        ts = r["timestamp"]
        sec = int(ts.timestamp())  # type: ignore[attr-defined]
        w = want[sec]
        assert r["stance_time"] == pytest.approx(w["stance_time"], abs=0.051)
        assert r["peak_force"] == pytest.approx(w["peak_force"], rel=1e-6)
        assert r["cop_x"] == pytest.approx(w["cop_x"], rel=1e-6, abs=1e-6)
        if "strides_per_min" in w:
            cad = float(r["cadence"]) + float(r["fractional_cadence"])  # type: ignore[arg-type]
            assert cad == pytest.approx(w["strides_per_min"], abs=1 / 256 + 1e-9)
            assert r["step_length"] == pytest.approx(w["step_length"], abs=0.051)
            assert r["stance_time_percent"] == pytest.approx(w["stance_time_percent"], abs=0.0051)
            # FIT cadence is strides/min: a runner at ~170 steps/min reads ~85
            assert 70 < cad < 100
        else:
            assert r.get("cadence") is None
        if "stance_time_balance" in w:
            assert r["stance_time_balance"] == pytest.approx(w["stance_time_balance"], abs=0.0051)
        assert r["enhanced_speed"] == pytest.approx(w["speed"], abs=0.001)
        assert r["distance"] == pytest.approx(w["distance"], abs=0.011)
    (sess,) = msgs["session"]
    assert sess["sport"] == "running" and sess["num_laps"] == 1
    start = min(started_at(s) or 0 for s in sessions)
    assert int(sess["start_time"].timestamp()) == math.floor(start)  # type: ignore[attr-defined]
    assert len(msgs["device_info"]) == 2 and len(msgs["field_description"]) == 4
    assert msgs["file_id"][0]["type"] == "activity"
    assert FIT_EPOCH_S == 631065600


def test_one_foot_leaves_out_balance_and_says_so(run_file: Path, tmp_path: Path) -> None:
    left = read_sessions(run_file)[:1]
    res = export_fit(left, tmp_path / "left.fit")
    assert any("stance_time_balance needs both" in n for n in res.notes)
    recs = _decode(tmp_path / "left.fit")["record"]
    assert len(recs) == res.n and all("stance_time_balance" not in r for r in recs)


def test_speed_distance_and_step_length_come_from_the_foot_imu(
    run_file: Path, tmp_path: Path
) -> None:
    """Without --speed: the ZUPT strides of both feet, aggregated here independently."""
    from stridekit.analysis.zupt import session_strides

    sessions = read_sessions(run_file)
    out = tmp_path / "imu.fit"
    res = export_fit(sessions, out)
    assert res.notes == []
    ends, lengths, speeds, per_foot_cum = [], [], [], []
    for s in sessions:
        st = session_strides(s)
        assert st is not None and len(st.length_m) > 5
        start = started_at(s)
        assert start is not None
        e = start + st.t_end_s
        ends.append(e)
        lengths.append(st.length_m)
        speeds.append(st.speed_m_s)
        per_foot_cum.append((e, st.length_m))
    e_all = np.concatenate(ends)
    l_all = np.concatenate(lengths)
    v_all = np.concatenate(speeds)
    recs = _decode(out)["record"]
    seen_speed = 0
    for r in recs:
        sec = int(r["timestamp"].timestamp())  # type: ignore[attr-defined]
        sel = (e_all >= sec) & (e_all < sec + 1)
        if sel.any():
            seen_speed += 1
            assert r["enhanced_speed"] == pytest.approx(float(np.mean(v_all[sel])), abs=0.001)
            assert r["step_length"] == pytest.approx(500 * float(np.mean(l_all[sel])), abs=0.051)
        else:
            assert r.get("enhanced_speed") is None
        want = np.mean([ln[e < sec + 1].sum() for e, ln in per_foot_cum])
        assert r["distance"] == pytest.approx(float(want), abs=0.011)
    assert seen_speed > 5
    d = [float(r["distance"]) for r in recs]  # type: ignore[arg-type]
    assert d == sorted(d)
    (sess,) = _decode(out)["session"]
    assert sess["total_distance"] == pytest.approx(d[-1], abs=0.011)
    assert float(sess["avg_stance_time_percent"]) > 0  # type: ignore[arg-type]


def test_the_garmin_sdk_reads_every_field_and_developer_field(
    run_file: Path, tmp_path: Path
) -> None:
    from garmin_fit_sdk import Decoder, Stream

    out = tmp_path / "sdk.fit"
    res = export_fit(read_sessions(run_file), out)
    assert Decoder(Stream.from_file(str(out))).check_integrity()
    raw, errors = Decoder(Stream.from_file(str(out))).read()
    assert errors == []
    msgs: dict[str, list[dict[str, Any]]] = dict(raw)  # type: ignore[arg-type]
    recs = msgs["record_mesgs"]
    assert len(recs) == res.n
    names = {d["field_name"] for d in msgs["field_description_mesgs"]}
    assert names == {"peak_force", "impulse", "cop_x", "cop_ml_range"}
    for key in ("distance", "stance_time"):
        assert all(key in r for r in recs), key
    # the first second of a foot has no stride time yet: no cadence or stance percent
    for key in ("stance_time_percent", "cadence", "fractional_cadence"):
        assert sum(key in r for r in recs) >= len(recs) - 2, key
    assert any("enhanced_speed" in r and "step_length" in r for r in recs)
    assert all(len(r["developer_fields"]) == 4 for r in recs)
    (sess,) = msgs["session_mesgs"]
    assert sess["total_distance"] > 0 and sess["sport"] == "running"


def test_a_steps_only_session_says_it_has_no_speed(run_file: Path, tmp_path: Path) -> None:
    s = read_sessions(run_file)[0]
    s.sample_t_us = s.sample_t_us[:0]
    res = export_fit([s], tmp_path / "steps.fit")
    assert any("no raw IMU samples" in n for n in res.notes)
    recs = _decode(tmp_path / "steps.fit")["record"]
    assert all(r.get("distance") is None and r.get("enhanced_speed") is None for r in recs)


def test_distance_goes_on_after_raw_capture_stops(run_file: Path, tmp_path: Path) -> None:
    """A pod whose flash filled keeps recording steps but no raw samples: the strides
    after that count the median IMU stride, so the total stays near the whole-IMU one."""
    whole = export_fit(read_sessions(run_file), tmp_path / "whole.fit")
    assert whole.notes == []
    sessions = read_sessions(run_file)
    for s in sessions:
        keep = s.sample_t_us < s.sample_t_us[-1] // 2  # raw capture stopped half way
        s.sample_t_us, s.cells = s.sample_t_us[keep], s.cells[keep]
        s.imu, s.imu_present = s.imu[keep], s.imu_present[keep]
    cut = export_fit(sessions, tmp_path / "cut.fit")
    assert sum("raw IMU ends at" in n for n in cut.notes) == 2, cut.notes
    (w,) = _decode(tmp_path / "whole.fit")["session"]
    (c,) = _decode(tmp_path / "cut.fit")["session"]
    total_w, total_c = float(w["total_distance"]), float(c["total_distance"])  # type: ignore[arg-type]
    assert total_c == pytest.approx(total_w, rel=0.05)
    # without the extension the total would stop at about half
    d = [float(r["distance"]) for r in _decode(tmp_path / "cut.fit")["record"]]  # type: ignore[arg-type]
    assert d == sorted(d) and d[-1] > 0.8 * total_w


def test_no_steps_is_a_clear_error(run_file: Path, tmp_path: Path) -> None:
    s = read_sessions(run_file)[0]
    s.steps = []
    with pytest.raises(ExportError, match="no steps to export to FIT"):
        export_fit([s], tmp_path / "none.fit")
    assert not (tmp_path / "none.fit").exists()
    with pytest.raises(ExportError, match="no sessions"):
        export_fit([], tmp_path / "none.fit")
