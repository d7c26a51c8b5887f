"""`stride replay --all`: every library session replayed bit-identical, locally and on Dask."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridefw import records as R
from stridekit.batch import replay_library
from stridekit.cli import app
from stridekit.library import Library, split_sessions
from stridekit.session import iter_records, step_payloads
from stridekit.session_writer import SessionWriter
from stridekit.sim.record import write_run
from tests.conftest import sim

runner = CliRunner()


@pytest.fixture(scope="module")
def libdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("batch")
    with Library(d / "lib") as lib:
        for seed in (71, 72):
            f = d / f"run{seed}.strd"
            write_run(sim(seed=seed, duration_s=8.0), f)
            lib.import_file(f)
    return d / "lib"


def _tampered(data: bytes) -> bytes:
    """The same session with one step's peak force changed (re-framed, valid CRC);
    its StepBlocks written out as single Step records."""
    recs, _, _ = iter_records(data)
    w = SessionWriter(step_blocks=False)
    done = False
    for r in recs:
        if r.rtype not in (R.REC_STEP, R.REC_STEP_BLOCK):
            w.add(r.rtype, r.payload)
            continue
        for payload in step_payloads(r):
            if not done:
                st = R.Step.from_bytes(payload)
                st.peak_force_dn += 1
                payload = st.to_bytes()
                done = True
            w.add(R.REC_STEP, payload)
    return bytes(w.out)


def test_local_pool_replays_every_session_bit_identical(libdir: Path) -> None:
    with Library(libdir) as lib:
        seen: list[int] = []
        res = replay_library(lib, workers=2, on_done=lambda c, n, total: seen.append(n))
        assert len(res.checks) == 4 == len(seen) and seen[-1] == 4
        assert res.all_identical and all(c.error is None for c in res.checks)
        for c, row in zip(res.checks, lib.sessions(), strict=True):
            assert c.id == row.id and c.n_replayed == c.n_stored == row.n_steps
            assert c.cadence_spm is not None and 150 < c.cadence_spm < 190
        assert res.realtime_per_core > 0 and res.sessions_per_s > 0
        print(
            f"local pool: {res.sessions_per_s:.2f} sessions/s, "
            f"{res.realtime_per_core:.0f}x real time per core"
        )


def test_dask_local_cluster_finds_a_tampered_session(libdir: Path, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    with Library(tmp_path / "lib") as lib:
        for row in Library(libdir).sessions()[:2]:
            lib.import_file(Library(libdir).session_path(row.id))
        data = split_sessions(Library(libdir).session_path(3).read_bytes())[0]
        bad_id = lib.import_bytes(_tampered(data), "tampered.strd").session_ids[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dask's own deprecation/resource notices
            cluster = LocalCluster(
                processes=False,
                n_workers=1,
                threads_per_worker=1,
                dashboard_address=None,  # pyright: ignore[reportArgumentType]  (None: no dashboard)
            )
            client = Client(cluster)
            try:
                res = replay_library(lib, dask=client)
            finally:
                client.close()
                cluster.close()
        assert res.where == "dask" and len(res.checks) == 3
        bad = [c for c in res.checks if not c.identical]
        assert [c.id for c in bad] == [bad_id]
        assert bad[0].first_difference and "step 0" in bad[0].first_difference
        print(f"dask LocalCluster: {res.sessions_per_s:.2f} sessions/s")


def test_replay_all_command(libdir: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["replay", "--all", "--workers", "1", "--library", str(libdir)])
    assert res.exit_code == 0, res.output
    assert "4 sessions in" in res.output and "sessions/s" in res.output
    res = runner.invoke(app, ["replay"])
    assert res.exit_code == 2 and "--all" in res.output
    empty = runner.invoke(app, ["replay", "--all", "--library", str(tmp_path / "empty")])
    assert empty.exit_code == 0 and "0 sessions" in empty.output


def _lost_header_library(libdir: Path, where: Path, tamper: bool) -> tuple[Path, list[int]]:
    """A library with an intact session, and the next one's records whose header frame
    was destroyed (kept by the library as a session of the unknown pod)."""
    with Library(libdir) as src:
        left, right = (src.session_path(i).read_bytes() for i in (1, 2))
    bad = bytearray(right)
    bad[10] ^= 0xFF  # inside the SessionHeader frame: CRC mismatch
    with Library(where) as lib:
        res = lib.import_bytes((_tampered(left) if tamper else left) + bytes(bad), "cut.strd")
        rows = {r.id: r for r in lib.sessions()}
    lost = [i for i in res.session_ids if rows[i].foot == "unknown"]
    assert len(lost) == 1 and len(res.session_ids) == 2
    return where, lost


def test_replay_all_marks_a_lost_header_session_instead_of_failing(
    libdir: Path, tmp_path: Path
) -> None:
    """Its records are kept with a stand-in header: the kernel cannot be re-run as the pod
    ran it, so it is listed as not replayed, with the reason, and is no failure. (Before:
    'BadSessionFile: ... no session header found' as an error, exit 1.)"""
    from stridekit.errors import BadSessionFile
    from stridekit.replay import replay

    where, (lost,) = _lost_header_library(libdir, tmp_path / "lib", tamper=False)
    with Library(where) as lib:
        res = replay_library(lib, workers=1)
        session = lib.load(lost)
    by_id = {c.id: c for c in res.checks}
    c = by_id[lost]
    assert c.error is None and c.not_replayed and "SessionHeader was lost" in c.not_replayed
    assert c.n_stored > 0 and c.foot == "unknown"
    assert res.all_identical  # the intact session replays bit-identical
    with pytest.raises(BadSessionFile, match="SessionHeader was lost"):
        replay(session)
    out = runner.invoke(app, ["replay", "--all", "--workers", "1", "--library", str(where)])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert f"#{lost}: not replayed: its SessionHeader was lost" in text
    assert "Traceback" not in out.output and "error" not in text


def test_replay_all_still_fails_on_a_real_difference_beside_a_lost_header(
    libdir: Path, tmp_path: Path
) -> None:
    where, (lost,) = _lost_header_library(libdir, tmp_path / "lib", tamper=True)
    out = runner.invoke(app, ["replay", "--all", "--workers", "1", "--library", str(where)])
    assert out.exit_code == 1, out.output
    text = " ".join(out.output.split())
    assert "step 0" in text and f"#{lost}: not replayed" in text


def test_a_session_checks_the_same_from_its_bytes_as_from_its_path(libdir: Path) -> None:
    from dataclasses import replace

    from stridekit.batch import check_session

    with Library(libdir) as lib:
        row = lib.sessions()[0]
        path = lib.session_path(row.id)
    by_path = check_session(row.id, str(path))
    by_bytes = check_session(row.id, path.read_bytes())
    assert by_path.identical and by_path.n_replayed > 0
    assert replace(by_bytes, cpu_s=0.0) == replace(by_path, cpu_s=0.0)
    assert check_session(row.id, b"\x00junk").error is not None  # reported, not raised


def test_dask_worker_processes_get_the_sessions_bytes(libdir: Path) -> None:
    """A cluster of separate worker processes (as `dask worker` on other machines):
    they receive each session's bytes, so no shared file system is needed."""
    from distributed import Client, LocalCluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(
            processes=True,
            n_workers=2,
            threads_per_worker=1,
            dashboard_address=None,  # pyright: ignore[reportArgumentType]  (None: no dashboard)
        )
        client = Client(cluster)
        try:
            with Library(libdir) as lib:
                res = replay_library(lib, dask=client, ship="bytes")
                local = replay_library(lib, workers=1)
            workers = client.scheduler_info()["workers"]
        finally:
            client.close()
            cluster.close()
    assert len(workers) == 2  # two worker processes, not threads of this one
    assert res.where == "dask" and res.all_identical
    assert [(c.id, c.n_replayed, c.identical) for c in res.checks] == [
        (c.id, c.n_replayed, c.identical) for c in local.checks
    ]
