"""A flowscope server started through its command line, in its own process, for the
benchmarks that talk to it over HTTP."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import psutil
from measure import free_port

START_SECONDS = 120


def _loaded(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/status", timeout=5) as response:
            return not json.load(response)["loading"]
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def cli_server(logdir: str, *options: str) -> Iterator[tuple[str, psutil.Process]]:
    """``flowscope --logdir logdir`` on a free port with ``options``; yields its URL and
    process once the first load is done, and stops it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "flowscope.cli.main", "--logdir", logdir, "--port", str(port)]
    process = subprocess.Popen([*command, *options], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _loaded(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {command}")
            time.sleep(0.1)
        yield url, psutil.Process(process.pid)
    finally:
        process.kill()
        process.wait()
