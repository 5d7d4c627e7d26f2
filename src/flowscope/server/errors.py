"""Errors answered as JSON ``{"error": "..."}``: 4xx for bad requests, a generic 500 for bugs."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A request the server refuses, with the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def check_name(kind: str, name: str) -> None:
    """Refuses a run or tag name that reads like a path escape: NUL, ``..`` or absolute."""
    if "\x00" in name:
        raise bad_request(f"{kind} name contains a NUL character")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":" and name[0].isalpha()):
        raise bad_request(f"{kind} name {name!r} is an absolute path")
    if ".." in name.replace("\\", "/").split("/"):
        raise bad_request(f"{kind} name {name!r} contains a '..' path segment")


def _json_error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _json_error(exc.status, exc.message)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _json_error(exc.status_code, str(exc.detail))


class WatchedSend:
    """An ASGI ``send`` that notes whether the response has started, after which a
    middleware can no longer answer in its place."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class InternalErrors:
    """ASGI middleware that answers an unexpected exception with a generic JSON 500 and
    logs it with its traceback. The exception text stays in the log (it can name
    files and internals); the connection stays open, since nothing is re-raised to
    the server unless the response had already started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watched = WatchedSend(send)
        try:
            await self.app(scope, receive, watched)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if watched.started:
                raise
            response = _json_error(500, "internal server error (the server log has the details)")
            await response(scope, receive, send)


EXCEPTION_HANDLERS = {
    ApiError: api_error_handler,
    HTTPException: http_error_handler,
}
