"""A feed of change notices from the loader thread to server-sent-event streams."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

Notice = dict[str, Any]
_QUEUE_LIMIT = 64


class ChangeFeed:
    """Fans notices out to subscribers, each an asyncio queue on the server's loop.

    `publish` may be called from any thread; notices published before the loop is
    bound are kept as `latest` only. A ``None`` in a queue means the feed closed.
    """

    def __init__(self) -> None:
        self.latest: Notice | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queues: set[asyncio.Queue[Notice | None]] = set()
        self._lock = threading.Lock()
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.closed = False

    def publish(self, notice: Notice) -> None:
        with self._lock:
            self.latest = notice
            loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._deliver, notice)

    def close(self) -> None:
        """Ends every subscriber's stream (on shutdown)."""
        self.closed = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._deliver, None)

    def subscribe(self) -> asyncio.Queue[Notice | None]:
        queue: asyncio.Queue[Notice | None] = asyncio.Queue(_QUEUE_LIMIT)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Notice | None]) -> None:
        self._queues.discard(queue)

    def _deliver(self, notice: Notice | None) -> None:
        for queue in self._queues:
            if queue.full():
                queue.get_nowait()  # a slow client misses the oldest notice, not the newest
            queue.put_nowait(notice)
