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
from stridekit.session import SessionWriter, iter_records
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
    """The same session with one Step record's peak force changed (re-framed, valid CRC)."""
    recs, _, _ = iter_records(data)
    w = SessionWriter()
    done = False
    for r in recs:
        payload = r.payload
        if r.rtype == R.REC_STEP and not done:
            st = R.Step.from_bytes(payload)
            st.peak_force_dn += 1
            payload = st.to_bytes()
            done = True
        w.add(r.rtype, payload)
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
