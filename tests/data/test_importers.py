"""Importers: decoding, unit/axis mapping, reference events, clear errors on bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from stridefw import calib, layouts
from stridefw import records as R
from stridekit.errors import StrideError
from stridekit.importers import gaitmap, gaitndd, gaitpdb, ipol
from stridekit.importers.common import BadImportFile, adc_from_newtons, record
from stridekit.replay import replay
from stridekit.session import read_sessions


# ------------------------------------------------------------------ no data needed
def test_fsr_model_reads_back_through_the_nominal_table() -> None:
    f_n = np.array([0.0, 5.0, 20.0, 100.0, 400.0, 800.0, 1200.0])
    a = adc_from_newtons(f_n)
    assert a[0] == 0 and a[4] in (2047, 2048)  # F_half: half scale
    cal = calib.nominal(1)
    back = np.array([cal.force_dn(0, int(x)) for x in a]) / 10
    # table interpolation + rounding to counts: within 1 % + 0.5 N
    assert np.all(np.abs(back - f_n) <= 0.01 * f_n + 0.5)
    assert adc_from_newtons(np.array([-3.0, 1e9])).tolist() == [0, 4095]


def _pack_212(x: list[int]) -> bytes:
    out = bytearray()
    v = [s & 0xFFF for s in x] + ([0] if len(x) % 2 else [])
    for a, b in zip(v[0::2], v[1::2], strict=True):
        out += bytes([a & 0xFF, (a >> 8) | ((b >> 8) << 4), b & 0xFF])
    return bytes(out[: (3 * len(x) + 1) // 2])


@pytest.mark.parametrize("x", [[0, 1, -1, 2047, -2048, 1000], [5, -7, 300], [-2048]])
def test_format_212_decoder(x: list[int]) -> None:
    assert gaitndd.decode_212(_pack_212(x))[: len(x)].tolist() == x


def _write_ndd(tmp: Path, n: int, checksum_ok: bool = True) -> Path:
    x = [((i * 37) % 3000) - 1500 for i in range(n)]
    x[3] = -2048
    chk = sum(x) & 0xFFFF
    chk = chk - 0x10000 if chk >= 0x8000 else chk
    if not checksum_ok:
        chk += 1
    hea = f"rec1 2 300 {n}\r\n"
    for ext, d in ((".let", "left-foot"), (".rit", "right-foot")):
        hea += f"rec1{ext} 212 3000 12 0 {x[0]} {chk} 0 {d}\r\n"
        (tmp / f"rec1{ext}").write_bytes(_pack_212(x))
    (tmp / "rec1.hea").write_text(hea)
    return tmp / "rec1"


def test_gaitndd_synthetic_record_invalid_samples_left_out(tmp_path: Path) -> None:
    base = _write_ndd(tmp_path, 600)
    rec = gaitndd.read(base, keep_rate=True)
    foot = rec.feet[0]
    assert foot.layout_id == layouts.LAYOUT_1 and foot.rate_hz == 300
    assert len(foot.t_us) == 599 and foot.invalid_samples == 1  # sample 3 left out
    assert foot.t_us[0] == 0 and 10_000 not in foot.t_us.tolist()  # sample 3 (10 ms) is gone
    assert any("invalid samples" in s for s in foot.issues)
    rec100 = gaitndd.read(base)  # every third sample: sample 3 is one of them
    assert rec100.feet[0].rate_hz == 100 and len(rec100.feet[0].t_us) == 199


def test_gaitndd_bad_checksum_and_truncation_name_the_file(tmp_path: Path) -> None:
    base = _write_ndd(tmp_path, 600, checksum_ok=False)
    with pytest.raises(BadImportFile, match=r"rec1\.let.*checksum"):
        gaitndd.read(base)
    base = _write_ndd(tmp_path, 600)
    let = base.with_suffix(".let")
    let.write_bytes(let.read_bytes()[:700])
    with pytest.raises(BadImportFile, match=r"rec1\.let: byte 700: truncated") as e:
        gaitndd.read(base)
    assert isinstance(e.value, ValueError) and isinstance(e.value, StrideError)


def test_gaitndd_header_errors_name_the_line(tmp_path: Path) -> None:
    base = _write_ndd(tmp_path, 10)
    hea = base.with_suffix(".hea")
    hea.write_text("rec1 2 300 10\r\nrec1.let 212 3000 12 0 x y 0 left\r\nrec1.rit 212\r\n")
    with pytest.raises(BadImportFile, match=r"rec1\.hea: line 2: bad signal line"):
        gaitndd.read(base)
    hea.write_text("rec1 2 300 10\r\nrec1.let 212 3000 12 0 0 0 0 left\r\n")
    with pytest.raises(BadImportFile, match=r"2 signals announced, 1 found"):
        gaitndd.read(base)
    base.with_suffix(".ts").write_text("1.0 2.0\n")
    with pytest.raises(BadImportFile, match=r"rec1\.ts: line 1: expected 13 columns"):
        gaitndd.read_ts(base.with_suffix(".ts"))


def _pdb_line(t: float, v: float = 10.0) -> str:
    vals = [t] + [v] * 16 + [8 * v, 8 * v]
    return "\t".join(f"{x:.4f}" if i == 0 else f"{x:g}" for i, x in enumerate(vals)) + "\r\n"


def test_gaitpdb_malformed_lines_are_named(tmp_path: Path) -> None:
    p = tmp_path / "GaCo99_01.txt"
    good = "".join(_pdb_line(i / 100) for i in range(50))
    p.write_text(good + "0.5000\t1\t2\r\n")  # a truncated last line
    with pytest.raises(
        BadImportFile, match=r"GaCo99_01\.txt: line 51: expected 19 columns, found 3"
    ):
        gaitpdb.read(p)
    p.write_text(good.replace("\t10\t", "\tx\t", 1))
    with pytest.raises(BadImportFile, match=r"line 1: not a number"):
        gaitpdb.read(p)
    p.write_text(good + _pdb_line(0.2))
    with pytest.raises(BadImportFile, match=r"line 51: time does not increase"):
        gaitpdb.read(p)
    bad_total = good.replace("\t80\t80\r\n", "\t81\t80\r\n", 1)
    p.write_text(bad_total)
    with pytest.raises(
        BadImportFile, match=r"line 1: column 18 is not the sum of the left sensors"
    ):
        gaitpdb.read(p)
    p.write_text("")
    with pytest.raises(BadImportFile, match="no data lines"):
        gaitpdb.read(p)


def test_ipol_and_gaitmap_errors_name_the_place(tmp_path: Path) -> None:
    f = tmp_path / "1-1_lf.txt"
    f.write_text("Acquisition frequency: 50 Hz\n")
    with pytest.raises(BadImportFile, match=r"line 2: truncated"):
        ipol.read_foot_file(f)
    f.write_text("Acquisition frequency: 100 Hz\n" + "\t".join(ipol.COLUMNS) + "\n0.0\t1\t2\n")
    with pytest.raises(BadImportFile, match=r"1-1_lf\.txt: line 3: expected 10 columns"):
        ipol.read_foot_file(f)
    row = "\t".join(["{}"] + ["0.1"] * 9) + "\n"
    f.write_text(
        "Acquisition frequency: 100 Hz\n"
        + "\t".join(ipol.COLUMNS)
        + "\n"
        + row.format("5.0")
        + row.format("4.0")
    )
    with pytest.raises(BadImportFile, match=r"line 4: packet counter goes back"):
        ipol.read_foot_file(f)
    (tmp_path / "1-1.json").write_text('{"LeftFootEvents": [[1, 2, 3]], "RightFootEvents": []}')
    with pytest.raises(BadImportFile, match=r"LeftFootEvents: expected a list"):
        ipol.read(tmp_path / "1-1")
    g = tmp_path / "imu_sample.csv"
    g.write_text("sensor,left_sensor\naxis,acc_x\n0,1.0\n")
    with pytest.raises(BadImportFile, match=r"no column for left_sensor acc_y"):
        gaitmap.read(g)


# ------------------------------------------------------------------ the real files
def test_gaitndd_decodes_every_signal_as_published(gaitndd_dir: Path) -> None:
    """Checksums and lengths match every header; -2048 counts match SOURCE.md."""
    bad = {}
    for base in gaitndd.find(gaitndd_dir):
        hdr = gaitndd.read_header(base.with_suffix(".hea"))
        assert hdr.fs_hz == 300 and hdr.n_samples == 90000
        for spec in hdr.signals:
            x = gaitndd.read_signal(base.parent / spec.file, spec, hdr.n_samples)  # checksum
            bad[spec.file] = int(np.count_nonzero(x == gaitndd.INVALID))
    assert len(bad) == 66
    assert bad["als5.rit"] == 26546 and bad["hunt13.rit"] == 2251


def test_gaitndd_reference_events_are_the_ts_times(gaitndd_dir: Path) -> None:
    rec = gaitndd.read(gaitndd_dir / "data" / "control1")
    ts = rec.tables["ts"]
    left, right = rec.feet
    first = ts[0, 0] - ts[0, 1]  # the rows chain: the first stride's start is a contact too
    np.testing.assert_allclose(left.ref_times_s(R.REF_CONTACT), [first, *ts[:, 0]], atol=1e-6)
    np.testing.assert_allclose(left.ref_times_s(R.REF_TOE_OFF), ts[:, 0] - ts[:, 3], atol=1e-6)
    assert {r.source for r in left.refs} == {2} and right.refs == []
    assert left.rate_hz == 100 and np.all(np.diff(left.t_us) == 10_000)


def test_gaitpdb_maps_sensors_to_the_8_cell_layout(gaitpdb_dir: Path) -> None:
    path = gaitpdb_dir / "data" / "GaCo01_01.txt"
    rec = gaitpdb.read(path)
    t, fl, fr = gaitpdb.force_n(path)
    assert [f.foot for f in rec.feet] == [0, 1]
    cal = calib.nominal(8)
    for foot, force in zip(rec.feet, (fl, fr), strict=True):
        assert foot.layout_id == layouts.LAYOUT_8
        i = int(np.argmax(force.sum(axis=1)))  # the most loaded sample
        back = np.array([cal.force_dn(c, int(foot.cells[i, c])) for c in range(8)]) / 10
        np.testing.assert_allclose(back, force[i], rtol=0.02, atol=0.6)
        assert {r.source for r in foot.refs} == {4}
    assert rec.meta["group"] == "control" and len(t) == len(rec.feet[0].t_us)


def test_ipol_axes_units_and_dropped_packets(ipol_dir: Path) -> None:
    """Ours: x to the toes, y left, z up -- gravity mostly on +z, mid-swing gy < 0."""
    rec = ipol.read(ipol_dir / "GaitData" / "1-1")
    for foot in rec.feet:
        assert foot.imu is not None and foot.imu_present is not None
        rest = foot.imu[:50, :3].mean(axis=0)
        assert 600 < rest[2] < 1000 and rest[0] < 0  # instep pitched ~35 deg, toes down
        assert 950 < np.linalg.norm(rest) < 1080  # 1 g in mg
        c = foot.ref_times_s(R.REF_CONTACT)
        o = foot.ref_times_s(R.REF_TOE_OFF)
        mid = np.rint((c + o) / 2 * 100).astype(int)  # mid-swing sample
        mid = mid[foot.imu_present[mid]]
        assert np.median(foot.imu[mid, 4]) < -1000  # toes rising: -y rotation, > 100 deg/s
        assert foot.dropped_packets == int(np.count_nonzero(~foot.imu_present)) > 0
        assert np.all(foot.cells == 0) and foot.layout_id == layouts.LAYOUT_1
    assert rec.feet[0].dropped_packets == 86  # 2999 ticks, 2913 rows


def test_ipol_repeated_packet_is_kept_once(ipol_dir: Path) -> None:
    rec = ipol.read(ipol_dir / "GaitData" / "11-1")
    assert any("repeated packet" in s for s in rec.feet[0].issues)


def test_gaitmap_axes_are_ours(gaitmap_dir: Path) -> None:
    for name in gaitmap.RECORDS:
        rec = gaitmap.read(gaitmap_dir, name=name)
        for foot in rec.feet:
            assert foot.imu is not None
            assert foot.rate_hz == 102  # 204.8 Hz halved; 102.4 Hz kept
            assert np.median(foot.imu[:20, 2]) > 700  # z up
            assert {r.source for r in foot.refs} == {3}
    rec = gaitmap.read(gaitmap_dir / "imu_sample.csv")
    foot = rec.feet[0]
    c = foot.ref_times_s(R.REF_CONTACT)
    o = foot.ref_times_s(R.REF_TOE_OFF)
    assert len(c) == 29 and len(o) == 28
    t = foot.t_us / 1e6
    mids = [int(np.searchsorted(t, (a + b) / 2)) for a, b in zip(o, c[1:], strict=True)]
    assert foot.imu is not None and np.median(foot.imu[mids, 4]) < -1500


def test_imported_file_replays_bit_identical(gaitpdb_dir: Path, tmp_path: Path) -> None:
    rec = gaitpdb.read(gaitpdb_dir / "data" / "JuCo01_01.txt")
    rr = record(rec)
    path = tmp_path / "JuCo01_01.strd"
    path.write_bytes(rr.data)
    sessions = read_sessions(path)
    assert [s.foot for s in sessions] == ["left", "right"]
    for s, foot in zip(sessions, rec.feet, strict=True):
        assert s.issues == [] and s.end is not None and len(s.steps) > 30
        assert s.header.calib == calib.nominal(8).to_bytes()
        res = replay(s)
        assert res.steps_identical and res.flags_identical
        assert len(s.refs) == len(foot.refs) and {r.source for r in s.refs} == {4}
        assert any(n.text.startswith("imported from gaitpdb JuCo01_01") for n in s.notes)


def test_a_copied_and_cut_gaitpdb_file_is_refused(gaitpdb_dir: Path, tmp_path: Path) -> None:
    src = gaitpdb_dir / "data" / "JuCo01_01.txt"
    dst = tmp_path / "JuCo01_01.txt"
    shutil.copyfile(src, dst)
    data = dst.read_bytes()
    dst.write_bytes(data[: len(data) // 2 - 5])
    with pytest.raises(BadImportFile, match=r"JuCo01_01\.txt: line \d+: expected 19 columns"):
        gaitpdb.read(dst)


def test_ipol_meta_json_damage_is_named(ipol_dir: Path, tmp_path: Path) -> None:
    for suffix in ("_lf.txt", "_rf.txt"):
        shutil.copyfile(ipol_dir / "GaitData" / f"2-1{suffix}", tmp_path / f"2-1{suffix}")
    meta = json.loads((ipol_dir / "GaitData" / "2-1.json").read_text())
    (tmp_path / "2-1.json").write_text(json.dumps(meta)[:-40])
    with pytest.raises(BadImportFile, match=r"2-1\.json: line 1: bad JSON"):
        ipol.read(tmp_path / "2-1")
