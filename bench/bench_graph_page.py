"""Graph page benchmark in headless Chromium: flowscope against TensorBoard.

    python bench/bench_graph_page.py          # both sizes, 3 rounds each
    python bench/bench_graph_page.py 2k       # one size

For each graph (InceptionV3, ~2.2K ops; a generated transformer training step, ~20K
ops), written to an event file with flowscope's SummaryWriter, this times how long it
takes from opening the page until the first view of the graph is drawn:

* TensorBoard 2.21 (``python -m tensorboard.main``), graph dashboard at ``/#graphs``,
  drawn once its ``svg g.node`` elements exist;
* flowscope (``flowscope --logdir``), drawn once its ``window.__flowscope_graph`` hook
  reports a still view. "warm" is the graph the server prepares after loading the
  logdir (the one the dashboard opens first); "cold" is the same graph in a second run,
  loaded when the page asks for it.

It also times expanding the largest group in flowscope (a click until the new view is
drawn). Each figure is the median of the rounds, each in a fresh browser context.
"""

from __future__ import annotations

import contextlib
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]  # tests.support, and this checkout's flowscope

from bench_graph import INCEPTION, LAYERS, transformer

from flowscope.io.writer import SummaryWriter
from flowscope.proto.graph_pb2 import GraphDef
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from tests.support.servers import command_server, tensorboard_command

ROUNDS = 3
TIMEOUT_MS = 60_000
# The group to expand and the groups that hold it, per size.
EXPAND = {
    "2k": ([], "inception_v3_1"),
    "20k": (["model", "model/encoder"], f"model/encoder/layer_[0-{LAYERS['20k'] - 1}]"),
}



def graph_def(size: str) -> GraphDef:
    if size == "2k":
        return GraphDef.FromString(INCEPTION.read_bytes())
    return transformer(LAYERS[size])


def write_logdir(folder: Path, graph: GraphDef) -> None:
    """Two runs with the same graph: ``warm`` (first by time) and ``cold``."""
    for run, wall_time in (("warm", 1_000.0), ("cold", 2_000.0)):
        with SummaryWriter(str(folder / run)) as writer:
            writer.add_graph(graph, walltime=wall_time)


def flowscope(logdir: str) -> contextlib.AbstractContextManager[str]:
    def ready(url: str) -> bool:
        if httpx.get(f"{url}/api/status").json()["loading"]:
            return False
        time.sleep(0.1)
        return True

    command = [sys.executable, "-m", "flowscope.cli.main", "--logdir", logdir]
    return command_server(command + ["--reload_interval", "0", "--no_cache"], ready, "flowscope")


def tensorboard(logdir: str) -> contextlib.AbstractContextManager[str]:
    def ready(url: str) -> bool:
        return "warm" in httpx.get(f"{url}/data/plugin/graphs/info").json()

    return command_server(tensorboard_command(logdir), ready, "tensorboard")


def timed(browser, url: str, drawn: Callable) -> float:
    """Seconds from opening ``url`` in a fresh context until ``drawn(page)`` returns."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        start = time.perf_counter()
        page.goto(url)
        drawn(page)
        return time.perf_counter() - start
    finally:
        context.close()


def flowscope_drawn(page) -> None:
    page.wait_for_function("() => window.__flowscope_graph && window.__flowscope_graph.ready")


def tensorboard_drawn(page) -> None:
    page.wait_for_selector("svg g.node", state="attached")  # CSS selectors pierce shadow DOM


def expand_seconds(browser, url: str, size: str) -> float:
    """Seconds from clicking the largest group until its expanded view is drawn."""
    holders, group = EXPAND[size]
    state = "".join(f"&gexpand={name}" for name in holders)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{url}/#dash=graphs&grun=warm{state}")
        flowscope_drawn(page)
        page.keyboard.press("/")
        page.keyboard.type(f"^{re.escape(group)}$")
        page.locator(f'.graph-search li[data-name="{group}"]').click()
        page.wait_for_function("() => window.__flowscope_graph.ready")
        box = next(
            b for b in page.evaluate("window.__flowscope_graph.drawn()") if b["name"] == group
        )
        views = page.evaluate("window.__flowscope_graph.views")
        start = time.perf_counter()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "n => window.__flowscope_graph.views > n && window.__flowscope_graph.ready", arg=views
        )
        return time.perf_counter() - start
    finally:
        context.close()


def attempt(measure: Callable[[], float]) -> float:
    """One round; a round whose page never draws is retried once, with a warning."""
    try:
        return measure()
    except PlaywrightTimeout as err:
        print(f"warning: a round timed out ({str(err).splitlines()[0]}); retrying", file=sys.stderr)
        return measure()


def median_of(measure: Callable[[], float]) -> float:
    return statistics.median(attempt(measure) for _ in range(ROUNDS))


def measure(size: str, browser) -> dict:
    graph = graph_def(size)
    with tempfile.TemporaryDirectory(prefix=f"bench-graph-page-{size}-") as folder:
        write_logdir(Path(folder), graph)
        result: dict = {"size": size, "ops": len(graph.node)}
        with flowscope(folder) as url:
            page = f"{url}/#dash=graphs"
            result["flowscope_warm"] = median_of(lambda: timed(browser, page, flowscope_drawn))
            # The cold run is loaded by its first request only: one round.
            result["flowscope_cold"] = attempt(
                lambda: timed(browser, f"{page}&grun=cold", flowscope_drawn)
            )
            result["expand"] = median_of(lambda: expand_seconds(browser, url, size))
        with tensorboard(folder) as url:
            result["tensorboard"] = median_of(
                lambda: timed(browser, f"{url}/#graphs", tensorboard_drawn)
            )
    return result


def main(argv: list[str]) -> None:
    sizes = argv or ["2k", "20k"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = [measure(size, browser) for size in sizes]
        browser.close()
    print(f"first view of the graph page, median of {ROUNDS} (cold: one round), seconds")
    header = (
        f"{'graph':<6} {'ops':>7} {'TensorBoard':>12} {'flowscope':>10} {'speed-up':>9} "
        f"{'cold':>6} {'speed-up':>9} {'expand':>8}"
    )
    print(header)
    for r in results:
        print(
            f"{r['size']:<6} {r['ops']:>7} {r['tensorboard']:>12.2f} {r['flowscope_warm']:>10.2f} "
            f"{r['tensorboard'] / r['flowscope_warm']:>8.1f}x {r['flowscope_cold']:>6.2f} "
            f"{r['tensorboard'] / r['flowscope_cold']:>8.1f}x {r['expand']:>8.2f}"
        )
    print("flowscope: warm = the graph prepared after loading; cold = loaded on request.")
    print("expand: clicking the largest group until its view is drawn (flowscope).")


if __name__ == "__main__":
    main(sys.argv[1:])
