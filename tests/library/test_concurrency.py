"""Concurrent imports into one library never lose a session file (issue 18 item 1).

Two kinds of test: the races replayed deterministically (a second import runs to the
end inside the first one's window, through a hook), and real processes importing
overlapping copies of the same sessions at once, after which every row's file must
exist and decode. The deterministic ones fail on the old code every time; the
process one checks the invariants whatever the interleaving was.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import stridekit.library as L
from stridekit.library import Library, split_sessions
from stridekit.sim.record import write_run
from tests.conftest import sim


@pytest.fixture(scope="module")
def run_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    f = tmp_path_factory.mktemp("conc") / "run.strd"
    write_run(sim(seed=5, duration_s=4.0), f)
    return f.read_bytes()


def check_library(path: Path) -> list[str]:
    """Every problem in a library: rows naming missing or undecodable files, stray files."""
    problems: list[str] = []
    with Library(path) as lib:
        named = set()
        for row in lib.sessions():
            p = lib.session_path(row.id)
            named.add(p.name)
            if not p.is_file():
                problems.append(f"#{row.id}: file {p.name} is gone")
                continue
            try:
                lib.load(row.id)
            except Exception as e:  # reported, not raised
                problems.append(f"#{row.id}: {e}")
        for f in lib.files.iterdir():
            if f.name not in named:
                problems.append(f"stray file {f.name}")
    return problems


def run_inside(monkeypatch: pytest.MonkeyPatch, inner: Callable[[], None]) -> None:
    """Run `inner()` once, right after an import's first file write (its race window)."""
    real = L.write_atomic
    done = [False]

    def hooked(path: Path, data: bytes) -> None:
        real(path, data)
        if not done[0]:
            done[0] = True
            inner()

    monkeypatch.setattr(L, "write_atomic", hooked)


def test_same_bytes_imported_twice_at_once_keeps_the_file(
    tmp_path: Path, run_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B imports the same bytes between A's file write and A's transaction.

    The old code checked for a duplicate before its transaction, wrote the file under
    a name derived only from the content, then found B's row holding the same bytes,
    took its own copy for "a prefix of a stored session" and unlinked the file, which
    was B's row's file: the session was listed but its bytes were gone.
    """
    db = tmp_path / "library.sqlite"
    Library(db).close()
    results = []

    def other() -> None:
        with Library(db) as lib:
            results.append(lib.import_bytes(run_bytes, "b.strd"))

    run_inside(monkeypatch, other)
    with Library(db) as lib:
        a = lib.import_bytes(run_bytes, "a.strd")
    (b,) = results
    assert len(b.added) == 2 and sorted(a.session_ids) == sorted(b.session_ids)
    assert check_library(db) == []
    with Library(db) as lib:
        assert b"".join(lib.session_path(i).read_bytes() for i in sorted(b.added)) == run_bytes


def test_partial_and_complete_imported_at_once(
    tmp_path: Path, run_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A half-synced copy and the complete one race: one complete row, its file intact."""
    left = split_sessions(run_bytes)[0]
    half = left[: len(left) // 2]
    db = tmp_path / "library.sqlite"
    Library(db).close()
    for first, second in ((half, left), (left, half)):
        for f in (db.parent / "sessions").iterdir():
            f.unlink()
        with Library(db) as lib:
            lib.db.execute("DELETE FROM sessions")

        def other(data: bytes = second) -> None:
            with Library(db) as lib:
                lib.import_bytes(data, "b.strd")

        with monkeypatch.context() as m:
            run_inside(m, other)
            with Library(db) as lib:
                lib.import_bytes(first, "a.strd")
        assert check_library(db) == []
        with Library(db) as lib:
            rows = lib.sessions()
            assert [r.state for r in rows] == ["complete"]
            assert lib.session_path(rows[0].id).read_bytes() == left


def test_two_processes_creating_the_library_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B creates the schema between A's version check and A's migration (old: A crashed)."""
    db = tmp_path / "library.sqlite"
    real = Library._tx
    state = {"inner": False}

    def tx(self: Library):  # type: ignore[no-untyped-def]
        if not state["inner"]:
            state["inner"] = True
            Library(db).close()
        return real(self)

    monkeypatch.setattr(Library, "_tx", tx)
    with Library(db) as lib:
        assert lib.schema_version() == L.SCHEMA_VERSION


def test_reading_a_session_while_an_import_extends_it(
    tmp_path: Path, run_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row is read, then another import replaces the half-synced file with the whole
    one (and unlinks the old file) before the bytes are read. The old load() raised
    FileNotFoundError; now it reads the row again."""
    left = split_sessions(run_bytes)[0]
    db = tmp_path / "library.sqlite"
    with Library(db) as lib:
        (sid,) = lib.import_bytes(left[: len(left) // 2], "half.strd").session_ids
    real = Library._row
    done = [False]

    def row_then_extend(self: Library, session_id: int):  # type: ignore[no-untyped-def]
        out = real(self, session_id)
        if not done[0]:
            done[0] = True
            with Library(db) as other:
                assert other.import_bytes(left, "whole.strd").replaced == [sid]
        return out

    monkeypatch.setattr(Library, "_row", row_then_extend)
    with Library(db) as lib:
        s = lib.load(sid)
    assert s.end is not None  # the whole session, read after the replacement


# ---------------------------------------------------------------- real concurrency
def copies_of(run_bytes: bytes) -> list[bytes]:
    """What several syncs of one run hand the library: the file, half-synced and whole sessions."""
    parts = split_sessions(run_bytes)
    return [run_bytes] + [p[: len(p) // 2] for p in parts] + parts


def _import_all(path: Path, chunks: list[bytes]) -> int:
    """Import every chunk into the library at `path`; the number that raised."""
    n = 0
    for data in chunks:
        try:
            with Library(path) as lib:
                lib.import_bytes(data, "x.strd")
        except Exception:  # counted; callers assert none
            n += 1
    return n


@dataclass
class Outcome:
    """One run of concurrent imports into a fresh library."""

    lost: int  # rows whose file is gone
    raised: int  # imports that raised
    problems: list[str]  # everything check_library found (lost files included)
    complete_rows: int


def _outcome(path: Path, raised: int) -> Outcome:
    problems = check_library(path)
    with Library(path) as lib:
        complete = sum(r.state == "complete" for r in lib.sessions())
    return Outcome(len([x for x in problems if "is gone" in x]), raised, problems, complete)


def thread_imports(path: Path, chunks: list[bytes], workers: int) -> Outcome:
    """`workers` threads of one process import the same copies at once (as `stride serve`'s
    worker threads do); each thread has its own Library (SQLite connection)."""
    Library(path).close()
    barrier = threading.Barrier(workers)
    raised = [0] * workers

    def work(i: int) -> None:
        barrier.wait(600)  # all start together; the timeout turns a dead thread into an error
        raised[i] = _import_all(path, chunks)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    return _outcome(path, sum(raised))


def _process_worker(paths: list[str], chunks: list[bytes], barrier: object, errors: object) -> None:
    # one long-lived process per worker for every run (spawning per run took most of the
    # time); the barrier starts each run's imports together in every process
    for path in paths:
        barrier.wait(600)  # type: ignore[attr-defined]
        errors.put((path, _import_all(Path(path), chunks)))  # type: ignore[attr-defined]


def process_imports(paths: list[Path], chunks: list[bytes], workers: int) -> list[Outcome]:
    """`workers` processes import the same copies at once into each library of `paths` in turn."""
    for path in paths:
        Library(path).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    errors = ctx.Queue()
    args = ([str(p) for p in paths], chunks, barrier, errors)
    procs = [ctx.Process(target=_process_worker, args=args) for _ in range(workers)]
    for p in procs:
        p.start()
    raised = dict.fromkeys(map(str, paths), 0)
    for _ in range(workers * len(paths)):
        path, n = errors.get(timeout=600)
        raised[path] += n
    for p in procs:
        p.join(600)
    return [_outcome(p, raised[str(p)]) for p in paths]


def assert_nothing_lost(out: Outcome, path: Path, run_bytes: bytes) -> None:
    assert (out.lost, out.raised, out.problems, out.complete_rows) == (0, 0, [], 2)
    with Library(path) as lib:
        rows = sorted(lib.sessions(), key=lambda r: r.id)
        got = b"".join(lib.session_path(r.id).read_bytes() for r in rows)
    assert got == run_bytes


def test_threads_importing_the_same_copies_at_once_lose_nothing(
    tmp_path: Path, run_bytes: bytes
) -> None:
    """Old code: 6-7 of 8 threads raised FileNotFoundError (one tmp name per process)."""
    path = tmp_path / "library.sqlite"
    assert_nothing_lost(thread_imports(path, copies_of(run_bytes), 8), path, run_bytes)


def test_processes_importing_the_same_copies_at_once_lose_nothing(
    tmp_path: Path, run_bytes: bytes
) -> None:
    """Old code: 48 of 50 such runs left rows without a file (python -m, below)."""
    paths = [tmp_path / f"lib{i}" / "library.sqlite" for i in range(3)]
    for path, out in zip(paths, process_imports(paths, copies_of(run_bytes), 4), strict=True):
        assert_nothing_lost(out, path, run_bytes)


def parallel_uploads(library_path: Path, data: bytes, n: int) -> tuple[list[int], Outcome]:
    """`n` identical uploads sent to `stride serve` (uvicorn) at once: (statuses, library)."""
    import httpx

    from tests.web.conftest import LiveServer

    statuses = [0] * n
    with LiveServer(library_path) as server:
        barrier = threading.Barrier(n)

        def post(i: int) -> None:
            barrier.wait(600)
            r = httpx.post(server.url + "/api/upload?name=run.strd", content=data, timeout=600)
            statuses[i] = r.status_code

        threads = [threading.Thread(target=post, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
    return statuses, _outcome(library_path, 0)


def test_thirty_parallel_uploads_store_one_copy(tmp_path: Path, run_bytes: bytes) -> None:
    """Old server: all 30 got 201 and one row named a file that no longer existed."""
    path = tmp_path / "lib" / "library.sqlite"
    statuses, out = parallel_uploads(path, run_bytes, 30)
    assert statuses == [201] * 30
    assert_nothing_lost(out, path, run_bytes)


def _figure(what: str, bad: int, runs: int) -> str:
    from stridekit.eval.findings import wilson

    lo, hi = wilson(bad, runs)
    return f"{what}: {bad} of {runs} runs lost a stored session (95 % CI {lo:.1%}..{hi:.1%})"


if __name__ == "__main__":  # python -m tests.library.test_concurrency [runs] [workers] [uploads]
    import sys
    import tempfile

    from rich.progress import track

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    uploads = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "run.strd"
        write_run(sim(seed=5, duration_s=4.0), f)
        data = f.read_bytes()
        chunks = copies_of(data)
        lines = []
        outs = [
            thread_imports(Path(d) / f"t{r}" / "library.sqlite", chunks, workers)
            for r in track(range(runs), description=f"{workers} threads x {runs} runs")
        ]
        outs += process_imports(
            [Path(d) / f"p{r}" / "library.sqlite" for r in range(runs)], chunks, workers
        )
        for kind, part in (("threads", outs[:runs]), ("processes", outs[runs:])):
            bad = sum(bool(o.lost or o.raised or o.problems) or o.complete_rows != 2 for o in part)
            lines.append(
                _figure(f"{workers} {kind} importing {len(chunks)} copies each", bad, runs)
                + f"; {sum(o.lost for o in part)} rows without a file,"
                f" {sum(o.raised for o in part)} imports raised"
            )
        up_runs = max(1, runs // 5)
        bad = n201 = 0
        for r in track(range(up_runs), description=f"{uploads} parallel uploads x {up_runs}"):
            statuses, o = parallel_uploads(Path(d) / f"u{r}" / "library.sqlite", data, uploads)
            n201 += statuses.count(201)
            bad += bool(o.lost or o.problems) or o.complete_rows != 2
        lines.append(
            _figure(f"{uploads} parallel uploads to stride serve", bad, up_runs)
            + f"; {n201} of {uploads * up_runs} uploads answered 201"
        )
    print("\n".join(lines))
