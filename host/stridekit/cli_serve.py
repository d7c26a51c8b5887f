"""`stride serve`, mounted by cli.py: the phone web app and session uploads (stridekit.serve)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    """Add `serve` to the `stride` command."""

    @app.command("serve")
    def serve_cmd(
        host: Annotated[
            str, typer.Option(help="Address to bind; anything but localhost needs the token.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8765,
        library: Annotated[
            Path | None, typer.Option(help="Library database (default: the user data dir).")
        ] = None,
        token: Annotated[
            bool,
            typer.Option(help="Require the printed one-time upload token even on localhost."),
        ] = False,
    ) -> None:
        """Serve the web app (Web Bluetooth sync in the browser), take uploads into the library."""
        import uvicorn

        from stridekit.serve import (
            LOCAL_HOSTS,
            MAX_UPLOAD_BYTES,
            ServeConfig,
            ServeError,
            create_app,
        )

        tok = secrets.token_urlsafe(18) if (token or host not in LOCAL_HOSTS) else None
        try:
            web = create_app(ServeConfig(library_path=library, token=tok))
        except ServeError as e:
            console.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        shown = _lan_address() if host in ("0.0.0.0", "::") else host
        shown = f"[{shown}]" if ":" in shown else shown
        url = f"http://{shown}:{port}/"
        if tok is not None:
            console.print(f"upload token (this run only): [bold]{tok}[/]")
            url += f"#token={tok}"
        console.print(f"StrideKit web app: [bold]{url}[/]  (sessions: {url.split('#')[0]}sessions)")
        console.print(f"uploads capped at {MAX_UPLOAD_BYTES:,} bytes; Ctrl-C stops")
        if host not in LOCAL_HOSTS:
            console.print(
                "[yellow]note:[/] browsers allow Web Bluetooth and service workers only on "
                "https or localhost; on the LAN use the page for uploads, or put TLS in front"
            )
        uvicorn.run(web, host=host, port=port, log_level="warning")


def _lan_address() -> str:
    """This machine's address on the LAN (no packet is sent), for the URL to open on a phone."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"
