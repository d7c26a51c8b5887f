"""`stride serve`: the phone web app, session uploads into the library, a session browser.

A Starlette app run by uvicorn. It serves
- the static web app (host/stridekit/web/) at `/`,
- the MicroPython WebAssembly interpreter from the installed npm package at `/mp/`
  (never a CDN: the page must work offline and on a LAN without internet),
- the firmware's own `stridefw/*.py` sources at `/fw/stridefw/NAME.py`, which the page
  writes into the interpreter's file system so the browser decodes with the firmware
  codec (one codec, no JavaScript copy),
- `POST /api/upload?name=N` (raw session file as the body) into the SQLite library via
  `Library.import_bytes`, the same import path as `stride import`,
- `/sessions` (HTML), `/api/sessions` (JSON), `/sessions/{id}/file` and
  `/sessions/{id}/report` (the HTML report when stridekit.report is installed).

Every request passes the checks in `stridekit.serve_guard` (Host, Origin, token,
body size) and leaves with its security headers.

Uploads are capped at MAX_UPLOAD_BYTES (413) and at MAX_SAMPLES_PER_BYTE decoded
raw samples per uploaded byte (a compressed SampleBlock cannot be a decompression
bomb: checked from the block headers before anything is decoded), and are decoded
with the firmware codec before anything is stored: a damaged frame, an unknown
record type or version, a payload that does not parse, a sequence gap, a lost
header, an impossible value, or no session header is a 400 with the reason and
nothing stored. Decoding and storing run in worker threads (at most
UPLOAD_WORKERS at once), never on the event loop, so a large upload does not
stall other requests.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from stridekit import merge, report
from stridekit.errors import StrideError
from stridekit.library import Library
from stridekit.serve_guard import (
    BodyLimit,
    Guard,
    SecurityHeaders,
    error_response,
    is_loopback,
    too_large,
)

# A pod's session partition is ~2 MiB (DESIGN.md: 4 MiB module, ~2 MiB vfs), so one
# session file is never bigger; 8 MiB leaves room for a file holding both feet.
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# The densest real raw data: a version-2 or -3 SampleBlock codes each channel of a
# sample in at least one bit (a cell that never changes: a unary 0), and a pod has 8 cells
# or more, so it writes at most one sample per byte (version 1: one per 9 bytes);
# more is refused before decoding.
MAX_SAMPLES_PER_BYTE = 1
# Fetched by the browser without credentials to install the app (module docstring).
# The certificate authority `stride serve --lan` made, for a phone to download and
# install (token needed like any route; it is public data, but only its users need it).
CA_PATH = "/stridekit-ca.pem"
UPLOAD_WORKERS = 2  # uploads decoded and stored at once; more wait (off the event loop)
NPM_PACKAGE = "@micropython/micropython-webassembly-pyscript"

HERE = Path(__file__).resolve().parent
WEB_DIR = HERE / "web"
FIRMWARE_DIR = HERE.parent.parent / "firmware" / "stridefw"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ServeError(StrideError, RuntimeError):
    """`stride serve` cannot start (a missing part, a bad option)."""


class UploadRejected(StrideError, ValueError):
    """An upload that is not a clean session file; `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class _Row(Protocol):
    id: int


class _Library(Protocol):
    def import_bytes(self, data: bytes, name: str, source: str = ...) -> Any: ...
    def sessions(self) -> Sequence[Any]: ...
    def session_path(self, session_id: int) -> Path: ...
    def close(self) -> None: ...


def find_npm_package(
    starts: Sequence[Path] | None = None, package: str = NPM_PACKAGE
) -> Path | None:
    """The installed npm package folder: node_modules beside the CWD or the repo, or above."""
    roots = list(starts) if starts is not None else [Path.cwd(), HERE]
    for root in roots:
        for d in (root, *root.resolve().parents):
            cand = d / "node_modules" / package
            if (cand / "micropython.mjs").is_file() and (cand / "micropython.wasm").is_file():
                return cand
    return None


def safe_name(name: str) -> str:
    """A file name with no directory part and only [A-Za-z0-9._-]; never empty, never dotted."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE_NAME.sub("_", base).strip("._")[:64]
    return base or "upload.strd"


def declared_samples(recs: Sequence[Any]) -> int:
    """Raw samples the records would decode to, read from Sample records and SampleBlock heads."""
    from stridefw import records as R

    n = 0
    for r in recs:
        if r.rtype == R.REC_SAMPLE:
            n += 1
        elif r.rtype == R.REC_SAMPLE_BLOCK and len(r.payload) >= 8:
            n += r.payload[7]
    return n


def validate_session_bytes(data: bytes) -> list[str]:
    """Decode with the firmware codec; returns one line per session, raises UploadRejected.

    Strict on purpose: the phone has already CRC-checked every frame during the BLE
    sync, so anything damaged here means the upload itself went wrong. Slow for big
    files: call it from a worker thread.
    """
    from stridekit.session import iter_records, sessions_from_records

    if not data:
        raise UploadRejected("empty upload: no session file in the request body; nothing stored")
    recs, issues, skipped = iter_records(data)
    n = declared_samples(recs)
    if n > len(data) * MAX_SAMPLES_PER_BYTE:
        raise UploadRejected(
            f"{n} raw samples declared in {len(data)} bytes, more than "
            f"{MAX_SAMPLES_PER_BYTE:g} per byte: not a pod's session file; nothing stored",
            413,
        )
    if issues:
        first = issues[0]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        raise UploadRejected(
            f"damaged session file: byte {first.offset}: {first.reason}{more}; nothing stored"
        )
    if skipped:
        kinds = ", ".join(f"type {t} v{v} x{n}" for (t, v), n in sorted(skipped.items()))
        raise UploadRejected(f"unknown record types or versions ({kinds}); nothing stored")
    sessions = sessions_from_records(recs, [])
    if not sessions:
        raise UploadRejected(
            f"no SessionHeader record in {len(data)} bytes: not a session file; nothing stored"
        )
    lines = []
    for s in sessions:
        if s.issues:
            raise UploadRejected(
                f"bad record at byte {s.issues[0].offset}: {s.issues[0].reason}; nothing stored"
            )
        lines.append(f"{s.foot}: {len(s.steps)} steps, {len(s.sample_t_us)} samples")
    return lines


def open_library(path: Path | None) -> _Library:
    """The session library at `path` (tests pass a factory of their own instead)."""
    return Library(path)


@dataclass
class ServeConfig:
    library_path: Path | None = None
    token: str | None = None  # required on every route when set
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    host: str = "127.0.0.1"  # the address uvicorn binds; beyond loopback needs a token
    port: int = 8765  # names the token cookie when the server does not report its port
    allowed_hosts: tuple[str, ...] = ()  # Host header names besides IPs and localhost
    web_dir: Path = WEB_DIR
    npm_dir: Path | None = None
    firmware_dir: Path = FIRMWARE_DIR
    ca_cert: Path | None = None  # served at CA_PATH (stride serve --lan: serve_tls)
    library_factory: Callable[[Path | None], _Library] = open_library


_DIGITS = re.compile(r"[0-9]{1,40}")  # longer than any id; the library says which exist


def session_id(text: str) -> int | None:
    """A library session id from a URL part (decimal digits only), else None."""
    return int(text) if _DIGITS.fullmatch(text) else None


def _bad_id(text: str) -> JSONResponse:
    shown = text if len(text) <= 40 else text[:40] + "..."
    return error_response(
        f"no session {shown!r}: session ids are whole numbers (see /sessions)", 404
    )


def create_app(cfg: ServeConfig) -> Starlette:
    """The Starlette app; raises ServeError when the web app or the interpreter is missing,
    or when it would bind beyond loopback without a token."""
    if cfg.token is None and not is_loopback(cfg.host):
        raise ServeError(
            f"serving on {cfg.host} (beyond this machine) needs a token; `stride serve` makes one"
        )
    if cfg.token is not None and not cfg.token:
        raise ServeError("an empty token would let anyone in")
    npm = cfg.npm_dir or find_npm_package()
    if npm is None:
        raise ServeError(
            f"npm package {NPM_PACKAGE} not found in node_modules beside {Path.cwd()} or the "
            "repository; run `npm ci` in the repository (the page never loads it from a CDN)"
        )
    if not (cfg.web_dir / "index.html").is_file():
        raise ServeError(f"web app not found: {cfg.web_dir}/index.html")
    fw_files = {p.name: p for p in sorted(cfg.firmware_dir.glob("*.py"))}
    if "records.py" not in fw_files:
        raise ServeError(f"firmware sources not found: {cfg.firmware_dir}/records.py")

    def library() -> _Library:
        return cfg.library_factory(cfg.library_path)

    async def firmware_index(request: Request) -> JSONResponse:
        return JSONResponse({"package": "stridefw", "files": sorted(fw_files)})

    async def firmware_file(request: Request) -> Response:
        p = fw_files.get(request.path_params["name"])  # whitelist: no path ever built
        if p is None:
            return error_response("no such firmware file", 404)
        return FileResponse(p, media_type="text/x-python")

    async def ca_cert(request: Request) -> Response:
        assert cfg.ca_cert is not None
        return FileResponse(
            cfg.ca_cert, media_type="application/x-x509-ca-cert", filename="stridekit-ca.pem"
        )

    uploads = anyio.CapacityLimiter(UPLOAD_WORKERS)

    async def upload(request: Request) -> Response:
        data = await request.body()
        if len(data) > cfg.max_upload_bytes:
            return too_large(cfg.max_upload_bytes)
        name = safe_name(request.query_params.get("name", ""))
        source = safe_name(request.query_params.get("source", "web"))
        try:
            summary, res = await anyio.to_thread.run_sync(
                _validate_and_import, library, data, name, source, limiter=uploads
            )
        except UploadRejected as e:
            return error_response(str(e), e.status)
        except StrideError as e:  # BadSessionFile from the library: nothing usable
            return error_response(f"{e}; nothing stored", 400)
        return JSONResponse(
            {
                "name": name,
                "session_ids": list(res.session_ids),
                "issues": list(res.issues),
                "summary": summary,
            },
            status_code=201,
        )

    async def sessions_json(request: Request) -> JSONResponse:
        rows = await run_in_threadpool(_rows, library)
        return JSONResponse(rows)

    async def sessions_page(request: Request) -> HTMLResponse:
        rows = await run_in_threadpool(_rows, library)
        return HTMLResponse(_sessions_html(rows))

    async def session_file(request: Request) -> Response:
        sid = session_id(request.path_params["sid"])
        if sid is None:
            return _bad_id(request.path_params["sid"])
        path = await run_in_threadpool(_session_path, library, sid)
        if path is None:
            return error_response(f"no session #{sid} in the library", 404)
        return FileResponse(path, media_type="application/octet-stream", filename=path.name)

    async def session_report(request: Request) -> Response:
        sid = session_id(request.path_params["sid"])
        if sid is None:
            return _bad_id(request.path_params["sid"])
        try:
            out = await run_in_threadpool(_build_report, library, sid)
        except StrideError as e:
            return error_response(f"no report: {e}", 422)
        if out is None:
            return error_response(f"no session #{sid} in the library (or its file is gone)", 404)
        return HTMLResponse(out)

    routes = [
        Route("/api/upload", upload, methods=["POST"]),
        Route("/api/sessions", sessions_json),
        Route("/sessions", sessions_page),
        Route("/sessions/{sid}/file", session_file),
        Route("/sessions/{sid}/report", session_report),
        *([Route(CA_PATH, ca_cert)] if cfg.ca_cert is not None else []),
        Route("/fw/index.json", firmware_index),
        Route("/fw/stridefw/{name:str}", firmware_file),
        Mount("/mp", app=StaticFiles(directory=npm), name="mp"),
        Mount("/", app=StaticFiles(directory=cfg.web_dir, html=True), name="web"),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(str(exc.detail), exc.status_code)

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    app.add_middleware(BodyLimit, limit=cfg.max_upload_bytes)
    app.add_middleware(Guard, token=cfg.token, allowed_hosts=cfg.allowed_hosts, port=cfg.port)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # the wasm goes 450 -> ~150 kB
    return app


# One Library per call, opened and closed in the worker thread (sqlite3 connections
# belong to the thread that made them).
def _validate_and_import(
    library: Callable[[], _Library], data: bytes, name: str, source: str
) -> tuple[list[str], Any]:
    summary = validate_session_bytes(data)
    lib = library()
    try:
        return summary, lib.import_bytes(data, name, source)
    finally:
        lib.close()


def _rows(library: Callable[[], _Library]) -> list[dict[str, Any]]:
    lib = library()
    try:
        return [_row_dict(r) for r in lib.sessions()]
    finally:
        lib.close()


def _session_path(library: Callable[[], _Library], sid: int) -> Path | None:
    lib = library()
    try:
        p = lib.session_path(sid)
    except (KeyError, LookupError, StrideError):
        return None
    finally:
        lib.close()
    return p if p.is_file() else None


def _row_dict(row: Any) -> dict[str, Any]:
    keys = (
        "id",
        "runner",
        "shoe",
        "foot",
        "device_id",
        "started_at",
        "duration_s",
        "n_steps",
        "state",
    )
    out: dict[str, Any] = {}
    for k in keys:
        v = getattr(row, k, None)
        if isinstance(v, bytes):
            v = v.hex()
        elif v is not None and not isinstance(v, int | float | str | bool):
            v = str(v)
        out[k] = v
    return out


def _build_report(library: Callable[[], _Library], sid: int) -> str | None:
    """The causes report for the run holding library session `sid` (earlier runs as history).

    Sessions are paired left/right by stridekit.merge as `stride report` does. None if
    the session does not exist.
    """
    import tempfile

    from stridekit.session import read_sessions

    lib = library()
    try:
        paths = {int(r.id): lib.session_path(int(r.id)) for r in lib.sessions()}
    finally:
        lib.close()
    if sid not in paths:
        return None
    sessions = {i: read_sessions(p)[0] for i, p in paths.items() if p.is_file()}
    target = sessions.get(sid)
    if target is None:
        return None
    runs = merge.pair_sessions(list(sessions.values()))
    upto = [i for i, r in enumerate(runs) if target is r.left or target is r.right]
    if not upto:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        report.build_report(runs[: upto[0] + 1], out)
        return out.read_text(encoding="utf-8")


def _sessions_html(rows: list[dict[str, Any]]) -> str:
    cols = ("id", "foot", "runner", "shoe", "started_at", "duration_s", "n_steps", "state")
    head = "".join(f"<th>{c}</th>" for c in cols) + "<th></th>"
    body = []
    for r in rows:
        cells = "".join(f"<td>{html.escape(str(r.get(c, '') or ''))}</td>" for c in cols)
        sid = int(r["id"])
        links = f'<a href="/sessions/{sid}/file">file</a>'
        links += f' · <a href="/sessions/{sid}/report">report</a>'
        body.append(f"<tr>{cells}<td>{links}</td></tr>")
    rows_html = "\n".join(body) or f'<tr><td colspan="{len(cols) + 1}">no sessions yet</td></tr>'
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>StrideKit sessions</title><link rel="stylesheet" href="/app.css"></head>
<body><header><h1>Sessions</h1><nav><a href="/">pods</a></nav></header>
<table id="sessions"><thead><tr>{head}</tr></thead><tbody>
{rows_html}
</tbody></table></body></html>"""
