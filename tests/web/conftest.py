"""Fixtures for the web app and `stride serve` tests: one simulated run, written once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from stridekit.sim.gait import RunnerParams, simulate
from stridekit.sim.record import write_run
from tests.conftest import CHROMIUM as CHROMIUM_PATH
from tests.conftest import require_chromium


@pytest.fixture(scope="session")
def sim_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short simulated run of both pods, exactly as `stride sim` writes it."""
    out = tmp_path_factory.mktemp("sim") / "run.strd"
    write_run(simulate(RunnerParams(seed=3, duration_s=20.0)), out)
    return out


CHROMIUM = str(CHROMIUM_PATH)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """`stride serve`'s app under uvicorn on a free localhost port, in a thread."""

    def __init__(self, library_path: Path, token: str | None = None) -> None:
        import socket

        import uvicorn

        from stridekit.serve import ServeConfig, create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.library_path = library_path
        app = create_app(ServeConfig(library_path=library_path, token=token))
        cfg = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(cfg)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("lib") / "library.sqlite") as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()  # a skip, but a failure in CI
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
