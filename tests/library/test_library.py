"""The session library: import, idempotence, partial -> complete, damage, tags, schema, CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridefw import records as R
from stridefw import sampleblock as SB
from stridekit import library as L
from stridekit.cli import app
from stridekit.errors import BadSessionFile
from stridekit.library import Library
from stridekit.session import Session, iter_records, read_sessions, sessions_from_records
from stridekit.sim.record import write_run
from tests.conftest import sim

runner = CliRunner()


@pytest.fixture(scope="module")
def run_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lib") / "run.strd"
    write_run(sim(seed=51, duration_s=12.0), path)
    return path


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib" / "library.sqlite")


def test_import_stores_each_foot_with_its_summary(lib: Library, run_file: Path) -> None:
    res = lib.import_file(run_file)
    want = read_sessions(run_file)
    assert len(res.session_ids) == 2 and res.added == res.session_ids and res.issues == []
    rows = lib.sessions()
    assert [r.foot for r in rows] == ["left", "right"]
    for row, s in zip(rows, want, strict=True):
        assert row.state == "complete"
        assert row.n_steps == len(s.steps) > 10
        assert row.n_samples == len(s.sample_t_us)
        assert row.duration_s == pytest.approx(s.duration_s)
        assert row.device_id == s.header.device_id.hex()
        # the simulator's Sync pairs device time 0 with the run's start on the host clock
        assert row.started_at == pytest.approx(s.header.epoch_s, abs=1.0)
        back = lib.load(row.id)
        assert back.step_payloads == s.step_payloads
        assert (back.cells == s.cells).all()
        assert lib.session_path(row.id).parent == lib.files
    # both sessions' bytes, concatenated, are exactly the file
    joined = b"".join(lib.session_path(r.id).read_bytes() for r in rows)
    assert joined == run_file.read_bytes()


def test_importing_the_same_bytes_twice_changes_nothing(lib: Library, run_file: Path) -> None:
    first = lib.import_file(run_file)
    files = sorted(p.name for p in lib.files.iterdir())
    again = lib.import_file(run_file)
    assert again.session_ids == first.session_ids
    assert again.unchanged == first.session_ids and not again.added and not again.replaced
    assert len(lib.sessions()) == 2
    assert sorted(p.name for p in lib.files.iterdir()) == files


def test_half_synced_session_is_partial_then_replaced_by_the_complete_one(
    lib: Library, run_file: Path
) -> None:
    data = run_file.read_bytes()
    left = L.split_sessions(data)[0]
    half = left[: len(left) // 2 + 3]  # cut inside a frame, as a dropped link leaves it
    res = lib.import_bytes(half, "half.strd", source="sync")
    (sid,) = res.session_ids
    row = lib.session(sid)
    assert row.state == "partial" and any("no SessionEnd" in i for i in row.issues)
    assert row.bytes_synced == len(half)
    assert lib.sync_offset(row.device_id, row.device_session_id) == len(half)
    assert 0 < row.synced_up_to_us < read_sessions(run_file)[0].sample_t_us[-1]
    lib.set_runner([sid], "ana")
    lib.set_shoe([sid], "toning")
    # resume: the rest of the bytes, from the offset the library reports
    res = lib.extend(sid, left[row.bytes_synced :])
    assert res.replaced == [sid]
    row = lib.session(sid)
    assert row.state == "complete" and row.bytes_synced == len(left) and row.issues == []
    assert (row.runner, row.shoe) == ("ana", "toning")  # tags survive the replacement
    assert len(list(lib.files.iterdir())) == 1  # the partial file is gone
    # the whole two-foot file: left unchanged, right added
    res = lib.import_file(run_file)
    assert res.unchanged == [sid] and len(res.added) == 1
    # an older, shorter copy arriving late does not replace the complete one
    res = lib.import_bytes(half, "late.strd")
    assert res.session_ids == [sid] and res.unchanged == [sid]
    assert lib.session(sid).state == "complete"


def _middle_sample_block_at(data: bytes) -> int:
    """A byte inside the SampleBlock frame nearest the middle of the file."""
    at, best = 0, -1
    for chunk in data.split(b"\x00"):
        recs, _ = R.decode_all(b"\x00" + chunk + b"\x00")
        mid = at + len(chunk) // 2
        if (
            recs
            and recs[0].rtype == R.REC_SAMPLE_BLOCK
            and (best < 0 or abs(mid - len(data) // 2) < abs(best - len(data) // 2))
        ):
            best = mid
        at += len(chunk) + 1
    assert best >= 0
    return best


def test_corrupt_frame_marks_the_session_damaged_and_keeps_the_rest(
    lib: Library, run_file: Path
) -> None:
    data = bytearray(L.split_sessions(run_file.read_bytes())[1])
    data[_middle_sample_block_at(bytes(data))] ^= 0x55
    res = lib.import_bytes(bytes(data), "bad.strd")
    row = lib.session(res.session_ids[0])
    assert row.state == "damaged"
    assert any("CRC" in i or "COBS" in i for i in row.issues)
    assert any("SessionEnd counts" in i for i in row.issues)
    intact = read_sessions(run_file)[1]
    # one damaged frame costs at most one SampleBlock's samples
    assert len(intact.sample_t_us) - SB.BLOCK_MAX_SAMPLES <= row.n_samples < len(intact.sample_t_us)
    assert res.issues and "bad.strd (right" in res.issues[0]


def test_no_header_is_refused_with_a_clear_message(lib: Library, run_file: Path) -> None:
    """Bytes with no intact record are refused; the library holds nothing afterwards."""
    with pytest.raises(BadSessionFile, match=r"no\.strd: no intact record in \d+ bytes"):
        lib.import_bytes(b"\x05not a session\x00" * 10, "no.strd")
    with pytest.raises(BadSessionFile, match="No such file"):
        lib.import_file(lib.root / "missing.strd")
    assert lib.sessions() == []


def test_records_of_a_lost_header_are_kept_flagged(lib: Library, run_file: Path) -> None:
    """A session without its SessionHeader is kept, damaged, under the unknown pod.

    The old library refused such a file (nothing kept) and, when the lost header was
    the right foot's in a two-foot file, read the right foot's records as more of the
    left session.
    """
    data = run_file.read_bytes()
    left, right = L.split_sessions(data)
    recs, _ = R.decode_all(right)
    hdr_end = recs[1].offset - 1  # the header frame and its 0x00, and the next 0x00
    cut_right = right[:1] + right[hdr_end:]  # the header frame removed
    for blob in (cut_right, left + cut_right):
        with Library(lib.root / f"l{len(blob)}") as other:
            res = other.import_bytes(blob, "lost.strd")
            rows = {r.foot: r for r in other.sessions()}
            assert set(rows) == ({"unknown"} if blob is cut_right else {"left", "unknown"})
            lost = rows["unknown"]
            assert lost.state == "damaged" and lost.device_id == "000000000000"
            assert any("SessionHeader lost" in i for i in lost.issues)
            s = other.load(lost.id)
            want = other_session(right)
            assert s.header_lost and s.step_payloads == want.step_payloads
            assert (s.cells == want.cells).all() and s.header.n_cells == want.header.n_cells
            if "left" in rows:  # the left session is whole and complete, nothing added to it
                assert rows["left"].state == "complete"
                assert (
                    other.load(rows["left"].id).step_payloads == other_session(left).step_payloads
                )
            assert len(res.session_ids) == len(rows)


def other_session(data: bytes) -> Session:
    recs, issues, _ = iter_records(data)
    (s,) = sessions_from_records(recs, issues)
    return s


def test_tags_filter_and_shoes_belong_to_a_runner(lib: Library, run_file: Path) -> None:
    a, b = lib.import_file(run_file).session_ids
    lib.set_runner([a, b], "ana")
    lib.set_shoe([a], "toning")
    lib.set_shoe([b], "neutral")
    assert [r.id for r in lib.sessions(runner="ana")] == [a, b]
    assert [r.id for r in lib.sessions(shoe="toning")] == [a]
    assert lib.sessions(runner="bo") == []
    assert lib.runners() == [("ana", ["neutral", "toning"], 2)]
    lib.set_shoe([a], None)
    assert lib.session(a).shoe is None
    with pytest.raises(L.LibraryError, match="no session #99"):
        lib.set_runner([99], "ana")


def test_schema_migrates_and_refuses_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(L.MIGRATIONS[0] + "PRAGMA user_version = 1;")
    db.close()
    with Library(path) as lib:
        assert lib.schema_version() == L.SCHEMA_VERSION
        idx = {r[0] for r in lib.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "sessions_started" in idx
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {L.SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(L.LibraryError, match="upgrade StrideKit"):
        Library(path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 50)
    with pytest.raises(L.LibraryError, match="not a StrideKit library"):
        Library(junk)


def test_default_path_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(L.ENV_VAR, str(tmp_path / "env.sqlite"))
    assert L.default_path() == tmp_path / "env.sqlite"
    monkeypatch.delenv(L.ENV_VAR)
    assert L.default_path().name == "library.sqlite" and "stridekit" in str(L.default_path())


def test_cli_import_sessions_tag(
    tmp_path: Path, run_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stridekit.cli import library as cli_library

    # the console was sized at import (80 columns when not on a terminal, as in CI)
    monkeypatch.setattr(cli_library.console, "width", 200)
    libdir = tmp_path / "cli"
    env = {"COLUMNS": "200"}
    res = runner.invoke(app, ["import", str(run_file), "--library", str(libdir)], env=env)
    assert res.exit_code == 0, res.output
    assert "complete, complete" in res.output
    res = runner.invoke(
        app, ["tag", "1", "2", "--runner", "ana", "--shoe", "toning", "--library", str(libdir)]
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["sessions", "--runner", "ana", "--library", str(libdir)], env=env)
    assert res.exit_code == 0, res.output
    assert "2 session(s)" in res.output and res.output.count("toning") == 2
    res = runner.invoke(app, ["sessions", "--shoe", "other", "--library", str(libdir)], env=env)
    assert "0 session(s)" in res.output
    # a file that is no session: refused, named, exit 2; the good one still imports
    bad = tmp_path / "bad.strd"
    bad.write_bytes(b"\x01\x02\x03garbage\x00" * 10)
    res = runner.invoke(app, ["import", str(bad), str(run_file), "--library", str(libdir)], env=env)
    assert res.exit_code == 2 and "bad.strd: no intact record" in res.output
    res = runner.invoke(app, ["tag", "1", "--library", str(libdir)])
    assert res.exit_code == 2 and "--runner" in res.output
    # the dataset importers keep their --format contract
    res = runner.invoke(app, ["import", "--format", "gaitpdb", str(bad), str(bad)])
    assert res.exit_code != 0 and "one dataset folder" in res.output


def test_raw_capture_off_is_complete_but_missing_samples_without_a_note_is_damaged(
    lib: Library, tmp_path: Path
) -> None:
    """A pod that keeps steps but stops raw samples says so in a Note; that is no damage."""
    from stridefw import records as R
    from stridekit.sim.record import record_foot

    run = sim(seed=12, duration_s=20.0, jitter_us=0.0)
    steps_only = record_foot(run, run.feet[0], 1, raw=False)
    row = lib.session(lib.import_bytes(steps_only, "steps-only.strd").session_ids[0])
    assert row.state == "complete" and row.n_samples == 0 and row.n_steps > 10
    assert abs(row.duration_s - 20.0) < 0.1  # from the SessionEnd, not the (absent) samples
    assert any("raw samples kept" in i for i in row.issues)
    # the same file without its Note: the SessionEnd's sample count is not met
    recs, _ = R.decode_all(steps_only)
    w = bytearray()
    enc = R.Encoder()
    for r in recs:
        if r.rtype != R.REC_NOTE:
            w += enc.encode(r.rtype, r.seq, r.payload)
    other = Library(tmp_path / "other" / "library.sqlite")
    try:
        row = other.session(other.import_bytes(bytes(w), "no-note.strd").session_ids[0])
        assert row.state == "damaged"
    finally:
        other.close()
