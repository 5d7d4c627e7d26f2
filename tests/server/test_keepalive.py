"""Requests made one after another on a keep-alive connection are answered at once:
the server's connections have Nagle's algorithm off (``TCP_NODELAY``), or each answer
written in two parts waits some 40 ms for the client's delayed ACK."""

from __future__ import annotations

import asyncio
import http.client
import socket
import statistics
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from flowscope.cli.serve import bind
from flowscope.io.writer import SummaryWriter
from tests.support.cli_server import cli_server


def accepted_nodelay(listening: socket.socket) -> int:
    """TCP_NODELAY of the connection asyncio accepts on ``listening``, as uvicorn serves."""

    async def check() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
        value = await asyncio.wait_for(accepted, 10)
        writer.close()
        server.close()
        return value

    # Its own thread: a test before it (playwright's sync API) may leave an event loop
    # running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, check()).result()


def test_the_command_line_server_accepts_connections_without_nagle():
    listening = bind("127.0.0.1", 0)
    try:
        assert accepted_nodelay(listening) != 0
    finally:
        listening.close()


def test_sequential_keep_alive_requests_are_answered_at_once(tmp_path):
    with SummaryWriter(str(tmp_path / "train")) as writer:
        for step in range(100):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
    with cli_server(str(tmp_path)) as (url, _):
        connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=10)
        query = urllib.parse.urlencode({"run": "train", "tag": "loss"})
        times = []
        for index in range(60):
            start = time.perf_counter()
            connection.request(
                "GET", "/api/status" if index % 2 else f"/data/plugin/scalars/scalars?{query}"
            )
            response = connection.getresponse()
            assert response.status == 200 and response.read()
            times.append(time.perf_counter() - start)
        connection.close()
    assert statistics.median(times[10:]) < 0.02  # 44 ms a request with Nagle on
