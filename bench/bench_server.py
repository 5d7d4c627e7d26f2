"""Issue 3 benchmark: time from process start until every scalar series is served over
HTTP up to its last step, and the peak RSS of the server's process tree, for:

- flowscope, first start (empty cache) and restart (cache from the first start), and a
  first start keeping 1,000 points a series as TensorBoard does;
- ``tensorboard --load_fast=false`` (the Python loader);
- ``tensorboard --load_fast=true`` (the Rust tensorboard-data-server).

    python bench/bench_server.py [--logdir DIR] [--small] [--servers NAME ...] [--timeout S]

Each server polls ``/data/plugin/scalars/scalars?run=&tag=`` per series; a run's other
series are asked only once its first pending one is complete, so polling stays light.
Only the last row of an answer is parsed (flowscope sends every point, TensorBoard a sample).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.support
from make_logdir import MANIFEST, generate
from measure import PeakRss

from tests.support.servers import free_port

POLL_PAUSE = 0.25



def commands(logdir: str, port: int) -> dict[str, list[str]]:
    flowscope = [
        sys.executable,
        "-m",
        "flowscope.cli.main",
        "--logdir",
        logdir,
        "--port",
        str(port),
        "--reload_interval",
        "0",
    ]
    tensorboard = [
        sys.executable,
        "-m",
        "tensorboard.main",
        "--logdir",
        logdir,
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
    ]
    return {
        "flowscope": flowscope,
        "flowscope-restart": flowscope,
        # TensorBoard's own sampling (1,000 points a series), for memory on equal terms:
        "flowscope-sampled": [*flowscope, "--samples_per_plugin", "scalars=1000"],
        "tensorboard-python": [*tensorboard, "--load_fast=false", "--reload_interval", "0"],
        "tensorboard-rust": [*tensorboard, "--load_fast=true"],
    }


def last_step(url: str) -> int | None:
    """The step of the last row of a ``[[wall_time, step, value], ...]`` answer."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
    tail = body.rstrip()[:-2].rsplit(b"[", 1)[-1] if len(body) > 2 else b""
    try:
        return int(tail.split(b",")[1])
    except (IndexError, ValueError):
        return None


def wait_for_series(base: str, manifest: dict, deadline: float) -> bool:
    pending = {run: list(manifest["tags"]) for run in manifest["runs"]}
    target = manifest["last_step"]
    while pending:
        if time.monotonic() > deadline:
            return False
        for run in list(pending):
            tags = pending[run]
            while tags:
                query = urllib.parse.urlencode({"run": run, "tag": tags[0]})
                if last_step(f"{base}/data/plugin/scalars/scalars?{query}") != target:
                    break
                tags.pop(0)
            if not tags:
                del pending[run]
        if pending:
            time.sleep(POLL_PAUSE)
    return True


def measure(
    name: str, command: list[str], port: int, manifest: dict, timeout: float, env: dict
) -> dict:
    started = time.monotonic()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        with PeakRss(process.pid) as rss:
            ok = wait_for_series(f"http://127.0.0.1:{port}", manifest, started + timeout)
            seconds = time.monotonic() - started
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return {
        "server": name,
        "seconds": seconds if ok else None,
        "peak_rss_mib": rss.peak / 2**20,
        "timed_out": not ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--logdir", default=str(Path(__file__).parent / "data" / "large"))
    parser.add_argument("--small", action="store_true", help="a quick check on a small logdir")
    parser.add_argument(
        "--servers", nargs="+", choices=list(commands("", 0)), default=list(commands("", 0))
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per server")
    args = parser.parse_args()
    logdir = args.logdir + ("-small" if args.small else "")
    if not os.path.exists(os.path.join(logdir, MANIFEST)):
        generate(logdir, small=args.small)
    manifest = json.loads(Path(logdir, MANIFEST).read_text())
    series = len(manifest["runs"]) * len(manifest["tags"])
    print(f"{logdir}: {series} scalar series up to step {manifest['last_step']}", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "FLOWSCOPE_CACHE_DIR": cache}
        for name in args.servers:
            port = free_port()
            result = measure(name, commands(logdir, port)[name], port, manifest, args.timeout, env)
            results.append(result)
            seconds = "timed out" if result["timed_out"] else f"{result['seconds']:8.2f} s"
            print(f"{name:20s} {seconds}  peak RSS {result['peak_rss_mib']:7.0f} MiB", flush=True)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / f"bench_server{'-small' if args.small else ''}.json").write_text(
        json.dumps(results, indent=2)
    )


if __name__ == "__main__":
    main()
