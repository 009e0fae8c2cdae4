"""Plain HTTP on the WebSocket port: the browser reference client, and the origin check."""

from __future__ import annotations

import email.utils
import http
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Final

from websockets.datastructures import Headers
from websockets.http11 import Request, Response

__all__ = ["WS_PATH", "route"]

WS_PATH: Final = "/ws"

_PAGES: Final = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/pcm-worklet.js": ("pcm-worklet.js", "text/javascript; charset=utf-8"),
}
_CSP: Final = (
    "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)


@cache
def _asset(name: str) -> bytes:
    return (resources.files("nimbus.handlers.interfaces.websocket") / "web" / name).read_bytes()


def _response(status: http.HTTPStatus, body: bytes, content_type: str) -> Response:
    headers = Headers([
        ("Date", email.utils.formatdate(usegmt=True)),
        ("Content-Length", str(len(body))),
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ])
    if content_type.startswith("text/html"):
        headers["Content-Security-Policy"] = _CSP
        headers["X-Frame-Options"] = "DENY"
    return Response(status.value, status.phrase, headers, body)


def _text(status: http.HTTPStatus, text: str) -> Response:
    return _response(status, text.encode(), "text/plain; charset=utf-8")


def origin_allowed(origin: str | None, host: str | None, allowed: Sequence[str]) -> bool:
    """Browsers send Origin: only the daemon's own page (same host:port) and listed origins pass.

    Clients that are not browsers send no Origin and pass (they authenticate with the token);
    this stops a web page on another site from driving a token-less loopback daemon.
    """
    if origin is None:
        return True
    if origin in allowed:
        return True
    return host is not None and origin in (f"http://{host}", f"https://{host}")


def route(request: Request, allowed_origins: Sequence[str]) -> Response | None:
    """None to go on with the WebSocket handshake on /ws; otherwise the HTTP response."""
    path = request.path.split("?", 1)[0]
    headers = request.headers
    if not origin_allowed(headers.get("Origin"), headers.get("Host"), allowed_origins):
        return _text(http.HTTPStatus.FORBIDDEN, "origin not allowed\n")
    upgrade = "websocket" in headers.get("Upgrade", "").lower()
    if path == WS_PATH:
        if upgrade:
            return None
        return _text(http.HTTPStatus.UPGRADE_REQUIRED, "WebSocket endpoint: connect with ws://\n")
    page = _PAGES.get(path)
    if page is None:
        return _text(http.HTTPStatus.NOT_FOUND, "not found\n")
    name, content_type = page
    return _response(http.HTTPStatus.OK, _asset(name), content_type)
