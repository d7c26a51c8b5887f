"""`stride serve --lan`: https with a certificate made on this machine, the token URL as
a QR code, and the web app connecting to a pod over that https in headless Chromium.

Real parts: the certificate (cryptography), uvicorn's TLS, Python's ssl and httpx
verifying against the CA the server made, Chromium (which cannot be told to trust
the CA without a system certificate store, so it runs with
--ignore-certificate-errors: the page is still an https page, a secure context),
the virtual pods over Bumble as in test_browser_ble.py.
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import re
import ssl
import stat
import threading
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
import segno
from cryptography import x509

from stridekit.library import Library
from stridekit.serve import CA_PATH
from stridekit.serve_guard import token_cookie
from stridekit.serve_tls import SERVER_DAYS, TlsFiles, ensure_certificate
from tests.conftest import require_chromium
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer

TOKEN = "lan-token-1"


def _sans(path: Path) -> set[str]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(n.value) for n in names}


def test_certificate_is_made_once_and_remade_for_other_names(tmp_path: Path) -> None:
    hosts = ["192.168.1.20", "127.0.0.1", "localhost"]
    files = ensure_certificate(tmp_path, hosts)
    assert _sans(files.cert) == {"192.168.1.20", "127.0.0.1", "localhost"}
    for key in (files.key, tmp_path / "ca-key.pem"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    cert.verify_directly_issued_by(ca)
    left = cert.not_valid_after_utc - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=SERVER_DAYS - 1) < left <= dt.timedelta(days=SERVER_DAYS)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    before = (files.cert.read_bytes(), files.ca_cert.read_bytes())
    assert ensure_certificate(tmp_path, hosts) == files
    assert (files.cert.read_bytes(), files.ca_cert.read_bytes()) == before  # reused
    moved = ensure_certificate(tmp_path, ["10.0.0.7", "localhost"])  # the laptop moved
    assert _sans(moved.cert) == {"10.0.0.7", "localhost"}
    assert moved.ca_cert.read_bytes() == before[1]  # the CA a phone installed still holds
    files.cert.write_bytes(b"not a certificate")
    assert _sans(ensure_certificate(tmp_path, hosts).cert) == set(hosts)
    with pytest.raises(ValueError):
        ensure_certificate(tmp_path, [])
    # an address that is a name to the certificate, an IP to the browser
    assert ipaddress.ip_address("192.168.1.20") in {
        n.value
        for n in x509.load_pem_x509_certificate(files.cert.read_bytes())
        .extensions.get_extension_for_class(x509.SubjectAlternativeName)
        .value
        if isinstance(n, x509.IPAddress)
    }


def test_cli_lan_serves_https_with_a_token_and_prints_its_qr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from stridekit.cli import app as cli

    got: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda web, **kw: got.update(web=web, **kw))
    r = CliRunner().invoke(cli, ["serve", "--lan", "--port", "8443", "--library", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert got["host"] == "0.0.0.0" and got["port"] == 8443
    flat = r.output.replace("\n", "")
    m = re.search(r"(https://([0-9.]+):8443/\?token=([A-Za-z0-9_-]+)#token=\3)", flat)
    assert m, r.output
    url, shown, tok = m.groups()
    qr = io.StringIO()
    segno.make(url, error="m").terminal(out=qr, compact=True)
    assert qr.getvalue() in r.output  # the QR code holds exactly the printed URL
    words = " ".join(r.output.split())
    assert "iPhone" in words and "Chrome on Android" in words
    cert, key = Path(got["ssl_certfile"]), Path(got["ssl_keyfile"])
    assert cert.parent == tmp_path / "tls" and key.is_file()
    assert {shown, "127.0.0.1", "localhost"} <= _sans(cert)
    # the app it serves wants the token on every library route
    with warnings.catch_warnings():
        # starlette 1.10 prefers the httpx2 fork; httpx 0.28.1 is what the project pins
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient

    c = TestClient(got["web"], base_url=f"https://{shown}:8443")
    assert c.get("/api/sessions").status_code == 401
    r2 = c.get(f"/?token={tok}", follow_redirects=False)
    assert r2.status_code == 303
    cookie = r2.headers["set-cookie"]
    assert cookie.startswith(token_cookie(8443) + "=") and "secure" in cookie.lower()
    # the CA for the phone to install, where the output says
    assert f"https://{shown}:8443{CA_PATH}" in words
    ca = c.get(CA_PATH)
    assert ca.status_code == 200 and ca.content == (tmp_path / "tls" / "ca.pem").read_bytes()
    assert ca.headers["content-type"] == "application/x-x509-ca-cert"
    c.cookies.clear()
    assert c.get(CA_PATH).status_code == 401


class HttpsServer(LiveServer):
    """LiveServer under uvicorn's TLS, with a certificate from ensure_certificate."""

    def __init__(
        self, library_path: Path, token: str | None, tls: TlsFiles, port: int | None = None
    ) -> None:
        import uvicorn

        super().__init__(library_path, token)
        if port is not None:  # the same address as an earlier run
            self.port = port
        cfg = uvicorn.Config(
            self.server.config.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            ssl_certfile=str(tls.cert),
            ssl_keyfile=str(tls.key),
        )
        self.server = uvicorn.Server(cfg)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"https://127.0.0.1:{self.port}"


def test_https_server_verifies_against_its_ca_and_guards_the_library(
    tmp_path: Path, sim_file: Path
) -> None:
    tls = ensure_certificate(tmp_path / "tls", ["127.0.0.1", "localhost"])
    verify = ssl.create_default_context(cafile=str(tls.ca_cert))
    with HttpsServer(tmp_path / "lib" / "library.sqlite", TOKEN, tls) as server:
        with httpx.Client(verify=verify) as c:
            assert c.get(server.url + "/api/sessions").status_code == 401
            assert c.get(server.url + "/manifest.webmanifest").status_code == 200
            r = c.post(
                server.url + "/api/upload?name=run.strd",
                content=sim_file.read_bytes(),
                headers={"x-stride-token": TOKEN},
            )
            assert r.status_code == 201
            r = c.get(f"{server.url}/?token={TOKEN}", follow_redirects=True)  # cookie, then app
            assert r.status_code == 200 and "StrideKit" in r.text
            assert len(c.get(server.url + "/api/sessions").json()) == 2
        # a client that does not know the CA
        with httpx.Client(verify=True) as strict, pytest.raises(httpx.ConnectError):
            strict.get(server.url + "/manifest.webmanifest")


def test_web_app_connects_to_a_pod_over_https(tmp_path: Path, sim_file: Path) -> None:
    """The printed token URL over https in Chromium: a secure context, so Web Bluetooth
    and the service worker are there; the page connects to a virtual pod, shows its
    live steps, and uploads into the library."""
    import asyncio

    from bleak import BleakScanner
    from bumble.link import LocalLink
    from playwright.async_api import async_playwright

    from stridefw import syncproto as P
    from stridekit.sim.gait import RunnerParams, simulate
    from stridekit.sim.pod import BlePods
    from stridekit.transport.bumble import BumbleHost
    from tests.web.bleemu import BleBridge, answer_chooser

    require_chromium()
    run = simulate(RunnerParams(seed=7, duration_s=60.0, cadence_spm=170.0, speed_m_s=3.0))
    tls = ensure_certificate(tmp_path / "tls", ["127.0.0.1", "localhost"])
    db = tmp_path / "lib" / "library.sqlite"
    seen: dict[str, Any] = {}

    async def body() -> None:
        link = LocalLink()
        async with BlePods(link, [run.feet[0]], auto_start=False, pace_s=0.005) as pods:
            host = await BumbleHost.open_virtual(link)
            ads = await BleakScanner.discover(1.0, return_adv=True, backend=host.scanner)
            (device, name), *_ = [
                (d, adv.local_name or "")
                for d, adv in ads.values()
                if P.foot_from_name(adv.local_name) == 0
            ]
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[
                        *CHROMIUM_ARGS,
                        "--enable-features=WebBluetooth",
                        "--ignore-certificate-errors",
                    ],
                )
                try:
                    bcdp = await browser.new_browser_cdp_session()
                    ctx = await browser.new_context(viewport={"width": 412, "height": 860})
                    page = await ctx.new_page()
                    errors: list[str] = []
                    page.on("pageerror", lambda e: errors.append(str(e)))
                    with HttpsServer(db, TOKEN, tls) as server:
                        await page.goto(f"{server.url}/?token={TOKEN}#token={TOKEN}")
                        await page.wait_for_function(
                            "() => document.body.dataset.ready === '1'", timeout=60_000
                        )
                        seen["url"] = page.url
                        seen["port"] = server.port
                        seen["secure"] = await page.evaluate(
                            "() => [window.isSecureContext, 'bluetooth' in navigator,"
                            " location.protocol]"
                        )
                        seen["sw"] = await page.evaluate(
                            "async () => !!(await navigator.serviceWorker.ready).active"
                        )
                        bridge = BleBridge(bcdp, page)
                        await bridge.start()
                        pods[0].app.pair_window()
                        emu = await bridge.add_pod(name, device, host.client, 0)
                        pcdp = await ctx.new_cdp_session(page)
                        await answer_chooser(pcdp, [emu.address], bridge.log)
                        await page.click("#connect")
                        await page.wait_for_function(
                            "() => [...document.querySelectorAll('#pods tbody tr')].some("
                            "r => r.textContent.includes('connected')"
                            " && !r.textContent.includes('disconnected'))",
                            timeout=30_000,
                        )
                        seen["pods"] = await page.inner_text("#pods")
                        await page.click("button[data-screen=live]")
                        await page.click("#live-toggle")
                        await page.wait_for_function(
                            "() => window.strideKit.live.last && window.strideKit.live.last.left",
                            timeout=60_000,
                        )
                        seen["live"] = await page.evaluate("() => window.strideKit.live.last.left")
                        await page.click("#live-toggle")
                        seen["upload"] = await page.evaluate(
                            """async (b) => (await fetch('/api/upload?name=run.strd', {
                                method: 'POST',
                                headers: {'x-stride-token': localStorage.getItem('stride-token')},
                                body: new Uint8Array(b)})).status""",
                            list(sim_file.read_bytes()),
                        )
                        cookies = await ctx.cookies()
                        seen["cookie"] = [(c.get("name"), c.get("secure")) for c in cookies]
                        seen["errors"] = errors
                        await bridge.close()
                finally:
                    await browser.close()
            await host.close()

    asyncio.run(asyncio.wait_for(body(), 300))
    assert seen["url"].startswith("https://") and "token=" not in seen["url"].split("#")[0]
    assert seen["secure"] == [True, True, "https:"]
    assert seen["sw"] is True
    assert "left" in seen["pods"] and "connected" in seen["pods"]
    assert seen["live"]["stance_us"] > 0
    assert seen["upload"] == 201 and seen["errors"] == []
    assert seen["cookie"] == [(token_cookie(seen["port"]), True)]  # Secure over https
    with Library(db) as lib:
        assert len(lib.sessions()) == 2


def test_installed_app_opens_after_a_new_run_changed_the_token(
    tmp_path: Path, sim_file: Path
) -> None:
    """The app was opened (and its service worker installed) with one run's token; the
    next `stride serve` run on the same port has another. The app still opens from its
    cache instead of showing the server's 403, its upload says the token is wrong, and
    the new run's URL makes it work again."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    tls = ensure_certificate(tmp_path / "tls", ["127.0.0.1", "localhost"])
    db = tmp_path / "lib" / "library.sqlite"
    upload = """async (b) => { const r = await fetch('/api/upload?name=run.strd', {
        method: 'POST', headers: {'x-stride-token': localStorage.getItem('stride-token')},
        body: new Uint8Array(b)}); return [r.status, (await r.json()).error || ''] }"""
    ready = "() => document.body.dataset.ready === '1'"
    data = list(sim_file.read_bytes())
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--ignore-certificate-errors"],
            headless=True,
        )
        try:
            ctx = browser.new_context()
            page = ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            with HttpsServer(db, "first-run", tls) as first:
                port = first.port
                page.goto(f"{first.url}/?token=first-run#token=first-run")
                page.wait_for_function(ready, timeout=60_000)
                page.wait_for_function("() => !!navigator.serviceWorker.controller")
            with HttpsServer(db, "second-run", tls, port=port) as second:
                page.reload()
                page.wait_for_function(ready, timeout=60_000)  # from the cache, not a 403
                status, error = page.evaluate(upload, data)
                assert (status, error) == (403, "wrong token")
                page.goto(f"{second.url}/?token=second-run#token=second-run")
                page.wait_for_function(ready, timeout=60_000)
                assert page.evaluate(upload, data)[0] == 201
                page.goto(second.url + "/?token=wrong")  # a wrong token in the URL is shown
                assert "wrong token" in page.inner_text("body")
            assert errors == []
        finally:
            browser.close()
    with Library(db) as lib:
        assert len(lib.sessions()) == 2
