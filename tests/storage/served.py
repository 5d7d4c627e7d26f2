"""``flowscope --logdir`` in a subprocess, as a user starts it, with its log in a file."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

START_SECONDS = 60


@contextlib.contextmanager
def flowscope_command(logdir: str, log: Path, *options: str) -> Iterator[str]:
    """Serves ``logdir`` on a free port; yields the URL it prints. Stops it with Ctrl-C,
    and fails when it does not exit cleanly."""
    command = [sys.executable, "-m", "flowscope.cli.main", "--logdir", logdir, "--port", "0"]
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            [*command, *options], stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert " at http://" in line, f"flowscope did not start: {line!r} {log.read_text()}"
        yield line.split(" at ")[1].split()[0].rstrip("/")
        assert process.poll() is None, f"flowscope exited: {log.read_text()}"
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for(check: Callable[[], bool], what: str, timeout: float = START_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not _holds(check):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def _holds(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except httpx.HTTPError:
        return False
