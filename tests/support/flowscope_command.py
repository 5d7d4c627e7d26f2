"""``flowscope --logdir`` in a subprocess, as a user starts it, with its log in a file."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


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
