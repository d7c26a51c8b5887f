"""`stride serve`: uploads into the real SQLite library, token, size cap, validation.

Runs the Starlette app in-process with starlette's TestClient (httpx); the library is
the real stridekit.library.Library on a temporary database.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridekit.library import Library
from stridekit.serve import (
    TOKEN_HEADER,
    ServeConfig,
    ServeError,
    create_app,
    find_npm_package,
    safe_name,
)

with warnings.catch_warnings():
    # starlette 1.10 prefers the httpx2 fork; httpx 0.28.1 is what the project pins
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

TOKEN = "test-token-123"


def _client(tmp: Path, token: str | None = None, cap: int = 8 << 20) -> tuple[TestClient, Path]:
    db = tmp / "lib" / "library.sqlite"
    app = create_app(ServeConfig(library_path=db, token=token, max_upload_bytes=cap))
    return TestClient(app), db


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    with Library(db) as lib:
        return len(lib.sessions())


def _files(db: Path) -> list[Path]:
    d = db.parent / "sessions"
    return sorted(d.iterdir()) if d.exists() else []


def test_upload_lands_in_library(tmp_path: Path, sim_file: Path) -> None:
    c, db = _client(tmp_path)
    data = sim_file.read_bytes()
    r = c.post("/api/upload?name=run.strd", content=data)
    assert r.status_code == 201, r.text
    body = r.json()
    assert len(body["session_ids"]) == 2
    with Library(db) as lib:
        rows = lib.sessions()
        assert sorted(x.foot for x in rows) == ["left", "right"]
        stored = b"".join(lib.session_path(i).read_bytes() for i in sorted(body["session_ids"]))
    assert stored == data  # the two pod sessions, byte for byte
    listing = c.get("/api/sessions").json()
    assert sorted(x["id"] for x in listing) == sorted(body["session_ids"])
    page = c.get("/sessions").text
    assert "left" in page and "right" in page
    sid = body["session_ids"][0]
    f = c.get(f"/sessions/{sid}/file")
    assert f.status_code == 200 and f.content == lib_bytes(db, sid)
    rep = c.get(f"/sessions/{sid}/report")
    assert rep.status_code == 200 and "<html" in rep.text.lower() and "diagnosis" in rep.text
    assert c.get("/sessions/99999/report").status_code == 404
    assert c.get("/sessions/99999/file").status_code == 404


def lib_bytes(db: Path, sid: int) -> bytes:
    with Library(db) as lib:
        return lib.session_path(sid).read_bytes()


def test_serves_app_interpreter_and_firmware(tmp_path: Path) -> None:
    c, _ = _client(tmp_path)
    r = c.get("/")
    assert r.status_code == 200 and "StrideKit" in r.text
    assert "wasm-unsafe-eval" in r.headers["content-security-policy"]
    wasm = c.get("/mp/micropython.wasm")
    assert wasm.status_code == 200 and wasm.content[:4] == b"\0asm"
    assert wasm.headers["content-type"] == "application/wasm"
    mjs = c.get("/mp/micropython.mjs")
    assert "javascript" in mjs.headers["content-type"]
    index = c.get("/fw/index.json").json()
    assert "records.py" in index["files"]
    src = c.get("/fw/stridefw/records.py").text
    assert src == (Path(__file__).parents[2] / "firmware/stridefw/records.py").read_text()
    for bad in ("../serve.py", "..%2Fserve.py", "%2e%2e/%2e%2e/pyproject.toml", "nope.py"):
        assert c.get("/fw/stridefw/" + bad).status_code == 404
    assert c.get("/mp/../serve.py").status_code == 404
    assert c.get("/sw.js").status_code == 200


def test_token_required_when_set(tmp_path: Path, sim_file: Path) -> None:
    c, db = _client(tmp_path, token=TOKEN)
    data = sim_file.read_bytes()
    r = c.post("/api/upload", content=data)
    assert r.status_code == 401 and "token" in r.json()["error"]
    r = c.post("/api/upload", content=data, headers={TOKEN_HEADER: "wrong"})
    assert r.status_code == 403
    assert _stored(db) == 0 and _files(db) == []
    r = c.post("/api/upload", content=data, headers={TOKEN_HEADER: TOKEN})
    assert r.status_code == 201
    assert _stored(db) == 2


def test_oversize_is_413_and_nothing_stored(tmp_path: Path, sim_file: Path) -> None:
    data = sim_file.read_bytes()
    c, db = _client(tmp_path, cap=len(data) - 1)
    r = c.post("/api/upload", content=data)
    assert r.status_code == 413 and "cap" in r.json()["error"]

    def chunks():  # no Content-Length: the cap must hold on the streamed body too
        for i in range(0, len(data), 4096):
            yield data[i : i + 4096]

    r = c.post("/api/upload", content=chunks())
    assert r.status_code == 413
    assert _stored(db) == 0 and _files(db) == []


def test_damaged_file_is_400_with_reason(tmp_path: Path, sim_file: Path) -> None:
    c, db = _client(tmp_path)
    data = bytearray(sim_file.read_bytes())
    data[len(data) // 2] ^= 0x5A  # one flipped byte: a CRC mismatch (or bad COBS)
    r = c.post("/api/upload", content=bytes(data))
    assert r.status_code == 400
    err = r.json()["error"]
    assert "damaged" in err and "nothing stored" in err
    r = c.post("/api/upload", content=b"")
    assert r.status_code == 400 and "empty" in r.json()["error"]
    assert _stored(db) == 0 and _files(db) == []


def test_unknown_record_type_is_400(tmp_path: Path, sim_file: Path) -> None:
    c, db = _client(tmp_path)
    extra = R.Encoder().encode(77, 0, b"future")
    r = c.post("/api/upload", content=sim_file.read_bytes() + extra)
    assert r.status_code == 400 and "type 77" in r.json()["error"]
    assert _stored(db) == 0


def test_names_cannot_escape(tmp_path: Path, sim_file: Path) -> None:
    c, db = _client(tmp_path)
    evil = "../../../etc/passwd"
    r = c.post(
        "/api/upload", params={"name": evil, "source": "../x"}, content=sim_file.read_bytes()
    )
    assert r.status_code == 201
    assert "/" not in r.json()["name"] and ".." not in r.json()["name"]
    for f in _files(db):
        assert f.resolve().parent == (db.parent / "sessions").resolve()
    assert not (tmp_path / "etc").exists()


@given(name=st.text(max_size=300))
def test_safe_name_property(name: str) -> None:
    s = safe_name(name)
    assert s and "/" not in s and "\\" not in s and not s.startswith(".")
    assert len(s) <= 64 and s not in (".", "..")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.binary(max_size=2048), cut=st.integers(0, 4000), flip=st.integers(1, 255))
def test_fuzzed_uploads_never_store_garbage(
    tmp_path: Path, sim_file: Path, data: bytes, cut: int, flip: int
) -> None:
    """Random bytes, and truncated or corrupted real files: 400 with a message, or a clean 201."""
    c, db = _client(tmp_path)
    real = sim_file.read_bytes()
    damaged = real[:cut] + bytes([real[cut] ^ flip]) + real[cut + 1 : cut + 300]
    for body in (data, real[:cut], damaged):
        before = (_stored(db), _files(db))
        r = c.post("/api/upload", content=body)
        assert r.status_code in (201, 400), r.text
        if r.status_code == 400:
            assert "nothing stored" in r.json()["error"]
            assert (_stored(db), _files(db)) == before
        else:
            # accepted only when every frame decoded cleanly with the firmware codec
            recs, dec = R.decode_all(body)
            assert dec.n_errors == 0 and dec.n_skipped == 0
            assert any(x.rtype == R.REC_HEADER for x in recs)


def test_missing_npm_package_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_npm_package([tmp_path]) is None
    import stridekit.serve as serve

    monkeypatch.setattr(serve, "find_npm_package", lambda: None)
    with pytest.raises(ServeError, match="npm ci"):
        create_app(ServeConfig(library_path=tmp_path / "l.sqlite"))


def test_cli_help_lists_serve() -> None:
    from typer.testing import CliRunner

    from stridekit.cli import app

    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "--host" in r.output and "--library" in r.output
