"""The web app in headless Chromium (Debian package) against `stride serve` under uvicorn.

Real parts only: the page loads the MicroPython WebAssembly interpreter from the npm
package and the firmware's stridefw sources from the server, decodes with the
firmware codec in the browser, its service worker serves it offline, and its
upload lands in the real SQLite library.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize

from stridefw import records as R
from stridekit.library import Library
from stridekit.session import Session, iter_records, sessions_from_records
from tests.web.conftest import LiveServer
from tests.web.shots import check_shot

PHONE: ViewportSize = {"width": 412, "height": 860}


def _open(browser: Browser, server: LiveServer) -> tuple[Page, list[str]]:
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/")
    page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=60_000)
    return page, errors


def _cpython_summary(data: bytes) -> tuple[dict[str, int], list[tuple[str, int]]]:
    recs, dec = R.decode_all(data)
    counts: dict[str, int] = {}
    for r in recs:
        counts[r.name()] = counts.get(r.name(), 0) + 1
    assert dec.n_errors == 0
    return counts, [(s.foot, len(s.steps)) for s in read_sessions_bytes(data)]


def read_sessions_bytes(data: bytes) -> list[Session]:
    recs, issues, _ = iter_records(data)
    return sessions_from_records(recs, issues)


def test_page_decodes_with_firmware_codec_like_cpython(
    browser: Browser, server: LiveServer, sim_file: Path
) -> None:
    page, errors = _open(browser, server)
    assert "firmware codec loaded" in page.inner_text("#status")
    check_shot(page.screenshot(), "pods")
    page.click("button[data-screen=check]")
    page.set_input_files("#file", str(sim_file))
    page.wait_for_function("() => document.getElementById('summary').textContent.length > 0")
    data = sim_file.read_bytes()
    got = page.evaluate(
        "async (b) => await window.strideKit.summarize(new Uint8Array(b))", list(data)
    )
    counts, feet = _cpython_summary(data)
    assert got["counts"] == counts
    assert got["n_errors"] == 0 and got["bytes"] == len(data)
    assert [(s["foot"], s["steps"]) for s in got["sessions"]] == feet
    text = page.inner_text("#summary")
    for foot, n in feet:
        assert f"{foot} pod" in text and f"{n} steps" in text
    check_shot(page.screenshot(), "check-file")

    # a damaged copy is reported, not hidden
    bad = bytearray(data)
    bad[len(bad) // 3] ^= 0xFF
    got_bad = page.evaluate(
        "async (b) => await window.strideKit.summarize(new Uint8Array(b))", list(bad)
    )
    assert got_bad["n_errors"] >= 1 and got_bad["records"] < got["records"]
    assert errors == []
    page.context.close()


def test_offline_reload_from_service_worker(browser: Browser, server: LiveServer) -> None:
    page, errors = _open(browser, server)
    # the worker installs only if it could cache every file; fail, not hang, if not
    state = page.evaluate(
        """async () => Promise.race([
            navigator.serviceWorker.ready.then(() => "ready"),
            new Promise((r) => setTimeout(() => r("service worker never became ready"), 30000)),
        ])"""
    )
    assert state == "ready"
    page.reload()  # now controlled by the worker, which has cached the interpreter
    page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=60_000)
    assert page.evaluate("!!navigator.serviceWorker.controller")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=60_000)
    assert "firmware codec loaded" in page.inner_text("#status")
    # the codec really runs offline: decode a frame built here with the CPython codec
    frame = R.Encoder().encode(R.REC_NOTE, 5, R.Note(1, "offline").to_bytes())
    got = page.evaluate(
        "async (b) => await window.strideKit.summarize(new Uint8Array(b))", list(frame)
    )
    assert got["counts"] == {"Note": 1}
    check_shot(page.screenshot(), "offline")
    assert errors == []
    page.context.close()


def test_upload_from_page_lands_in_library(
    browser: Browser, server: LiveServer, sim_file: Path
) -> None:
    page, errors = _open(browser, server)
    page.click("button[data-screen=check]")
    page.set_input_files("#file", str(sim_file))
    page.wait_for_selector("#keep-file:not([disabled])")
    page.click("#keep-file")
    page.click("button[data-screen=sync]")
    page.wait_for_function("() => document.querySelectorAll('#stored tbody tr').length >= 1")
    page.click("#upload-all")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('uploaded')"
    )
    assert "uploaded 1 session" in page.inner_text("#status")
    with Library(server.library_path) as lib:
        rows = lib.sessions()
        assert sorted(r.foot for r in rows) == ["left", "right"]
        stored = b"".join(
            lib.session_path(r.id).read_bytes() for r in sorted(rows, key=lambda r: r.id)
        )
    assert stored == sim_file.read_bytes()
    assert "yes" in page.inner_text("#stored")
    check_shot(page.screenshot(), "sync-uploaded")
    page.goto(server.url + "/sessions")
    assert "right" in page.inner_text("#sessions")
    check_shot(page.screenshot(), "library")
    assert errors == []
    page.context.close()
