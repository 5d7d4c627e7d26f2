"""Errors answered as JSON ``{"error": "..."}``: 4xx for bad requests, 500 for bugs."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


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


async def internal_error_handler(request: Request, exc: Exception) -> Response:
    """Answers JSON; Starlette re-raises the exception afterwards, so the server logs it."""
    return _json_error(500, f"internal server error: {type(exc).__name__}: {exc}")


EXCEPTION_HANDLERS = {
    ApiError: api_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
