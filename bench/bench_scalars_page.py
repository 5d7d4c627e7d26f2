"""Issue 6 benchmark: in headless Chromium, the time from opening the scalars dashboard
until every chart of 10 selected runs is drawn, for flowscope and for TensorBoard.

    python bench/bench_scalars_page.py [--logdir bench/data/large] [--runs 10] [--repeat 3]

Both servers read a logdir of symlinks to the first ``--runs`` runs of the large
generated logdir (made by make_logdir.py when missing) and are fully loaded before
the page opens. Each measurement uses a fresh browser context (empty cache) and a
viewport tall enough to show every card, so lazy loading does not hide any work.
Headless Chromium starts WebUI renderers of its own for each new window (some 0.6 s
of CPU over 0.7 s); the page is opened once the browser's processes are idle again,
so that start-up does not compete with either dashboard on a small machine.

"Drawn" is checked in the page every 50 ms and timed with ``performance.now()``
(milliseconds since navigation started); the page then logs a console message, so that
nothing of the harness runs in the page while it loads:

- flowscope: every scalar card drew all its runs (raw and smoothed lines): each card
  sets ``data-series`` to the number of uPlot series after uPlot's draw;
- TensorBoard's scalars dashboard: every ``vz-line-chart2`` holds a raw and a smoothed
  line path per run. TensorBoard opens only its first two tag groups, so the probe opens
  the others as soon as they appear, as a person clicking them would.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.support
from make_logdir import MANIFEST, generate

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.servers import command_server

VIEWPORT = {"width": 1600, "height": 3200}
TIMEOUT_MS = 120_000
DRAWN = "bench: every chart drawn"

FLOWSCOPE_PROBE = """
(() => {
  const check = () => {
    const cards = [...document.querySelectorAll('.scalar-card')];
    return cards.length === EXPECTED_CARDS && cards.every((card) => Number(card.dataset.series) === 2 * EXPECTED_RUNS);
  };
  const timer = setInterval(() => {
    if (check()) { window.__drawnAt = performance.now(); clearInterval(timer); console.log(DRAWN); }
  }, 50);
})();
"""

TENSORBOARD_PROBE = """
(() => {
  const deepAll = (selector, root) => {
    const out = [...root.querySelectorAll(selector)];
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) out.push(...deepAll(selector, element.shadowRoot));
    }
    return out;
  };
  const drawnLines = (chart) => [...chart.shadowRoot.querySelectorAll('path.line')]
    .filter((path) => (path.getAttribute('d') || '').length > 100).length;
  let charts = [];
  const timer = setInterval(() => {
    if (!location.hash.includes('scalars')) return;
    if (charts.length < EXPECTED_CARDS) {  // walk the shadow DOM only until every chart exists
      for (const view of deepAll('tf-category-paginated-view', document)) {
        if (!view.opened) view.opened = true;
      }
      charts = deepAll('vz-line-chart2', document);
    }
    if (charts.length === EXPECTED_CARDS && charts.every((c) => drawnLines(c) >= 2 * EXPECTED_RUNS)) {
      window.__drawnAt = performance.now();
      clearInterval(timer);
      console.log(DRAWN);
    }
  }, 50);
})();
"""


def symlinked_logdir(source: Path, runs: list[str], target: Path) -> None:
    """Real run directories holding symlinks to the event files of ``runs``."""
    for run in runs:
        (target / run).mkdir(parents=True, exist_ok=True)
        for file in sorted((source / run).iterdir()):
            (target / run / file.name).symlink_to(file.resolve())


@contextlib.contextmanager
def servers(
    logdir: str, runs: list[str], tags: list[str], last_step: int
) -> Iterator[dict[str, str]]:
    """flowscope and tensorboard on ``logdir``; yields their URLs once each has loaded
    every series."""
    flowscope = [sys.executable, "-m", "flowscope.cli.main", "--logdir", logdir]
    tensorboard = [sys.executable, "-m", "tensorboard.main", "--logdir", logdir]
    tensorboard += ["--host", "127.0.0.1"]

    def flowscope_loaded(url: str) -> bool:
        return not httpx.get(url + "/api/status", timeout=60).json()["loading"]

    def tensorboard_loaded(url: str) -> bool:
        listing = httpx.get(url + "/data/plugin/scalars/tags", timeout=60).json()
        if set(listing) != set(runs) or any(len(listing[run]) != len(tags) for run in runs):
            return False
        for run in runs:
            query = {"run": run, "tag": tags[-1]}
            rows = httpx.get(url + "/data/plugin/scalars/scalars", params=query, timeout=60).json()
            if not rows or rows[-1][1] != last_step:
                return False
        return True

    loading = {
        "flowscope": (flowscope, flowscope_loaded, 600),
        "tensorboard": (tensorboard, tensorboard_loaded, 900),
    }
    with contextlib.ExitStack() as stack:
        urls = {}
        for name, (command, loaded, timeout) in loading.items():
            server = command_server(
                [*command, "--reload_interval", "0"], loaded, f"{name} to load", timeout, 0.25
            )
            urls[name] = stack.enter_context(server)
        yield urls


def browser_cpu() -> dict[int, float]:
    """CPU seconds used so far by each of the browser's processes."""
    used = {}
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name():
                times = process.cpu_times()
                used[process.pid] = times.user + times.system
        except psutil.Error:
            pass
    return used


def settle(timeout: float = 5.0, idle: float = 0.01, interval: float = 0.1) -> None:
    """Waits until the browser's processes use less than ``idle`` CPU seconds in an
    ``interval``."""
    deadline = time.monotonic() + timeout
    before = browser_cpu()
    while time.monotonic() < deadline:
        time.sleep(interval)
        now = browser_cpu()
        if sum(used - before.get(pid, 0.0) for pid, used in now.items()) < idle:
            return
        before = now


def measure(browser, url: str, probe: str) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(probe)
    settle()
    # Told by a console message: polling from here would run Playwright's injected
    # script in the page (some 20 ms of compiling) while it loads.
    with page.expect_console_message(lambda message: message.text == DRAWN, timeout=TIMEOUT_MS):
        page.goto(url)
    drawn = page.evaluate("window.__drawnAt")
    context.close()
    return drawn / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logdir", default=str(Path(__file__).parent / "data" / "large"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = Path(args.logdir)
    if not (source / MANIFEST).exists():
        print(f"generating the large logdir in {source} ...", flush=True)
        generate(str(source), small=False)
    manifest = json.loads((source / MANIFEST).read_text())
    runs, tags, last_step = manifest["runs"][: args.runs], manifest["tags"], manifest["last_step"]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp:
        symlinked_logdir(source, runs, Path(temp))
        print(
            f"{len(runs)} runs x {len(tags)} tags x {last_step + 1} steps, servers loading ...",
            flush=True,
        )
        with servers(temp, runs, tags, last_step) as urls:
            results: dict[str, list[float]] = {"flowscope": [], "tensorboard": []}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for _ in range(args.repeat):
                    for name, path, probe in [
                        ("flowscope", "/#dash=scalars", FLOWSCOPE_PROBE),
                        ("tensorboard", "/#scalars", TENSORBOARD_PROBE),
                    ]:
                        script = (
                            probe.replace("EXPECTED_CARDS", str(len(tags)))
                            .replace("EXPECTED_RUNS", str(len(runs)))
                            .replace("DRAWN", json.dumps(DRAWN))
                        )
                        results[name].append(measure(browser, urls[name] + path, script))
                        print(f"  {name}: {results[name][-1]:.2f} s", flush=True)
                browser.close()
    best = {name: min(times) for name, times in results.items()}
    for name, times in results.items():
        print(
            f"{name:12s} best {best[name]:.2f} s, median {statistics.median(times):.2f} s over {len(times)}"
        )
    print(f"flowscope is {best['tensorboard'] / best['flowscope']:.1f}x faster (best of each)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
