"""The ``flowscope`` command serving a logdir in its own process, for the tests that
must be able to kill a server that hangs or that check what only the command line
sets up, and for the benchmarks that measure the server apart from their clients."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

import httpx
import psutil

from tests.support.servers import wait_until

COMMAND = [sys.executable, "-m", "flowscope.cli.main"]
DEFAULTS = ("--port", "0", "--reload_interval", "0", "--no_cache")


@contextlib.contextmanager
def cli_server(logdir: str, *options: str) -> Iterator[tuple[str, psutil.Process]]:
    """``flowscope --logdir logdir`` on a free port, loading once without the cache
    unless ``options`` say otherwise; yields its base URL (no trailing slash) and its
    process once the first load is done, and kills it afterwards."""
    command = [*COMMAND, "--logdir", logdir, *DEFAULTS, *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        if " at http://" not in line:
            raise RuntimeError(f"flowscope did not start: {line!r}")
        url = line.split(" at ")[1].split()[0].rstrip("/")
        wait_until(
            lambda: not httpx.get(f"{url}/api/status").json()["loading"], 120, "flowscope to load"
        )
        yield url, psutil.Process(process.pid)
    finally:
        process.kill()
        process.wait()
