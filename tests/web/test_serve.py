"""`stride serve`: uploads into the real SQLite library, token, Host and Origin checks,
size and sample caps, validation off the event loop.

Runs the Starlette app in-process with starlette's TestClient (httpx), addressed as
http://127.0.0.1:8765 (a Host the server accepts); the library is the real
stridekit.library.Library on a temporary database. One test runs it under uvicorn.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw.records import REC_SAMPLE_BLOCK
from stridekit.library import Library
from stridekit.serve import (
    MAX_SAMPLES_PER_BYTE,
    ServeConfig,
    ServeError,
    create_app,
    find_npm_package,
    safe_name,
)
from stridekit.serve_guard import PUBLIC_PATHS, TOKEN_HEADER, host_allowed, token_cookie
from stridekit.session_writer import SessionWriter

with warnings.catch_warnings():
    # starlette 1.10 prefers the httpx2 fork; httpx 0.28.1 is what the project pins
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

TOKEN = "test-token-123"
BASE = "http://127.0.0.1:8765"


def _client(
    tmp: Path, token: str | None = None, cap: int = 8 << 20, **kw: object
) -> tuple[TestClient, Path]:
    db = tmp / "lib" / "library.sqlite"
    app = create_app(ServeConfig(library_path=db, token=token, max_upload_bytes=cap, **kw))  # type: ignore[arg-type]
    return TestClient(app, base_url=BASE), db


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


def test_session_ids_no_row_can_have_are_404_with_a_reason(tmp_path: Path, sim_file: Path) -> None:
    """/sessions/99999999999999999999/file was a 500 (OverflowError binding it in SQLite)."""
    c, _ = _client(tmp_path)
    assert c.post("/api/upload", content=sim_file.read_bytes()).status_code == 201
    huge = ("99999999999999999999", str(2**63), str(2**63 - 1), "0", "0" * 30 + "7")
    odd = ("-1", "abc", "1e5", "1.0", "%20", "\uff11", "9" * 60)
    for sid in huge + odd:
        for what in ("file", "report"):
            r = c.get(f"/sessions/{sid}/{what}")
            assert r.status_code == 404, (sid, what, r.text)
            err = r.json()["error"]
            assert "no session" in err, err
            assert ("whole numbers" in err) == (sid in odd), err


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segment=st.text(min_size=1, max_size=40))
def test_no_path_parameter_makes_a_server_error(tmp_path: Path, segment: str) -> None:
    """Any text in any route's path parameter: an answer with a reason, never a 5xx."""
    from urllib.parse import quote

    c, _ = _client(tmp_path)
    part = quote(segment, safe="")
    for template in ("/sessions/{}/file", "/sessions/{}/report", "/fw/stridefw/{}", "/mp/{}"):
        r = c.get(template.format(part))
        assert r.status_code < 500, (template, segment, r.status_code)
        if r.status_code == 404 and r.headers["content-type"].startswith("application/json"):
            assert r.json()["error"]


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


ROUTES = (
    "/",
    "/index.html",
    "/app.js",
    "/mp/micropython.mjs",
    "/fw/index.json",
    "/fw/stridefw/records.py",
    "/api/sessions",
    "/sessions",
    "/sessions/1/file",
    "/sessions/1/report",
)


def test_every_route_needs_the_token_when_set(tmp_path: Path, sim_file: Path) -> None:
    """Issue 18 item 4: the old server guarded only the upload; the session list, the
    session files and the reports were open to anyone on the network."""
    c, _ = _client(tmp_path, token=TOKEN)
    assert c.post("/api/upload", content=sim_file.read_bytes(), headers={TOKEN_HEADER: TOKEN})
    for path in ROUTES:
        assert c.get(path).status_code == 401, path
        assert c.get(path, headers={TOKEN_HEADER: "wrong"}).status_code == 403, path
        assert c.get(path, headers={"cookie": f"{token_cookie(8765)}=wrong"}).status_code == 403, (
            path
        )
        assert c.get(path, headers={TOKEN_HEADER: TOKEN}).status_code == 200, path
    assert c.post("/api/upload", content=b"x").status_code == 401
    # the URL `stride serve` prints: ?token= sets the cookie and leaves the address bar
    assert c.get("/?token=wrong", follow_redirects=False).status_code == 403
    r = c.get("/sessions?token=" + TOKEN + "&x=a%20b", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sessions?x=a+b"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    for path in ROUTES:  # the client keeps the cookie, like the browser
        assert c.get(path).status_code == 200, path
    r = c.get("/%2Fevil.example/?token=" + TOKEN, follow_redirects=False)
    assert r.headers["location"] == "/evil.example/"  # never a redirect off this server


LIBRARY_ROUTES = ("/api/sessions", "/sessions", "/sessions/1/file", "/sessions/1/report")


def test_no_library_byte_leaves_without_the_token_beyond_loopback(
    tmp_path: Path, sim_file: Path
) -> None:
    """Every library route, any method, any stale or foreign token: an error, no data."""
    c, db = _client(tmp_path, token=TOKEN, host="0.0.0.0")
    data = sim_file.read_bytes()
    assert c.post("/api/upload", content=data, headers={TOKEN_HEADER: TOKEN}).status_code == 201
    with Library(db) as lib:
        rows = lib.sessions()
        stored = [lib.session_path(r.id).read_bytes() for r in rows]
    assert c.get("/sessions/1/file", headers={TOKEN_HEADER: TOKEN}).content == stored[0]
    c.cookies.clear()
    tries: list[dict[str, str]] = [
        {},
        {TOKEN_HEADER: "wrong"},
        {TOKEN_HEADER: ""},
        {"cookie": f"{token_cookie(8766)}={TOKEN}"},  # another port's server's cookie
        {"cookie": f"stride_token={TOKEN}"},  # the old unported name
    ]
    for path in LIBRARY_ROUTES:
        for headers in tries:
            for method in ("GET", "HEAD", "POST"):
                r = c.request(method, path, headers=headers)
                assert r.status_code in (401, 403), (path, headers, method, r.status_code)
                body = r.content
                if method != "HEAD":
                    assert set(r.json()) == {"error"}, body
                for needle in (b"left", b"right", rows[0].sha256.encode(), stored[0][:64]):
                    assert needle not in body, (path, headers, method)
        r = c.get(path + "?token=wrong", follow_redirects=False)
        assert r.status_code == 403 and "set-cookie" not in r.headers
    r = c.post("/api/upload", content=data)
    assert r.status_code == 401 and _stored(db) == 2


def test_the_token_cookie_is_named_after_the_port(tmp_path: Path) -> None:
    """Browsers keep cookies per host, not per port: two servers on one machine, each with
    its own token, overwrote each other's `stride_token` cookie."""
    db = tmp_path / "lib" / "library.sqlite"
    apps = {
        port: create_app(ServeConfig(library_path=db, token=f"tok{port}", port=port))
        for port in (8765, 8766)
    }
    for port, app in apps.items():
        c = TestClient(app, base_url=f"http://127.0.0.1:{port}")
        r = c.get(f"/?token=tok{port}", follow_redirects=False)
        assert r.headers["set-cookie"].startswith(f"{token_cookie(port)}=tok{port};")
        assert "secure" not in r.headers["set-cookie"].lower()  # plain http here
        assert c.get("/api/sessions").status_code == 200
        # one cookie jar holding both servers' cookies, as a browser would
        both = {token_cookie(p): f"tok{p}" for p in apps}
        hdr = "; ".join(f"{k}={v}" for k, v in both.items())
        c.cookies.clear()
        assert c.get("/api/sessions", headers={"cookie": hdr}).status_code == 200
    # the port the server listens on names it, not the configured default
    c = TestClient(apps[8765], base_url="http://127.0.0.1:9000")
    r = c.get("/?token=tok8765", follow_redirects=False)
    assert r.headers["set-cookie"].startswith(token_cookie(9000) + "=")


def test_only_the_install_files_are_public(tmp_path: Path) -> None:
    """The manifest and its icon are fetched by the browser without cookies to install the
    app; they are the only routes without the token, and they hold no library data."""
    import json

    c, _ = _client(tmp_path, token=TOKEN, host="0.0.0.0")
    web = Path(__file__).parents[2] / "host/stridekit/web"
    manifest = json.loads((web / "manifest.webmanifest").read_text())
    assert {i["src"] for i in manifest["icons"]} <= PUBLIC_PATHS
    for path in PUBLIC_PATHS:
        r = c.get(path)
        assert r.status_code == 200 and r.content == (web / path.lstrip("/")).read_bytes()
        assert c.head(path).status_code == 200
        assert c.post(path).status_code == 401  # only reading is public
        assert c.get(path, headers={"host": "evil.example"}).status_code == 400
        assert c.get(path, headers={"origin": "http://evil.example"}).status_code == 403
    for path in ("/", "/index.html", "/sw.js", "/app.js", "/manifest.webmanifest/x"):
        assert c.get(path).status_code == 401, path


def test_serving_beyond_loopback_needs_a_token(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "::", "192.168.1.20", "myhost"):
        with pytest.raises(ServeError, match="needs a token"):
            create_app(ServeConfig(library_path=tmp_path / "l.sqlite", host=host))
        create_app(ServeConfig(library_path=tmp_path / "l.sqlite", host=host, token=TOKEN))
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1"):
        create_app(ServeConfig(library_path=tmp_path / "l.sqlite", host=host))


def test_cli_beyond_loopback_prints_a_token_url_and_guards_every_route(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    import uvicorn
    from typer.testing import CliRunner

    from stridekit.cli import app as cli

    got: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda web, **kw: got.update(web=web, **kw))
    r = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--library", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert got["host"] == "0.0.0.0"
    m = re.search(r"/\?token=([A-Za-z0-9_-]+)#token=\1", r.output.replace("\n", ""))
    assert m, r.output
    c = TestClient(got["web"], base_url="http://192.168.1.20:8765")  # type: ignore[arg-type]
    for path in ROUTES[:4]:
        assert c.get(path).status_code == 401
    assert c.get("/?token=" + m.group(1)).status_code == 200  # redirected, with the cookie


def test_host_header_must_name_this_server(tmp_path: Path) -> None:
    """DNS rebinding: a page on evil.example whose name now points at this machine."""
    c, _ = _client(tmp_path)
    for path in ("/", "/api/sessions", "/fw/index.json"):
        for host in ("evil.example", "evil.example:8765", "127.0.0.1.evil.example", "", "a b"):
            r = c.get(path, headers={"host": host})
            assert r.status_code == 400 and "Host" in r.json()["error"], (path, host)
        for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765", "192.168.1.20"):
            assert c.get(path, headers={"host": host}).status_code == 200, (path, host)
    r = c.post("/api/upload", content=b"x", headers={"host": "evil.example"})
    assert r.status_code == 400
    c2, _ = _client(tmp_path, allowed_hosts=("mybox.local",))
    assert c2.get("/", headers={"host": "MyBox.local:8765"}).status_code == 200
    assert c2.get("/", headers={"host": "other.local"}).status_code == 400


@given(st.text(max_size=80))
def test_host_allowed_never_raises_and_admits_no_other_name(value: str) -> None:
    ok = host_allowed(value, ("mybox.local",))
    if ok:
        import ipaddress
        from urllib.parse import urlsplit

        name = urlsplit("//" + value).hostname
        assert name is not None
        if name not in ("localhost", "mybox.local"):
            ipaddress.ip_address(name)


def test_cross_origin_requests_are_refused(tmp_path: Path, sim_file: Path) -> None:
    """CSRF: another site's page posting into the library through the user's browser."""
    c, db = _client(tmp_path)
    data = sim_file.read_bytes()
    for origin in ("http://evil.example", "http://127.0.0.1:9999", "null", "file://"):
        r = c.post("/api/upload", content=data, headers={"origin": origin})
        assert r.status_code == 403 and "cross-origin" in r.json()["error"], origin
        assert c.get("/api/sessions", headers={"origin": origin}).status_code == 403
    assert _stored(db) == 0 and _files(db) == []
    r = c.post("/api/upload", content=data, headers={"origin": BASE})
    assert r.status_code == 201
    assert c.get("/api/sessions", headers={"origin": BASE}).status_code == 200


def test_upload_is_decoded_off_the_event_loop(
    tmp_path: Path, sim_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18 item 5: while one upload is being decoded, other requests are answered.

    The decoder is held until the test has had an answer to another request. The old
    server decoded on the event loop: nothing else was answered until the decoder let
    go (here after a 60 s safety timeout, which a passing run never waits for).
    """
    import httpx

    import stridekit.serve as serve
    from tests.web.conftest import LiveServer

    real = serve.validate_session_bytes
    entered, release = threading.Event(), threading.Event()
    state = {"done": False}

    def held(data: bytes) -> list[str]:
        entered.set()
        release.wait(60)
        state["done"] = True
        return real(data)

    monkeypatch.setattr(serve, "validate_session_bytes", held)
    with LiveServer(tmp_path / "lib" / "library.sqlite") as server:
        result: dict[str, int] = {}

        def upload() -> None:
            r = httpx.post(server.url + "/api/upload", content=sim_file.read_bytes(), timeout=120)
            result["status"] = r.status_code

        t = threading.Thread(target=upload)
        t.start()
        try:
            assert entered.wait(60)
            r = httpx.get(server.url + "/api/sessions", timeout=120)
            answered_while_decoding = not state["done"]
        finally:
            release.set()
            t.join(120)
        assert r.status_code == 200 and answered_while_decoding
        assert result["status"] == 201


def _bomb(blocks: int) -> bytes:
    """A valid header, then SampleBlock heads declaring 255 samples each and holding
    none: about 12 samples per byte."""
    w = SessionWriter()
    w.add(R.REC_HEADER, R.SessionHeader(n_cells=8, layout_id=8).to_bytes())
    payload = bytes([0, 0, 0, 0, 0x10, 0x27, 0, 255])
    for _ in range(blocks):
        w.add(REC_SAMPLE_BLOCK, payload)
    return bytes(w.out)


def test_upload_samples_per_byte_are_capped_before_decoding(
    tmp_path: Path, sim_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small upload must not decode into an unbounded number of samples."""
    calls = [0]
    real = SB.decode_sample_block

    def counting(payload: bytes, version: int) -> object:
        calls[0] += 1
        return real(payload, version)

    monkeypatch.setattr(SB, "decode_sample_block", counting)
    c, db = _client(tmp_path)
    data = _bomb(200)
    r = c.post("/api/upload", content=data)
    assert r.status_code == 413 and "per byte" in r.json()["error"]
    assert calls[0] == 0 and _stored(db) == 0 and _files(db) == []
    # the real thing is far below the cap, and so is the densest a pod writes: cells
    # that never change (a SampleBlock's cheapest data)
    assert c.post("/api/upload", content=sim_file.read_bytes()).status_code == 201
    assert c.post("/api/upload", content=_still(3000)).status_code == 201
    assert MAX_SAMPLES_PER_BYTE <= 1


def _still(samples: int) -> bytes:
    """A session of 8 cells that never change, no IMU, as a pod writes it."""
    w = SessionWriter()
    w.add(R.REC_HEADER, R.SessionHeader(session_id=7, n_cells=8, layout_id=8).to_bytes())
    for i in range(samples):
        w.add_sample(i * 10_000, [100] * 8, None)
    w.end()
    n = len(w.out)
    assert samples / n > 0.5, "not the densest case any more"
    return bytes(w.out)


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
    assert "--allow-host" in r.output


def test_the_printed_token_url_opens_the_app_in_a_browser(
    browser: object, tmp_path: Path, sim_file: Path
) -> None:
    """Headless Chromium opens what `stride serve` prints beyond loopback: ?token= sets the
    cookie that the page's own requests (/mp, /fw, its service worker) carry, and the
    #token= fragment survives the redirect for the page's upload header."""
    from playwright.sync_api import Browser

    from tests.web.conftest import LiveServer

    assert isinstance(browser, Browser)
    with LiveServer(tmp_path / "lib" / "library.sqlite", token=TOKEN) as server:
        ctx = browser.new_context()
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        assert page.goto(server.url + "/").status == 401  # type: ignore[union-attr]
        page.goto(f"{server.url}/?token={TOKEN}#token={TOKEN}")
        page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=60_000)
        assert page.evaluate("localStorage.getItem('stride-token')") == TOKEN
        assert "token=" not in page.url
        status = page.evaluate(
            """async (b) => (await fetch('/api/upload?name=run.strd', {method: 'POST',
                headers: {'x-stride-token': localStorage.getItem('stride-token')},
                body: new Uint8Array(b)})).status""",
            list(sim_file.read_bytes()),
        )
        assert status == 201 and errors == []
        ctx.close()
        other = browser.new_context()  # another browser, no token: nothing
        assert other.new_page().goto(server.url + "/sessions").status == 401  # type: ignore[union-attr]
        other.close()


def test_two_servers_in_one_browser_keep_their_tokens_and_the_app_installs(
    browser: object, tmp_path: Path
) -> None:
    """One browser opens two `stride serve` URLs on one machine (ports differ): each keeps
    its own token cookie, and the manifest loads for install though it carries no cookie."""
    from playwright.sync_api import Browser

    from tests.web.conftest import LiveServer

    assert isinstance(browser, Browser)
    with (
        LiveServer(tmp_path / "a" / "library.sqlite", token="tokA") as a,
        LiveServer(tmp_path / "b" / "library.sqlite", token="tokB") as b,
    ):
        ctx = browser.new_context()
        page = ctx.new_page()
        for server, tok in ((a, "tokA"), (b, "tokB")):
            assert page.goto(f"{server.url}/sessions?token={tok}").status == 200  # type: ignore[union-attr]
        for server in (a, b):  # the second did not overwrite the first's cookie
            assert page.goto(server.url + "/sessions").status == 200  # type: ignore[union-attr]
        names = sorted(c.get("name", "") for c in ctx.cookies())
        assert names == sorted(token_cookie(s.port) for s in (a, b))
        page.goto(a.url + "/")
        cdp = ctx.new_cdp_session(page)
        got = cdp.send("Page.getAppManifest")
        assert got["errors"] == [] and '"StrideKit"' in got["data"], got
        ctx.close()
