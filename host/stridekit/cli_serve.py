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
            typer.Option(help="Require the printed one-time token even on localhost."),
        ] = False,
        allow_host: Annotated[
            list[str] | None,
            typer.Option(
                help="A host name the browser may use for this server (e.g. mybox.local); "
                "IP addresses and localhost always work."
            ),
        ] = None,
    ) -> None:
        """Serve the web app (Web Bluetooth sync in the browser), take uploads into the library."""
        import uvicorn

        from stridekit.serve import (
            MAX_UPLOAD_BYTES,
            TOKEN_QUERY,
            ServeConfig,
            ServeError,
            create_app,
            is_loopback,
        )

        local = is_loopback(host)
        tok = secrets.token_urlsafe(18) if (token or not local) else None
        cfg = ServeConfig(
            library_path=library,
            token=tok,
            host=host,
            port=port,
            allowed_hosts=tuple(allow_host or ()),
        )
        try:
            web = create_app(cfg)
        except ServeError as e:
            console.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        shown = _lan_address() if host in ("0.0.0.0", "::") else host
        shown = f"[{shown}]" if ":" in shown else shown
        url = f"http://{shown}:{port}/"
        base = url
        if tok is not None:
            console.print(f"token (this run only, every page and upload needs it): [bold]{tok}[/]")
            # ?token= sets the cookie every request then carries; #token= is what the
            # page keeps for its upload header
            url += f"?{TOKEN_QUERY}={tok}#token={tok}"
        console.print(f"StrideKit web app: [bold]{url}[/]  (sessions: {base}sessions)")
        console.print(f"uploads capped at {MAX_UPLOAD_BYTES:,} bytes; Ctrl-C stops")
        if not local:
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
