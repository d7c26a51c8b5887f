"""The web app syncing two virtual pods over Web Bluetooth, in headless Chromium.

What is real: the page (Web Bluetooth API, the firmware codec and stridefw.syncproto
in the MicroPython WebAssembly interpreter, IndexedDB, upload), Chromium's Web
Bluetooth stack with its CDP `BluetoothEmulation` peripherals, the two pods (the
firmware's App and stridefw.ble on the Bumble `bluetooth` shim, a simulated run),
and `stride serve` with the SQLite library. What is bridged: see tests/web/bleemu.py
(every emulated GATT operation is done on the pod over the Bumble link; pod
notifications/indications are handed to the page's notification handler because
the emulation cannot send them).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from bleak import BleakScanner
from bluetooth_sig import BluetoothSIGTranslator
from bumble.link import LocalLink
from playwright.async_api import Page, async_playwright

from stridefw import records as R
from stridefw import syncproto as P
from stridekit.bench.ble import fill_session
from stridekit.library import Library
from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.pod import BlePods
from stridekit.transport.bumble import BumbleHost
from tests.conftest import require_chromium
from tests.web.bleemu import BleBridge, EmuPod, answer_chooser
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.web.shots import check_shot

SESSION_BYTES = 60_000
RSC_UUID = "00002a53-0000-1000-8000-00805f9b34fb"
SIG = BluetoothSIGTranslator()


async def _wait(page: Page, bridge: BleBridge, js: str, **kw: Any) -> None:
    """page.wait_for_function, failing with the page status and the bridge's log."""
    try:
        await page.wait_for_function(js, **kw)
    except Exception as e:
        raise AssertionError(
            f"{e}\nstatus: {await page.inner_text('#status')}\nbridge errors: {bridge.errors}"
            f"\nbridge log (last 30): {bridge.log[-30:]}"
        ) from None


async def _shot(page: Page, name: str) -> None:
    check_shot(await page.screenshot(), name)


def test_web_bluetooth_live_sync_resume_upload(tmp_path: Path) -> None:
    require_chromium()  # a skip, but a failure in CI
    run = simulate(RunnerParams(seed=5, duration_s=120.0, cadence_spm=170.0, speed_m_s=3.0))
    figures: dict[str, Any] = {}

    async def body() -> None:
        link = LocalLink()
        # pace: 5 ms of real time per pod round keeps pod time close to real time
        async with BlePods(link, list(run.feet), auto_start=False, pace_s=0.005) as pods:
            pods.paused = True
            files = [fill_session(pods[i], SESSION_BYTES) for i in range(2)]
            pods.paused = False
            host = await BumbleHost.open_virtual(link)
            seen = await BleakScanner.discover(1.0, return_adv=True, backend=host.scanner)
            found = {
                P.foot_from_name(adv.local_name): (d, adv.local_name or "")
                for d, adv in seen.values()
                if P.foot_from_name(adv.local_name) >= 0
            }
            assert set(found) == {0, 1}
            # kernel steps as the firmware streams them, per foot (for the live check)
            kernel_steps: list[dict[int, int]] = [{}, {}]
            for foot in (0, 1):
                ble = pods[foot].app.ble
                assert ble is not None
                orig = ble.on_record

                def spy(rtype: int, payload: Any, orig: Any = orig, foot: int = foot) -> None:
                    if rtype == R.REC_STEP:
                        s = R.Step.from_bytes(bytes(payload))
                        kernel_steps[foot][s.index] = s.stance_us
                    orig(rtype, payload)

                ble.on_record = spy
            async with async_playwright() as pw:
                # Linux desktop Chromium ships Web Bluetooth behind this feature (on by
                # default on Android, ChromeOS, macOS and Windows)
                browser = await pw.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[*CHROMIUM_ARGS, "--enable-features=WebBluetooth"],
                )
                bcdp = await browser.new_browser_cdp_session()
                ctx = await browser.new_context(viewport={"width": 412, "height": 860})
                page = await ctx.new_page()
                page_errors: list[str] = []
                page.on("pageerror", lambda e: page_errors.append(str(e)))
                with LiveServer(tmp_path / "lib" / "library.sqlite") as server:
                    t_load = time.perf_counter()
                    await page.goto(server.url + "/")
                    await page.wait_for_function(
                        "() => document.body.dataset.ready === '1'", timeout=60_000
                    )
                    figures["load_s"] = time.perf_counter() - t_load
                    bridge = BleBridge(bcdp, page)
                    await bridge.start()
                    emu: list[EmuPod] = []
                    for foot in (0, 1):
                        d, name = found[foot]
                        pods[foot].app.pair_window()  # bonding only inside the window
                        emu.append(await bridge.add_pod(name, d, host.client, foot))
                    pcdp = await ctx.new_cdp_session(page)
                    want = [emu[0].address, emu[1].address]
                    await answer_chooser(pcdp, want, bridge.log)
                    for foot in (0, 1):
                        await page.click("#connect")
                        await _wait(
                            page,
                            bridge,
                            "(n) => document.querySelectorAll('#pods tbody tr').length >= n "
                            "&& [...document.querySelectorAll('#pods tbody tr')].every("
                            "r => r.textContent.includes('connected') && !r.textContent.includes('disconnected'))",
                            arg=foot + 1,
                            timeout=30_000,
                        )
                    pods_text = await page.inner_text("#pods")
                    assert "left" in pods_text and "right" in pods_text
                    assert found[0][1] in pods_text and found[1][1] in pods_text
                    await _shot(page, "ble-pods")

                    # ---------------------------------------------------- live view
                    await page.click("button[data-screen=live]")
                    t_live = time.perf_counter()
                    await page.click("#live-toggle")
                    await _wait(
                        page,
                        bridge,
                        "() => window.strideKit.live.last && window.strideKit.live.last.left "
                        "&& window.strideKit.live.last.right",
                        timeout=60_000,
                    )
                    figures["first_live_s"] = time.perf_counter() - t_live
                    await _wait(
                        page,
                        bridge,
                        "() => document.getElementById('rsc-left').textContent !== '\u2013' "
                        "&& document.getElementById('rsc-right').textContent !== '\u2013'",
                        timeout=60_000,
                    )
                    last = await page.evaluate("() => window.strideKit.live.last")
                    rsc_shown: list[int] = []
                    for foot, name in ((0, "left"), (1, "right")):
                        got = last[name]
                        # the step the page shows is the kernel's step with that index
                        assert kernel_steps[foot].get(got["index"]) == got["stance_us"]
                        shown = await page.inner_text(f"#stance-{name}")
                        assert shown == f"{got['stance_us'] / 1000:.1f}"
                        # RSC cadence shown = one the pod notified, decoded independently
                        # (bluetooth-sig); in the spec's meaning: this foot's contacts/min
                        cad = int(await page.inner_text(f"#rsc-{name}"))
                        sent = [
                            int(SIG.parse_characteristic("2A53", v).instantaneous_cadence)  # type: ignore[union-attr]
                            for v in emu[foot].values[RSC_UUID]
                        ]
                        assert cad in sent
                        assert 140 <= cad <= 200  # 170 steps/min of both feet
                        rsc_shown.append(cad)
                    both = int(await page.inner_text("#spm-both"))
                    # each pod's RSC cadence is steps/min of both feet: the page shows the mean
                    assert both == int(sum(rsc_shown) / 2 + 0.5)
                    assert "%" in await page.inner_text("#balance")
                    await _shot(page, "ble-live")
                    await page.click("#live-toggle")  # live off before the sync

                    # ---------------------------------------------------- sync with a drop
                    await page.click("button[data-screen=sync]")
                    dropped = asyncio.Event()
                    drops: list[asyncio.Future[None]] = []
                    n_data = {"n": 0}
                    victim = emu[0]

                    def on_data(pod: EmuPod, value: bytes) -> None:
                        sid = P.decode_data(value)[0]
                        if pod is victim and sid != P.LIVE_SESSION:
                            n_data["n"] += 1
                            if n_data["n"] == 40 and not dropped.is_set():
                                dropped.set()
                                drops.append(asyncio.ensure_future(bridge.drop(pod)))

                    bridge.on_data = on_data
                    await page.evaluate(
                        "() => { window._sync = window.strideKit.syncAll().then(r => ({ok: r}), e => ({err: String(e)})); }"
                    )
                    res = await page.evaluate("() => window._sync")
                    assert dropped.is_set()
                    assert "err" in res and "disconnected" in res["err"]
                    key0 = f"{victim.name}/{files[0][0]}"
                    part = await page.evaluate(
                        "async (k) => { const r = await window.strideKit.store.get(k); return r ? r.bytes.length : -1; }",
                        key0,
                    )
                    assert 0 < part < len(files[0][1])  # kept what arrived, resume point
                    await _shot(page, "ble-sync-dropped")
                    pods[0].app.pair_window()
                    assert (
                        await page.evaluate("(n) => window.strideKit.reconnect(n)", victim.name)
                    ) == 0
                    bridge.on_data = None
                    t_sync = time.perf_counter()
                    res = await page.evaluate("() => window.strideKit.syncAll()")
                    figures["sync_s"] = time.perf_counter() - t_sync
                    figures["sync_bytes"] = sum(v["bytes"] for v in res.values())
                    assert figures["sync_bytes"] == len(files[0][1]) - part + len(files[1][1])
                    for foot, e in enumerate(emu):
                        sid, data = files[foot]
                        got = await page.evaluate(
                            "async (k) => Array.from((await window.strideKit.store.get(k)).bytes)",
                            f"{e.name}/{sid}",
                        )
                        assert bytes(got) == data  # byte-identical to the pod's file
                        # and the pod was told only after the phone stored it
                        assert pods[foot].app.store._read_marker(sid, len(data)) == len(data)  # pyright: ignore[reportPrivateUsage]
                    await _shot(page, "ble-synced")

                    # ---------------------------------------------------- upload
                    up = await page.evaluate("() => window.strideKit.uploadAll()")
                    assert [u["status"] for u in up] == [201, 201], up
                    with Library(server.library_path) as lib:
                        stored = {lib.session_path(r.id).read_bytes() for r in lib.sessions()}
                    assert {files[0][1], files[1][1]} <= stored
                    await _shot(page, "ble-uploaded")
                    assert page_errors == []
                    assert bridge.errors == [], bridge.errors
                    await bridge.close()
                await browser.close()
            await host.close()

    asyncio.run(asyncio.wait_for(body(), 240))
    print(
        f"\nweb app: page load {figures['load_s']:.2f} s, first live value after LIVE on "
        f"{figures['first_live_s']:.2f} s, resumed sync {figures['sync_bytes']} B in "
        f"{figures['sync_s']:.2f} s = {figures['sync_bytes'] / figures['sync_s'] / 1024:.1f} KiB/s "
        "(emulated link + page bridge)"
    )
