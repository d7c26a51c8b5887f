"""`stride serve`, mounted by cli/main.py: the phone web app and session uploads (stridekit.serve)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, TextIO, cast

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    """Add `serve` to the `stride` command."""

    @app.command("serve")
    def serve_cmd(
        host: Annotated[
            str | None,
            typer.Option(
                help="Address to bind (default 127.0.0.1, with --lan 0.0.0.0); "
                "anything but localhost needs the token."
            ),
        ] = None,
        port: Annotated[int, typer.Option(help="TCP port.")] = 8765,
        library: Annotated[
            Path | None, typer.Option(help="Library database (default: the user data dir).")
        ] = None,
        token: Annotated[
            bool,
            typer.Option(help="Require the printed one-time token even on localhost."),
        ] = False,
        lan: Annotated[
            bool,
            typer.Option(
                help="For a phone on this network: https with a certificate made on this "
                "machine (Web Bluetooth needs https), the token, and a QR code of the URL."
            ),
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
            CA_PATH,
            MAX_UPLOAD_BYTES,
            ServeConfig,
            ServeError,
            create_app,
        )
        from stridekit.serve_guard import is_loopback, token_url

        bind = host if host is not None else ("0.0.0.0" if lan else "127.0.0.1")
        local = is_loopback(bind)
        tok = secrets.token_urlsafe(18) if (token or lan or not local) else None
        allowed = tuple(allow_host or ())
        shown = _lan_address() if bind in ("0.0.0.0", "::") else bind
        scheme = "https" if lan else "http"
        ssl: dict[str, str] = {}
        lan_note = ""
        ca_cert = None
        if lan:
            from stridekit.library import resolve_path
            from stridekit.serve_tls import ensure_certificate

            tls_dir = resolve_path(library).parent / "tls"
            files = ensure_certificate(tls_dir, [shown, "127.0.0.1", "localhost", *allowed])
            ssl = {"ssl_certfile": str(files.cert), "ssl_keyfile": str(files.key)}
            ca_cert = files.ca_cert
            lan_note = (
                f"certificate made on this machine ({files.cert}); the browser warns once: "
                f"proceed, or install its CA ({files.ca_cert}, also at "
                f"{token_url(scheme, shown, port, None)}{CA_PATH.lstrip('/')}) on the phone "
                "as a CA certificate to trust it (needed to install the app). Chrome on "
                "Android or a desktop; iPhone browsers have no Web Bluetooth."
            )
        cfg = ServeConfig(
            library_path=library,
            token=tok,
            host=bind,
            port=port,
            allowed_hosts=allowed,
            ca_cert=ca_cert,
        )
        try:
            web = create_app(cfg)
        except ServeError as e:
            console.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        url = token_url(scheme, shown, port, tok)
        if tok is not None:
            console.print(f"token (this run only, every page and upload needs it): [bold]{tok}[/]")
        console.print(f"StrideKit web app: [bold]{url}[/]", soft_wrap=True)
        console.print(f"sessions: {token_url(scheme, shown, port, None)}sessions")
        console.print(f"uploads capped at {MAX_UPLOAD_BYTES:,} bytes; Ctrl-C stops")
        if lan:
            print_qr(url)
            console.print(lan_note)
        elif not local:
            console.print(
                "[yellow]note:[/] browsers allow Web Bluetooth and service workers only on "
                "https or localhost: use --lan for a phone"
            )
        uvicorn.run(web, host=bind, port=port, log_level="warning", **ssl)  # type: ignore[arg-type]


def print_qr(text: str) -> None:
    """`text` as a QR code in the terminal, for a phone camera."""
    import segno

    segno.make(text, error="m").terminal(out=cast(TextIO, console.file), compact=True)


def _lan_address() -> str:
    """This machine's address on the LAN (no packet is sent), for the URL to open on a phone."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"
