"""The ``flowscope`` command serving a logdir in its own process, for tests that must
be able to kill a server that hangs, or that check what only the command line sets up."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

import httpx
import psutil
from server_harness import wait_until

COMMAND = [sys.executable, "-m", "flowscope.cli.main"]


@contextlib.contextmanager
def cli_server(logdir: str, *options: str) -> Iterator[tuple[str, psutil.Process]]:
    """``flowscope --logdir logdir --port 0 options...``; yields its base URL (no
    trailing slash) and process once the first load is done, and kills it afterwards."""
    command = [*COMMAND, "--logdir", logdir, "--port", "0", "--reload_interval", "0", "--no_cache"]
    process = subprocess.Popen(
        [*command, *options], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if " at http://" not in line:
            raise RuntimeError(f"flowscope did not start: {line!r}")
        url = line.split(" at ")[1].split()[0].rstrip("/")
        wait_until(
            lambda: not httpx.get(f"{url}/api/status").json()["loading"], 60, "flowscope to load"
        )
        yield url, psutil.Process(process.pid)
    finally:
        process.kill()
        process.wait()
