"""`stride serve`'s gate: the checks every request passes, whatever the route.

Every request, whatever the route:
- must name this server in its Host header: an IP address, `localhost`, or a name
  given with ServeConfig.allowed_hosts (`stride serve --allow-host`); another name
  is a 400, so a web page cannot reach the server through DNS rebinding;
- if it carries an Origin, that origin must be this server (same host and port);
  a cross-origin request is a 403, so another site cannot drive the API from the
  user's browser (CSRF);
- needs the one-time token when one is set, which is always when the server binds
  beyond loopback (create_app refuses to build such an app without one): header
  `X-Stride-Token`, or the `stride_token_PORT` cookie, which a GET with `?token=`
  sets (HttpOnly, SameSite=Strict, Secure over https) before redirecting to the
  same URL without it; the URL `stride serve` prints does that. Missing: 401;
  wrong: 403. The cookie is named after the port the server listens on because
  browsers keep cookies per host, not per port: two servers on one machine would
  otherwise overwrite each other's token.

The one exception to the token is PUBLIC_PATHS: the web app manifest and its icon,
which browsers fetch without cookies when they install the app (a 401 there makes
the page uninstallable). Both are static files of this repository, never library
data; every other route, the app shell included, needs the token.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_HEADER = "x-stride-token"
TOKEN_COOKIE_PREFIX = "stride_token_"  # + the port: token_cookie()
TOKEN_QUERY = "token"
PUBLIC_PATHS = frozenset({"/manifest.webmanifest", "/icon.svg"})


def token_cookie(port: int) -> str:
    """The token cookie's name for a server on `port` (cookies are per host, not per port)."""
    return f"{TOKEN_COOKIE_PREFIX}{port}"


def token_url(scheme: str, host: str, port: int, token: str | None) -> str:
    """The URL to open: `?token=` sets the cookie every request then carries, and
    `#token=` is what the page keeps for its upload header."""
    shown = f"[{host}]" if ":" in host else host
    url = f"{scheme}://{shown}:{port}/"
    return url if token is None else f"{url}?{TOKEN_QUERY}={token}#token={token}"


def is_loopback(host: str) -> bool:
    """Does binding `host` keep the server on this machine (127.0.0.0/8, ::1, localhost)?"""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str | None:
    """The host part of a Host header (no port, no brackets), lower case; None if malformed."""
    try:
        parts = urlsplit("//" + value)
        name = parts.hostname
        _ = parts.port  # ValueError for a port that is not a number
    except ValueError:
        return None
    if not name or any(c in value for c in "/?#@ \\"):
        return None
    return name.lower()


def host_allowed(value: str, allowed: Sequence[str] = ()) -> bool:
    """An IP literal, localhost, or a name in `allowed` (names from DNS can be rebound)."""
    name = _host_name(value)
    if name is None:
        return False
    if name in ("localhost", *(a.lower() for a in allowed)):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class BodyLimit:
    """ASGI middleware: 413 as soon as an upload's body passes the cap (chunked included)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    n = -1
                if n < 0 or n > self.limit:
                    await too_large(self.limit)(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, too_large_text(self.limit))
            return msg

        await self.app(scope, limited, send)


def too_large_text(limit: int) -> str:
    return f"upload larger than the {limit:,}-byte cap; nothing stored"


def too_large(limit: int) -> Response:
    return JSONResponse({"error": too_large_text(limit)}, status_code=413)


def error_response(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class Guard:
    """ASGI middleware: Host, Origin and token checks on every request (module docstring)."""

    def __init__(
        self, app: ASGIApp, token: str | None, allowed_hosts: Sequence[str], port: int
    ) -> None:
        self.app = app
        self.token = token
        self.allowed = tuple(allowed_hosts)
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = request.headers.get("host", "")
        if not host_allowed(host, self.allowed):
            names = ", ".join(("an IP address", "localhost", *self.allowed))
            await error_response(
                f"Host {host!r} is not this server ({names}); "
                "`stride serve --allow-host NAME` adds a name",
                400,
            )(scope, receive, send)
            return
        origin = request.headers.get("origin")
        if origin is not None:
            o = urlsplit(origin)
            if o.scheme not in ("http", "https") or o.netloc.lower() != host.lower():
                await error_response(f"cross-origin request from {origin!r} refused", 403)(
                    scope, receive, send
                )
                return
        public = scope.get("method") in ("GET", "HEAD") and scope["path"] in PUBLIC_PATHS
        if self.token is not None and not public:
            # the port the server listens on (uvicorn reports it), not the client's Host
            server = scope.get("server")
            cookie = token_cookie(server[1] if server and server[1] else self.port)
            want = self.token.encode()
            given = request.query_params.get(TOKEN_QUERY)
            if given is not None and scope.get("method") in ("GET", "HEAD"):
                if not secrets.compare_digest(given.encode(), want):
                    await error_response("wrong token", 403)(scope, receive, send)
                    return
                # remember it in a cookie, and take it out of the address bar and history
                query = urlencode(
                    [(k, v) for k, v in request.query_params.multi_items() if k != TOKEN_QUERY]
                )
                path = "/" + str(scope["path"]).lstrip("/")  # never //other.host
                resp = RedirectResponse(path + ("?" + query if query else ""), 303)
                resp.set_cookie(
                    cookie,
                    self.token,
                    httponly=True,
                    samesite="strict",
                    path="/",
                    secure=scope.get("scheme") == "https",
                )
                await resp(scope, receive, send)
                return
            given = request.headers.get(TOKEN_HEADER) or request.cookies.get(cookie)
            if not given:
                await error_response(
                    f"needs the token printed by `stride serve` (open the URL it printed, "
                    f"or send {TOKEN_HEADER})",
                    401,
                )(scope, receive, send)
                return
            if not secrets.compare_digest(given.encode(), want):
                await error_response("wrong token", 403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """CSP that allows the WebAssembly interpreter and nothing from other origins."""

    CSP = (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                headers.append((b"content-security-policy", self.CSP.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, send_with)
