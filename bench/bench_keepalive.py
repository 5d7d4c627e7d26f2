"""Latency of requests made one after another on one keep-alive connection, as the
web app makes them: with Nagle's algorithm on the server's sockets, each answer
written in two parts waits for the client's delayed ACK (about 40 ms).

    python bench/bench_keepalive.py [--requests N]

The server runs from whatever ``flowscope`` the environment imports: run it once with
``PYTHONPATH=/path/to/other/src`` to compare two versions.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.support

import flowscope
from flowscope.io.writer import SummaryWriter
from tests.support.cli_server import cli_server

PATHS = [
    "/api/status",
    "/data/runs",
    "/data/plugin/scalars/tags",
    "/data/plugin/scalars/scalars?" + urllib.parse.urlencode({"run": "train", "tag": "loss"}),
]


def write_logdir(root: str) -> None:
    with SummaryWriter(f"{root}/train") as writer:
        for step in range(200):
            writer.add_scalar("loss", 1.0 / (step + 1), step)


def latencies(url: str, requests: int) -> list[float]:
    """Seconds per request, cycling through `PATHS` on one connection."""
    netloc = urllib.parse.urlsplit(url).netloc
    connection = http.client.HTTPConnection(netloc, timeout=30)
    times = []
    for index in range(requests):
        start = time.perf_counter()
        connection.request("GET", PATHS[index % len(PATHS)])
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"{PATHS[index % len(PATHS)]} answered {response.status}")
    connection.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        write_logdir(root)
        with cli_server(root) as (url, _):
            latencies(url, 20)  # warm-up
            times = latencies(url, args.requests)
    ms = sorted(t * 1000 for t in times)
    print(
        f"flowscope {flowscope.__file__}: {args.requests} keep-alive requests, "
        f"median {statistics.median(ms):.2f} ms, p90 {ms[int(len(ms) * 0.9)]:.2f} ms, "
        f"mean {statistics.fmean(ms):.2f} ms, total {sum(ms) / 1000:.2f} s"
    )


if __name__ == "__main__":
    main()
