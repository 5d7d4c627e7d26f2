"""Load test: 32 clients on mixed routes for a bounded time while a writer appends to a
run, against ``flowscope --logdir`` in its own process.

    python bench/bench_load_test.py [--seconds 60] [--clients 32] [--warm-up 10]

Each client keeps one connection and asks, one request after another, for runs,
tags, scalars (JSON and binary columns), histograms, images, graph views and graph
searches. Meanwhile a writer appends a point a few milliseconds apart to ``live/loss``
and the server reloads every second. Reported: throughput, p50 and p99 latency after
the warm-up, errors (any non-2xx answer or failed request), the server's RSS at the
end of the warm-up and at the end (sampled every half second), and whether every
appended point is served once the writer stops.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.support

from flowscope.cli.demo import demo_graph
from flowscope.io.writer import SummaryWriter
from tests.support.cli_server import cli_server

RUNS = 8
TAGS = 10
STEPS = 5000
LIVE_RUN, LIVE_TAG = "live", "loss"
APPEND_EVERY = 0.005
RELOAD_SECONDS = 1
COMPLETE_WITHIN = 60


def write_logdir(root: str) -> None:
    """Runs of scalars, histograms and images, a run with InceptionV3's graph."""
    rng = np.random.default_rng(0)
    for index in range(RUNS):
        with SummaryWriter(f"{root}/sweep/run_{index}") as writer:
            for step in range(STEPS):
                for tag in range(TAGS):
                    writer.add_scalar(f"metrics/m{tag}", float(rng.random()), step)
                if step % 100 == 0:
                    writer.add_histogram("weights", rng.normal(0, 1, 1000), step)
                if step % 500 == 0:
                    image = rng.integers(0, 255, (3, 64, 64), dtype=np.uint8)
                    writer.add_image("samples", image, step)
    with SummaryWriter(f"{root}/graph") as writer:
        writer.add_graph(demo_graph())


def request_paths() -> list[tuple[str, dict]]:
    """(path, query) of the mixed routes; images are added from the first listing."""
    run, tag = "sweep/run_0", "metrics/m0"
    runs = [f"sweep/run_{i}" for i in range(RUNS)]
    return [
        ("/data/runs", {}),
        ("/api/runs", {}),
        ("/data/plugin/scalars/tags", {}),
        ("/data/plugin/scalars/scalars", {"run": run, "tag": tag}),
        ("/api/scalars/columns", {"tag": "metrics/m3", "run": runs}),
        ("/data/plugin/scalars/scalars", {"run": LIVE_RUN, "tag": LIVE_TAG}),
        ("/data/plugin/histograms/histograms", {"run": "sweep/run_1", "tag": "weights"}),
        ("/data/plugin/distributions/distributions", {"run": "sweep/run_2", "tag": "weights"}),
        ("/data/plugin/images/images", {"run": "sweep/run_3", "tag": "samples"}),
        ("/api/graph/view", {"run": "graph"}),
        ("/api/graph/view", {"run": "graph", "expanded": ["mixed0"]}),
        ("/api/graph/search", {"run": "graph", "q": "conv2d_1"}),
    ]


@dataclass
class Tally:
    started: float
    warm_up: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_route: dict[str, list[float]] = field(default_factory=dict)
    requests: int = 0

    def record(self, route: str, seconds: float, error: str | None) -> None:
        self.requests += 1
        if time.monotonic() - self.started >= self.warm_up:
            self.latencies.append(seconds)
            self.by_route.setdefault(route, []).append(seconds)
        if error:
            self.errors.append(error)


async def client(
    url: str, paths: list[tuple[str, dict]], offset: int, until: float, tally: Tally
) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        index = offset
        while time.monotonic() < until:
            path, query = paths[index % len(paths)]
            index += 1
            start = time.monotonic()
            error = None
            try:
                response = await http.get(path, params=query)
                await response.aread()
                if response.status_code >= 300:
                    error = f"{path}: {response.status_code} {response.text[:200]}"
            except httpx.HTTPError as err:
                error = f"{path}: {type(err).__name__} {err}"
            tally.record(path, time.monotonic() - start, error)


def image_paths(url: str) -> list[tuple[str, dict]]:
    """The first images of the image series, by their ``individualImage`` query."""
    listing = {"run": "sweep/run_3", "tag": "samples"}
    found = httpx.get(f"{url}/data/plugin/images/images", params=listing).json()
    route = "/data/plugin/images/individualImage"
    return [(route, dict(urllib.parse.parse_qsl(entry["query"]))) for entry in found[:4]]


class Appender(threading.Thread):
    """Appends ``live/loss`` points, step 0, 1, 2, ..., until stopped."""

    def __init__(self, root: str) -> None:
        super().__init__(daemon=True)
        self.writer = SummaryWriter(f"{root}/{LIVE_RUN}")
        self.stop = threading.Event()
        self.written = 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.writer.add_scalar(LIVE_TAG, float(self.written) * 0.5, self.written)
            self.written += 1
            if self.written % 20 == 0:
                self.writer.flush()
            time.sleep(APPEND_EVERY)
        self.writer.close()


class RssSampler(threading.Thread):
    def __init__(self, process: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self.stop.wait(0.5):
            self.samples.append((time.monotonic() - start, self.process.memory_info().rss))

    def at(self, seconds: float) -> int:
        return next((rss for t, rss in self.samples if t >= seconds), self.samples[-1][1])


def complete_series(url: str, written: int) -> tuple[int, bool]:
    """How many ``live/loss`` points are served once the server caught up, and whether
    they are exactly the steps 0..written-1 with their values."""
    deadline = time.monotonic() + COMPLETE_WITHIN
    rows: list = []
    while time.monotonic() < deadline:
        rows = httpx.get(
            f"{url}/data/plugin/scalars/scalars", params={"run": LIVE_RUN, "tag": LIVE_TAG}
        ).json()
        if len(rows) >= written:
            break
        time.sleep(0.5)
    exact = [row[1] for row in rows] == list(range(written)) and all(
        row[2] == row[1] * 0.5 for row in rows
    )
    return len(rows), exact


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--warm-up", type=float, default=10)
    parser.add_argument(
        "--logdir", help="write the logdir here once and reuse it (default: a temporary one)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.logdir or scratch
        if not Path(root, "graph").is_dir():
            began = time.monotonic()
            write_logdir(root)
            print(f"logdir written in {time.monotonic() - began:.1f} s", flush=True)
        shutil.rmtree(Path(root, LIVE_RUN), ignore_errors=True)
        appender = Appender(root)
        appender.writer.add_scalar(LIVE_TAG, 0.0, 0)
        appender.written = 1
        appender.writer.flush()
        options = ("--reload_interval", str(RELOAD_SECONDS))
        with cli_server(root, *options) as (url, process):
            paths = request_paths() + image_paths(url)
            sampler = RssSampler(process)
            sampler.start()
            appender.start()
            tally = Tally(time.monotonic(), args.warm_up)
            until = tally.started + args.seconds

            async def clients() -> None:
                await asyncio.gather(
                    *(client(url, paths, i, until, tally) for i in range(args.clients))
                )

            asyncio.run(clients())
            elapsed = time.monotonic() - tally.started
            appender.stop.set()
            appender.join()
            served, exact = complete_series(url, appender.written)
            sampler.stop.set()
            sampler.join()
    measured = elapsed - args.warm_up
    result = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": tally.requests,
        "throughput_per_s": round(len(tally.latencies) / measured, 1),
        "p50_ms": round(percentile(tally.latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(tally.latencies, 99) * 1000, 1),
        "errors": len(tally.errors),
        "first_errors": tally.errors[:5],
        "rss_after_warm_up_mib": round(sampler.at(args.warm_up) / 2**20, 1),
        "rss_end_mib": round(sampler.at(elapsed - 0.5) / 2**20, 1),
        "rss_peak_mib": round(max(rss for _, rss in sampler.samples) / 2**20, 1),
        "rss_every_10s_mib": [round(sampler.at(t) / 2**20) for t in range(0, int(elapsed), 10)],
        "p50_ms_by_route": {
            route: round(percentile(times, 50) * 1000, 1) for route, times in tally.by_route.items()
        },
        "appended": appender.written,
        "appended_served": served,
        "appended_exact": exact,
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_load_test.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
