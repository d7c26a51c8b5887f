"""The session library: every pod session the host has, in one SQLite file.

One row per pod session (one foot, one `rec start`..`rec stop`), its bytes in a
file beside the database (`sessions/`), so the raw samples stay replayable.
Tables: runners, shoes (per runner, for A/B comparisons), pods (device id and
foot), sessions (file, sha256, start, duration, steps, state, decode issues and
sync state). The schema carries a version (PRAGMA user_version) and upgrades
itself through MIGRATIONS.

States:
  complete  a SessionEnd and no damaged frames;
  partial   no SessionEnd (a half-synced or still-recording session); a later
            import of the same session (same device, session id and start)
            that extends it or is complete replaces it, keeping its tags;
  damaged   frames lost to corruption (CRC, COBS, bad payloads), sequence numbers
            missing, out of order or repeated, samples no ADC reads, or counts
            that disagree with the SessionEnd; every intact record is still kept.
Records whose SessionHeader was lost (a corrupt header frame, a stream that
began after it) are kept too, as a damaged session of their own under the
unknown pod 000000000000 (foot "unknown"), never folded into a neighbour.
A file with no intact record at all is refused with BadSessionFile.

Importing the same bytes twice changes nothing, also when a later copy replaced
them (their sha256 is kept in `superseded`). Files are written atomically
(tmp + fsync + rename) before the row that names them is committed.

Concurrent imports (threads of `stride serve`, several `stride import`/`stride sync`
processes) are safe: every import writes its own file under a name no other import
uses (content hash + a random part), and decides inside one BEGIN IMMEDIATE
transaction whether that file becomes a row's file. A file is unlinked only by the
import that wrote it (when its row was not needed) or after the commit that made
its row point elsewhere, so no row can ever name a file that is gone.

Why one module of ~700 lines: the schema, the import transaction and the queries
share the invariants above (which file a row may name, when a file may go); split,
each part would have to restate them.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stridefw import store as fw_store
from stridekit.errors import BadSessionFile, StrideError
from stridekit.session import (
    FOOT_UNKNOWN,
    Session,
    decode_bytes,
    sessions_from_bytes,
    sessions_from_records,
)

ENV_VAR = "STRIDEKIT_LIBRARY"
DB_NAME = "library.sqlite"
STATES = ("complete", "partial", "damaged")

# Each entry upgrades the schema by one version; never edit a released one, append.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE shoes (
        id INTEGER PRIMARY KEY,
        runner_id INTEGER REFERENCES runners(id),
        name TEXT NOT NULL
    );
    CREATE TABLE pods (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL UNIQUE,
        foot INTEGER NOT NULL,
        first_seen REAL NOT NULL
    );
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        pod_id INTEGER NOT NULL REFERENCES pods(id),
        device_session_id INTEGER NOT NULL,
        foot INTEGER NOT NULL,
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        header_epoch_s INTEGER NOT NULL,
        started_at REAL,
        duration_s REAL NOT NULL,
        n_samples INTEGER NOT NULL,
        n_steps INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('complete', 'partial', 'damaged')),
        issues TEXT NOT NULL,
        bytes_synced INTEGER NOT NULL,
        synced_up_to_us INTEGER NOT NULL,
        runner_id INTEGER REFERENCES runners(id),
        shoe_id INTEGER REFERENCES shoes(id),
        imported_at REAL NOT NULL
    );
    CREATE INDEX sessions_key ON sessions (pod_id, device_session_id, header_epoch_s);
    """,
    """
    CREATE INDEX sessions_started ON sessions (started_at);
    """,
    # bytes a later import replaced: importing them again changes nothing
    """
    CREATE TABLE superseded (
        sha256 TEXT PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class LibraryError(StrideError, RuntimeError):
    """The library cannot be opened or changed as asked (names the reason)."""


@dataclass
class SessionRow:
    """One pod session as the library lists it."""

    id: int
    runner: str | None
    shoe: str | None
    foot: str
    device_id: str  # 12 hex digits
    device_session_id: int
    started_at: float | None  # unix seconds (host clock from Sync, else the pod's epoch)
    duration_s: float
    n_samples: int
    n_steps: int
    state: str
    issues: list[str]
    sha256: str
    name: str
    bytes_synced: int
    synced_up_to_us: int


@dataclass
class ImportResult:
    """What an import did: ids of the sessions now holding the file's data, and any problems."""

    session_ids: list[int] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


@dataclass
class _Decoded:
    """One session's bytes and what the codec made of them."""

    data: bytes
    session: Session
    state: str
    issues: list[str]


# SQLite rowids are signed 64-bit; a larger Python int raises OverflowError when bound.
MAX_ROW_ID = (1 << 63) - 1


def is_row_id(value: object) -> bool:
    """Can `value` name a row (an int from 1 to MAX_ROW_ID)? Anything else names none."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ROW_ID


def default_path() -> Path:
    """$STRIDEKIT_LIBRARY, else the user data dir (platformdirs) / stridekit / library.sqlite."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("stridekit")) / DB_NAME


def resolve_path(path: Path | None) -> Path:
    """A folder means <folder>/library.sqlite; None means default_path()."""
    if path is None:
        return default_path()
    if path.is_dir() or path.suffix == "":
        return path / DB_NAME
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write data so that `path` is either absent, the old file or the whole new one."""
    # unique per call: two threads of one process may write the same path at once
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # directory fsync: not on every platform
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def split_sessions(data: bytes) -> list[bytes]:
    """Cut a byte stream into one chunk per session (bytes before the first go with it).

    A session starts at its SessionHeader, or where records of a session whose header
    was lost begin; a cut goes before the frame's leading 0x00.
    """
    d = decode_bytes(data)
    sessions = sessions_from_records(d.records, None, True, d.skipped_at)
    starts = [s.offset for s in sessions]
    if not starts:
        return [data]
    cuts = [0]
    for off in starts[1:]:
        cuts.append(off - 1 if off > 0 and data[off - 1] == 0 else off)
    cuts.append(len(data))
    return [data[a:b] for a, b in itertools.pairwise(cuts)]


def decode_session(data: bytes) -> _Decoded | None:
    """Decode one session's bytes with the firmware codec and judge its state; None if no record."""
    d = decode_bytes(data)
    skipped = d.skipped
    sessions = sessions_from_records(d.records, list(d.issues), True, d.skipped_at)
    if not sessions:
        return None
    s = sessions[0]
    notes = [f"skipped {n} records of unknown type {t} v{v}" for (t, v), n in skipped.items()]
    damaged = False
    torn_tail = False
    for iss in s.issues:
        if iss.reason.startswith("truncated frame") and iss.offset >= 0:
            # a torn last frame is what an interrupted transfer leaves
            torn_tail = True
            continue
        damaged = True
    text = [f"byte {i.offset}: {i.reason}" if i.offset >= 0 else i.reason for i in s.issues]
    if len(sessions) > 1:
        damaged = True
        text.append(f"{len(sessions) - 1} further session(s) inside the session")
    if s.end is not None:
        if s.end.steps != len(s.steps):
            damaged = True
            text.append(f"SessionEnd counts {s.end.steps} steps, {len(s.steps)} are intact")
        raw_off = [n.text for n in s.notes if n.text.startswith(fw_store.NOTE_RAW_PREFIX)]
        if raw_off and s.end.samples > len(s.sample_t_us):
            # the pod stopped raw capture on purpose (flash full, or capture off) and
            # said so in a Note; its steps go on, so nothing is damaged
            text.append(
                f"{raw_off[0]}: {len(s.sample_t_us)} of {s.end.samples} raw samples kept, "
                "steps complete"
            )
        elif s.end.samples and s.end.samples != len(s.sample_t_us):
            damaged = True
            text.append(
                f"SessionEnd counts {s.end.samples} samples, {len(s.sample_t_us)} are intact"
            )
    if damaged:
        state = "damaged"
    elif s.end is None:
        state = "partial"
        text.append("no SessionEnd: partial (half-synced or still recording)")
    else:
        state = "complete"
    if torn_tail and not damaged and s.end is not None:
        state = "damaged"
    return _Decoded(data, s, state, text + notes)


# Start times outside these years are not a clock reading (a CRC-valid record with
# another value in it): ignored, so listings and reports never date a run to 148108.
_EARLIEST_S = 946_684_800  # 2000-01-01
_LATEST_S = 4_102_444_800  # 2100-01-01


def started_at(s: Session) -> float | None:
    """Unix seconds of the session's first sample: host clock via a Sync record, else the pod's epoch.

    None when neither gives a time between 2000 and 2100.
    """
    for sy in s.syncs:
        if sy.host_unix_us > 0:
            t = (sy.host_unix_us - sy.t_us) / 1e6
            if _EARLIEST_S <= t < _LATEST_S:
                return t
    e = s.header.epoch_s
    return float(e) if _EARLIEST_S <= e < _LATEST_S else None


class Library:
    """The SQLite session library; one instance per thread (sqlite3 connections are not shared)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = resolve_path(path)
        self.root = self.path.parent
        self.files = self.root / "sessions"
        try:
            self.files.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as e:
            raise LibraryError(f"cannot open the library at {self.path}: {e}") from e
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    # ------------------------------------------------------------ plumbing
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: concurrent writers queue, never interleave)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        try:
            version = self.schema_version()
        except sqlite3.DatabaseError as e:
            raise LibraryError(f"{self.path} is not a StrideKit library: {e}") from e
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path} has schema version {version}; this StrideKit knows up to "
                f"{SCHEMA_VERSION} (upgrade StrideKit)"
            )
        if version < SCHEMA_VERSION:
            with self._tx() as db:
                # read again under the write lock: another process may have just migrated
                version = self.schema_version()
                if version < SCHEMA_VERSION:
                    for v in range(version, SCHEMA_VERSION):
                        for stmt in MIGRATIONS[v].split(";"):
                            if stmt.strip():
                                db.execute(stmt)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # ------------------------------------------------------------ import
    def import_file(self, path: Path) -> ImportResult:
        """Import every session in a session file (.strd, as sim, sync or export write them)."""
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise BadSessionFile(f"{path}: {e.strerror or e}") from e
        return self.import_bytes(data, Path(path).name)

    def import_bytes(self, data: bytes, name: str, source: str = "file") -> ImportResult:
        """Store each session in `data`; BadSessionFile if there is no intact SessionHeader."""
        decoded = [d for d in (decode_session(c) for c in split_sessions(bytes(data))) if d]
        if not decoded:
            issues = decode_bytes(bytes(data)).issues
            detail = (
                f"; first problem at byte {issues[0].offset}: {issues[0].reason}" if issues else ""
            )
            raise BadSessionFile(
                f"{name}: no intact record in {len(data)} bytes, so no session to keep{detail}"
            )
        res = ImportResult()
        for d in decoded:
            self._store(d, name, source, res)
        return res

    def _store(self, d: _Decoded, name: str, source: str, res: ImportResult) -> None:
        s = d.session
        sha = hashlib.sha256(d.data).hexdigest()
        hdr = s.header
        dev = bytes(hdr.device_id).hex()
        dup = self._known(self.db, sha)
        if dup is not None:  # the common case, without writing a file
            res.session_ids.append(dup)
            res.unchanged.append(dup)
            return
        # A name no other import uses: a concurrent import of the same bytes writes its
        # own file, so neither can unlink the other's.
        fname = f"{dev}-{hdr.session_id}-{sha[:16]}-{secrets.token_hex(4)}.strd"
        write_atomic(self.files / fname, d.data)
        keep = False  # does a committed row name fname?
        old_file: str | None = None
        notes: list[str] = []
        try:
            with self._tx() as db:
                keep, old_file, notes = self._store_row(db, d, fname, sha, name, source, res)
        finally:
            if not keep:
                (self.files / fname).unlink(missing_ok=True)
        res.issues.extend(notes)
        if old_file and old_file != fname:
            # the row that named it was committed with fname: nobody names it now
            (self.files / old_file).unlink(missing_ok=True)

    def _store_row(
        self,
        db: sqlite3.Connection,
        d: _Decoded,
        fname: str,
        sha: str,
        name: str,
        source: str,
        res: ImportResult,
    ) -> tuple[bool, str | None, list[str]]:
        """Inside the write transaction: (fname now named by a row, file it replaced, notes)."""
        s = d.session
        hdr = s.header
        dev = bytes(hdr.device_id).hex()
        where = f"{name} ({s.foot}, device {dev}, session {hdr.session_id})"
        dup = self._known(db, sha)
        if dup is not None:  # imported by someone else since the check above
            res.session_ids.append(dup)
            res.unchanged.append(dup)
            return False, None, []
        notes = [f"{where}: {t}" for t in d.issues]
        pod_id = self._pod(db, dev, hdr.foot)
        same = db.execute(
            "SELECT id, state, file, bytes_synced FROM sessions "
            "WHERE pod_id = ? AND device_session_id = ? AND header_epoch_s = ? "
            "ORDER BY id",
            (pod_id, hdr.session_id, hdr.epoch_s),
        ).fetchall()
        if s.header_lost:
            same = []  # no key to match: each such session is its own row
        target: int | None = None
        old_file: str | None = None
        for row in same:
            stored = self._read(row["file"])
            if stored is not None and stored.startswith(d.data):
                # an earlier, shorter copy of a session we already hold
                res.session_ids.append(row["id"])
                res.unchanged.append(row["id"])
                notes.append(f"{where}: a prefix of stored session #{row['id']}; kept it")
                return False, None, notes
            extends = stored is not None and d.data.startswith(stored)
            if row["state"] != "complete" and (extends or d.state == "complete"):
                target = row["id"]
                old_file = row["file"]
                old_sha = db.execute(
                    "SELECT sha256 FROM sessions WHERE id = ?", (target,)
                ).fetchone()[0]
                db.execute(
                    "INSERT OR REPLACE INTO superseded (sha256, session_id) VALUES (?, ?)",
                    (old_sha, target),
                )
                break
        vals = {
            "pod_id": pod_id,
            "device_session_id": hdr.session_id,
            "foot": hdr.foot,
            "file": fname,
            "sha256": sha,
            "name": name,
            "source": source,
            "header_epoch_s": hdr.epoch_s,
            "started_at": started_at(s),
            "duration_s": s.duration_s,
            "n_samples": len(s.sample_t_us),
            "n_steps": len(s.steps),
            "state": d.state,
            "issues": json.dumps(d.issues),
            "bytes_synced": len(d.data),
            "synced_up_to_us": int(s.sample_t_us[-1]) if len(s.sample_t_us) else 0,
            "imported_at": time.time(),
        }
        if target is None:
            if same:
                notes.append(
                    f"{where}: differs from stored session(s) "
                    f"{', '.join('#' + str(r['id']) for r in same)} with the same device, "
                    "session id and start; kept both"
                )
            cols = ", ".join(vals)
            marks = ", ".join("?" for _ in vals)
            cur = db.execute(
                f"INSERT INTO sessions ({cols}) VALUES ({marks})", tuple(vals.values())
            )
            sid = int(cur.lastrowid or 0)
            res.added.append(sid)
        else:
            sets = ", ".join(f"{k} = ?" for k in vals)
            db.execute(f"UPDATE sessions SET {sets} WHERE id = ?", (*vals.values(), target))
            sid = target
            res.replaced.append(sid)
        res.session_ids.append(sid)
        return True, old_file, notes

    @staticmethod
    def _known(db: sqlite3.Connection, sha: str) -> int | None:
        """The session holding these bytes, or the one that replaced them; None if new."""
        row = db.execute("SELECT id FROM sessions WHERE sha256 = ?", (sha,)).fetchone()
        if row is None:
            row = db.execute(
                "SELECT session_id FROM superseded WHERE sha256 = ?", (sha,)
            ).fetchone()
        return None if row is None else int(row[0])

    @staticmethod
    def _pod(db: sqlite3.Connection, dev: str, foot: int) -> int:
        row = db.execute("SELECT id FROM pods WHERE device_id = ?", (dev,)).fetchone()
        if row is not None:
            return int(row["id"])
        cur = db.execute(
            "INSERT INTO pods (device_id, foot, first_seen) VALUES (?, ?, ?)",
            (dev, foot, time.time()),
        )
        return int(cur.lastrowid or 0)

    def _read(self, fname: str) -> bytes | None:
        try:
            return (self.files / fname).read_bytes()
        except OSError:
            return None

    def extend(self, session_id: int, more: bytes) -> ImportResult:
        """Append bytes a resumed sync fetched from offset `bytes_synced` of a stored session."""
        row, stored = self._row_and_bytes(session_id)
        return self.import_bytes(stored + bytes(more), row["name"], "sync")

    def _row_and_bytes(self, session_id: int) -> tuple[sqlite3.Row, bytes]:
        """A session's row and its file's bytes, read together.

        A concurrent import that extends the session commits a new file name and then
        unlinks the old one; a reader between the two reads the row again.
        """
        row = self._row(session_id)
        for _ in range(5):
            data = self._read(row["file"])
            if data is not None:
                return row, data
            again = self._row(session_id)
            if again["file"] == row["file"]:
                break  # nobody replaced it: it is really gone
            row = again
        raise LibraryError(f"session #{session_id}: its file {row['file']} is missing")

    def sync_offset(self, device_id: bytes | str, device_session_id: int) -> int:
        """Bytes already held of a pod's session (where a resumed transfer starts); 0 if none."""
        dev = device_id.hex() if isinstance(device_id, bytes | bytearray) else device_id
        if not -MAX_ROW_ID - 1 <= device_session_id <= MAX_ROW_ID:
            return 0  # beyond SQLite's integers (OverflowError if bound): no session has it
        row = self.db.execute(
            "SELECT MAX(s.bytes_synced) FROM sessions s JOIN pods p ON p.id = s.pod_id "
            "WHERE p.device_id = ? AND s.device_session_id = ?",
            (dev, device_session_id),
        ).fetchone()
        return int(row[0] or 0)

    # ------------------------------------------------------------ queries
    _SELECT = (
        "SELECT s.*, p.device_id, r.name AS runner, sh.name AS shoe FROM sessions s "
        "JOIN pods p ON p.id = s.pod_id LEFT JOIN runners r ON r.id = s.runner_id "
        "LEFT JOIN shoes sh ON sh.id = s.shoe_id"
    )

    def sessions(
        self, runner: str | None = None, shoe: str | None = None, state: str | None = None
    ) -> list[SessionRow]:
        """Every session, oldest first; optionally only one runner's, one shoe's or one state's."""
        where: list[str] = []
        args: list[object] = []
        for col, val in (("r.name", runner), ("sh.name", shoe), ("s.state", state)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        sql = self._SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY s.started_at IS NULL, s.started_at, s.foot, s.id"
        return [self._to_row(r) for r in self.db.execute(sql, args).fetchall()]

    def session(self, session_id: int) -> SessionRow:
        return self._to_row(self._row(session_id))

    def _row(self, session_id: int) -> sqlite3.Row:
        row = None
        if is_row_id(session_id):
            row = self.db.execute(self._SELECT + " WHERE s.id = ?", (session_id,)).fetchone()
        if row is None:
            raise LibraryError(f"no session #{session_id} in {self.path}")
        return row

    @staticmethod
    def _to_row(r: sqlite3.Row) -> SessionRow:
        return SessionRow(
            id=r["id"],
            runner=r["runner"],
            shoe=r["shoe"],
            foot={0: "left", 1: "right", FOOT_UNKNOWN: "unknown"}.get(
                r["foot"], f"foot{r['foot']}"
            ),
            device_id=r["device_id"],
            device_session_id=r["device_session_id"],
            started_at=r["started_at"],
            duration_s=r["duration_s"],
            n_samples=r["n_samples"],
            n_steps=r["n_steps"],
            state=r["state"],
            issues=json.loads(r["issues"]),
            sha256=r["sha256"],
            name=r["name"],
            bytes_synced=r["bytes_synced"],
            synced_up_to_us=r["synced_up_to_us"],
        )

    def session_path(self, session_id: int) -> Path:
        """The stored session file (one pod session) of library session `session_id`."""
        return self.files / self._row(session_id)["file"]

    def load(self, session_id: int) -> Session:
        """The stored session decoded with the firmware codec (stridekit.session).

        A session whose header was lost comes back with Session.header_lost set.
        """
        _, data = self._row_and_bytes(session_id)
        sessions = sessions_from_bytes(data, keep_orphans=True)
        if not sessions:
            raise BadSessionFile(f"session #{session_id}: no session in its file")
        return sessions[0]

    def runners(self) -> list[tuple[str, list[str], int]]:
        """(runner, their shoes, session count) for every runner."""
        out: list[tuple[str, list[str], int]] = []
        for r in self.db.execute("SELECT id, name FROM runners ORDER BY name").fetchall():
            shoes = [
                x[0]
                for x in self.db.execute(
                    "SELECT name FROM shoes WHERE runner_id = ? ORDER BY name", (r["id"],)
                )
            ]
            n = self.db.execute(
                "SELECT COUNT(*) FROM sessions WHERE runner_id = ?", (r["id"],)
            ).fetchone()[0]
            out.append((r["name"], shoes, int(n)))
        return out

    # ------------------------------------------------------------ tagging
    def set_runner(self, session_ids: Sequence[int], runner: str | None) -> None:
        """Tag sessions with a runner (None clears it); the runner is created if new."""
        with self._tx() as db:
            rid = None
            if runner is not None:
                rid = self._named(db, "runners", runner)
            for sid in session_ids:
                self._must_exist(db, sid)
                db.execute("UPDATE sessions SET runner_id = ? WHERE id = ?", (rid, sid))

    def set_shoe(self, session_ids: Sequence[int], shoe: str | None) -> None:
        """Tag sessions with a shoe of their runner (None clears it); A/B compares shoes of one runner."""
        with self._tx() as db:
            for sid in session_ids:
                row = self._must_exist(db, sid)
                shoe_id = None
                if shoe is not None:
                    rid = row["runner_id"]
                    found = db.execute(
                        "SELECT id FROM shoes WHERE name = ? AND runner_id IS ?", (shoe, rid)
                    ).fetchone()
                    if found is None:
                        cur = db.execute(
                            "INSERT INTO shoes (runner_id, name) VALUES (?, ?)", (rid, shoe)
                        )
                        shoe_id = int(cur.lastrowid or 0)
                    else:
                        shoe_id = int(found[0])
                db.execute("UPDATE sessions SET shoe_id = ? WHERE id = ?", (shoe_id, sid))

    @staticmethod
    def _named(db: sqlite3.Connection, table: str, name: str) -> int:
        if not name.strip():
            raise LibraryError("a runner needs a name")
        row = db.execute(f"SELECT id FROM {table} WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        return int(db.execute(f"INSERT INTO {table} (name) VALUES (?)", (name,)).lastrowid or 0)

    def _must_exist(self, db: sqlite3.Connection, sid: int) -> sqlite3.Row:
        row = None
        if is_row_id(sid):
            row = db.execute("SELECT * FROM sessions WHERE id = ?", (sid,)).fetchone()
        if row is None:
            raise LibraryError(f"no session #{sid} in {self.path}")
        return row
