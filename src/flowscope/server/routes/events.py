"""``/api/events``: server-sent events announcing each change to the logdir.

Each ``change`` event carries ``{"generation", "runs", "loading"}``: the runs whose
data changed since the previous event. The first event on a connection is the
current state (with ``runs`` empty); a comment line keeps idle connections open.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from flowscope.server.changes import ChangeFeed, Notice
from flowscope.server.jsonio import dumps
from flowscope.server.params import logdir_of

KEEPALIVE_SECONDS = 15.0


def _event(notice: Notice) -> bytes:
    return b"event: change\ndata: " + dumps(notice) + b"\n\n"


async def _stream(request: Request, feed: ChangeFeed) -> AsyncIterator[bytes]:
    queue = feed.subscribe()
    try:
        current = {
            "generation": logdir_of(request).generation,
            "runs": [],
            "loading": request.app.state.loader.loading,
        }
        yield b"retry: 2000\n" + _event(current)
        while not feed.closed:
            try:
                notice = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except asyncio.TimeoutError:
                yield b": keep-alive\n\n"
                continue
            if notice is None:
                return
            yield _event(notice)
    finally:
        feed.unsubscribe(queue)


async def events(request: Request) -> StreamingResponse:
    feed: ChangeFeed = request.app.state.feed
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        _stream(request, feed), media_type="text/event-stream", headers=headers
    )


routes = [Route("/api/events", events)]
