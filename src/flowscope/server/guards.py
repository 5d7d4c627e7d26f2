"""ASGI middleware that applies `Security`: browser protection headers, the Host and
Origin checks, and the request body limit, enforced while the body streams in."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flowscope.server.errors import WatchedSend
from flowscope.server.jsonio import dumps
from flowscope.server.security import Security, host_name

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
APP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
SVG_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors {ancestors}; sandbox"
)


async def refuse(send: Send, status: int, message: str, close: bool = False) -> None:
    """Answers ``{"error": message}`` with ``status``; ``close`` ends the connection
    (a body left unread is not drained)."""
    body = dumps({"error": message})
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """``nosniff`` on every response; a Content-Security-Policy and framing rules on
    HTML and SVG, the responses a browser could run."""

    def __init__(self, app: ASGIApp, security: Security) -> None:
        self.app = app
        ancestors = security.frame_ancestors
        self.html = [(b"content-security-policy", APP_POLICY.format(ancestors=ancestors).encode())]
        self.svg = [(b"content-security-policy", SVG_POLICY.format(ancestors=ancestors).encode())]
        if ancestors == "'self'":
            for extra in (self.html, self.svg):
                extra.append((b"x-frame-options", b"SAMEORIGIN"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                kind = Headers(raw=headers).get("content-type", "")
                headers.append((b"x-content-type-options", b"nosniff"))
                if kind.startswith("text/html"):
                    headers += self.html
                elif kind.startswith("image/svg"):
                    headers += self.svg
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostAndOriginCheck:
    """Refuses (403) a request for a host the server does not answer to, which defeats
    DNS rebinding, and a state-changing request sent by another site's page."""

    def __init__(self, app: ASGIApp, security: Security) -> None:
        self.app = app
        self.security = security

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self.security.allows_host(host):
            hint = f"start flowscope with --allowed_hosts {host_name(host)} to serve it"
            await refuse(send, 403, f"host {host!r} is not allowed; {hint}")
            return
        origin = headers.get("origin")
        if scope["method"] not in SAFE_METHODS and origin is not None:
            hosts = [host, *headers.get("x-forwarded-host", "").split(",")[:1]]
            if not self.security.allows_origin(origin, hosts):
                await refuse(send, 403, f"cross-origin request from {origin!r} refused")
                return
        await self.app(scope, receive, send)


class _BodyTooLarge(Exception):
    """Raised into the app when the body grows past the limit."""


class BodyLimit:
    """Refuses (413) a request whose body is, or grows while it streams, larger than
    ``max_upload_bytes``; no more of it is read."""

    def __init__(self, app: ASGIApp, security: Security) -> None:
        self.app = app
        self.limit = security.max_upload_bytes
        self.message = f"request bodies are limited to {self.limit >> 20} MiB (--max_upload_mb)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await refuse(send, 413, self.message, close=True)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge
            return message

        watched = WatchedSend(send)
        try:
            await self.app(scope, limited_receive, watched)
        except _BodyTooLarge:
            if watched.started:
                raise
            await refuse(send, 413, self.message, close=True)
