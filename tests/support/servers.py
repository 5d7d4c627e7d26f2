"""Servers on free ports for the tests and benchmarks: flowscope in-process (uvicorn in
a thread), tensorboard and any other command as a subprocess."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType

import httpx
import uvicorn

from flowscope.data.logdir import Logdir
from flowscope.server import create_app

TENSORBOARD_START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


@contextlib.contextmanager
def flowscope_server(logdir: str, reload_interval: float = 0, **logdir_options) -> Iterator[str]:
    """A flowscope server on ``logdir``; yields its base URL once the first load is done."""
    app = create_app(Logdir(logdir, load=False, **logdir_options), reload_interval)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: not httpx.get(f"{url}/api/status").json()["loading"], 60, "flowscope to load"
        )
        yield url
    finally:
        app.state.feed.close()
        server.should_exit = True
        thread.join(10)


class FlowscopeServers:
    """Flowscope servers shared by many tests: one per logdir, started when first asked
    for and stopped together on ``close``."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._urls: dict[str, str] = {}

    def url(self, logdir: str) -> str:
        """The URL of the server on ``logdir``, started by this call if need be."""
        if logdir not in self._urls:
            self._urls[logdir] = self._stack.enter_context(flowscope_server(logdir))
        return self._urls[logdir]

    def close(self) -> None:
        self._stack.close()
        self._urls.clear()

    def __enter__(self) -> FlowscopeServers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


@contextlib.contextmanager
def command_server(
    command: list[str],
    ready: Callable[[str], bool],
    what: str,
    timeout: float = 300,
    interval: float = 0.1,
) -> Iterator[str]:
    """``command --port PORT`` as a subprocess on a free port; yields its URL once
    ``ready(url)`` holds (HTTP errors while it starts count as not ready)."""
    port = free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: ready(url), timeout, what, interval)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _stable(url: str, paths: list[str]) -> Callable[[], bool]:
    """True once the answers of ``paths`` are the same twice in a row."""
    last: list[object] = []

    def check() -> bool:
        now = [httpx.get(url + path, timeout=10).text for path in paths]
        same = now == last[-1] if last else False
        last.append(now)
        return same

    return check


def tensorboard_command(logdir: str) -> list[str]:
    """``tensorboard --load_fast=false`` on ``logdir``, loading it once (no reloads)."""
    return [
        sys.executable,
        "-m",
        "tensorboard.main",
        "--logdir",
        logdir,
        "--host",
        "127.0.0.1",
        "--load_fast=false",
        "--reload_interval",
        "0",
    ]


@contextlib.contextmanager
def tensorboard_server(logdir: str) -> Iterator[str]:
    """``tensorboard --load_fast=false`` on ``logdir``, once what it serves stops changing."""

    def started(url: str) -> bool:
        return httpx.get(f"{url}/data/runs").status_code == 200

    command = tensorboard_command(logdir)
    with command_server(
        command, started, "tensorboard to start", TENSORBOARD_START_SECONDS, interval=0.25
    ) as url:
        paths = [
            "/data/runs",
            "/data/plugin/scalars/tags",
            "/data/plugins_listing",
            "/data/plugin/graphs/info",
        ]
        wait_until(_stable(url, paths), 60, "tensorboard to finish loading", interval=0.5)
        yield url
