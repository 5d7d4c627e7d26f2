"""Peak memory for the benchmarks: the RSS of a process's whole tree, sampled while it
runs. (Servers, free ports and Chromium come from the test harness, ``tests.support``.)"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from types import TracebackType

import psutil


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


class PeakRss:
    """Samples the tree RSS of process ``pid`` in a thread while the ``with`` block runs;
    ``peak`` holds the largest sample (bytes)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.is_set():
            try:
                self.peak = max(self.peak, tree_rss(self.process))
            except psutil.Error:
                pass
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self._sampler.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done.set()
        self._sampler.join()


def run_measured(args: list[str], interval: float = 0.05) -> tuple[float, int, str]:
    """(wall seconds, peak tree RSS bytes, stdout) of ``python args...``."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True)
    with PeakRss(child.pid, interval) as rss:
        out, _ = child.communicate()
    if child.returncode:
        raise RuntimeError(f"{args} failed with exit code {child.returncode}")
    return time.perf_counter() - start, rss.peak, out
