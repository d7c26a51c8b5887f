"""Concurrent imports into one library never lose a session file (issue 18 item 1).

Two kinds of test: the races replayed deterministically (a second import runs to the
end inside the first one's window, through a hook), and real processes importing
overlapping copies of the same sessions at once, after which every row's file must
exist and decode. The deterministic ones fail on the old code every time; the
process one checks the invariants whatever the interleaving was.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
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


# ---------------------------------------------------------------- real processes
def _worker(path: str, chunks: list[bytes], barrier: object, errors: object) -> None:
    # all start together (the worst case); the timeouts only turn a dead worker into an
    # error instead of a hang
    barrier.wait(600)  # type: ignore[attr-defined]
    n = 0
    for data in chunks:
        try:
            with Library(Path(path)) as lib:
                lib.import_bytes(data, "x.strd")
        except Exception:  # counted; the parent asserts none
            n += 1
    errors.put(n)  # type: ignore[attr-defined]


def copies_of(run_bytes: bytes) -> list[bytes]:
    """What several syncs of one run hand the library: the file, half-synced and whole sessions."""
    parts = split_sessions(run_bytes)
    return [run_bytes] + [p[: len(p) // 2] for p in parts] + parts


def concurrent_imports(path: Path, run_bytes: bytes, workers: int = 4) -> tuple[int, int]:
    """`workers` processes import the same copies at once: (rows without a file, raised)."""
    chunks = copies_of(run_bytes)
    Library(path).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    errors = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(str(path), chunks, barrier, errors))
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    raised = sum(errors.get(timeout=600) for _ in procs)
    for p in procs:
        p.join()
    return len([x for x in check_library(path) if "is gone" in x]), raised


def test_processes_importing_the_same_copies_at_once_lose_nothing(
    tmp_path: Path, run_bytes: bytes
) -> None:
    """Old code: 48 of 50 such runs left rows without a file (python -m, below)."""
    path = tmp_path / "library.sqlite"
    assert concurrent_imports(path, run_bytes, workers=4) == (0, 0)
    assert check_library(path) == []
    with Library(path) as lib:
        rows = lib.sessions()
        assert sorted(r.state for r in rows) == ["complete", "complete"]
        got = b"".join(
            lib.session_path(r.id).read_bytes() for r in sorted(rows, key=lambda r: r.id)
        )
    assert got == run_bytes


if __name__ == "__main__":  # python -m tests.library.test_concurrency [runs] [workers]
    import sys
    import tempfile

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "run.strd"
        write_run(sim(seed=5, duration_s=4.0), f)
        data = f.read_bytes()
        bad = lost = raised = 0
        for r in range(runs):
            lost_r, raised_r = concurrent_imports(
                Path(d) / f"lib{r}" / "library.sqlite", data, workers
            )
            bad += bool(lost_r)
            lost += lost_r
            raised += raised_r
    print(
        f"{runs} runs x {workers} processes importing the same copies at once: "
        f"{bad} runs lost files, {lost} rows without a file, {raised} imports raised"
    )
