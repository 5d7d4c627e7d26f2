"""What the browser tests share besides fixtures: flowscope servers on free ports,
Chromium's path and flags, the real-graphs logdir, and page helpers (opening a
dashboard; the graph dashboard read through its ``window.__flowscope_graph`` hook).
Tests import it by name; conftest modules cannot be imported (other test folders have
their own)."""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from flowscope.data.logdir import Logdir
from flowscope.server import create_app

ROOT = Path(__file__).parents[2]
GRAPHS = ROOT / "tests" / "data" / "graphs"
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STATIC = ROOT / "src" / "flowscope" / "web" / "static" / "index.html"
VIEWPORT = {"width": 1400, "height": 900}
WAIT_MS = 30_000


# -- servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(logdir: str, reload_interval: float = 0) -> Iterator[str]:
    """A flowscope server on ``logdir`` (uvicorn in a thread, a free port); yields its URL
    once the first load is done."""
    app = create_app(Logdir(logdir, load=False), reload_interval)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if not httpx.get(f"{url}/api/status").json()["loading"]:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"flowscope did not load {logdir}")
        time.sleep(0.05)
    try:
        yield url
    finally:
        app.state.feed.close()
        server.should_exit = True
        thread.join(10)


def write_graphs_logdir(logdir: Path) -> None:
    """Runs holding real graphs: InceptionV3 (a Keras GraphDef written with flowscope's
    SummaryWriter), the TF1 training graph with RunMetadata, the torch-traced BERT-like model."""
    from flowscope.io.writer import SummaryWriter

    with SummaryWriter(str(logdir / "inception")) as writer:
        writer.add_graph((GRAPHS / "keras_inception_v3.pb").read_bytes())
    for name in ("tf1_train", "torch_bert"):
        shutil.copytree(GRAPHS / name, logdir / name)


# -- pages ---------------------------------------------------------------------------------


def open_dashboard(page: Any, url: str, dashboard: str, hash_state: str = "") -> None:
    """Opens ``dashboard`` and waits for its pane."""
    suffix = f"&{hash_state}" if hash_state else ""
    page.goto(f"{url}/#dash={dashboard}{suffix}")
    page.wait_for_selector(f'section.pane[data-dashboard="{dashboard}"]')


class GraphPage:
    """The graph dashboard in a page, read through its ``window.__flowscope_graph`` hook."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def hook(self, expression: str) -> Any:
        return self.page.evaluate(f"() => window.__flowscope_graph.{expression}")

    def views(self) -> int:
        return self.page.evaluate(
            "() => window.__flowscope_graph ? window.__flowscope_graph.views : 0"
        )

    def wait(self, after_views: int | None = None) -> None:
        """Waits until a view (newer than ``after_views`` views) is drawn and still."""
        wanted = 0 if after_views is None else after_views
        self.page.wait_for_function(
            "n => window.__flowscope_graph && window.__flowscope_graph.views > n"
            " && window.__flowscope_graph.ready",
            arg=wanted,
        )

    def act(self, action) -> None:
        """Runs ``action`` (which changes the view) and waits for the new view."""
        before = self.views()
        action()
        self.wait(before)

    def state(self) -> dict:
        return self.hook("state()")

    def drawn(self) -> dict[str, dict]:
        return {box["name"]: box for box in self.hook("drawn()")}

    def nodes(self) -> dict[str, dict]:
        return {node["name"]: node for node in self.hook("nodes()")}

    def box(self, name: str) -> dict:
        boxes = self.drawn()
        assert name in boxes, f"{name} is not drawn; drawn: {sorted(boxes)[:40]}"
        return boxes[name]

    def click(self, name: str, header: bool = False) -> None:
        """Clicks a drawn node: its centre, or the title bar of an expanded node."""
        b = self.box(name)
        y = b["y"] + min(8.0, b["height"] / 2) if header else b["y"] + b["height"] / 2
        self.page.mouse.click(b["x"] + min(b["width"] / 2, 40.0 if header else b["width"]), y)

    def toggle(self, name: str, header: bool = False) -> None:
        self.act(lambda: self.click(name, header))

    def select(self, name: str) -> None:
        """Clicks an op and waits for its info panel."""
        self.click(name)
        self.wait_info(name)

    def wait_info(self, name: str) -> None:
        self.page.wait_for_selector(f'.graph-info[data-node="{name}"]')
        self.page.wait_for_function("() => window.__flowscope_graph.ready")

    def info_text(self) -> str:
        return self.page.inner_text(".graph-info")

    def search(self, text: str, choose: str) -> None:
        """Types ``text`` in the search box and picks the result ``choose``."""
        self.type_search(text)
        item = self.page.locator(f'.graph-search li[data-name="{choose}"]')
        item.wait_for()
        self.act(item.click)

    def type_search(self, text: str) -> None:
        """Types ``text`` in the search box and waits for its results."""
        self.page.keyboard.press("/")
        self.page.keyboard.type(text)
        self.page.wait_for_function(
            "q => document.querySelector('.graph-search ul').dataset.query === q", arg=text
        )

    def centre(self, name: str) -> None:
        """Brings a node into the middle of the view, as a user would: by searching it."""
        self.search(f"^{re.escape(name)}$", name)

    def canvas_box(self) -> dict:
        return self.page.locator("canvas.graph-canvas").bounding_box()


def open_graph(page: Any, url: str, hash_state: str = "") -> GraphPage:
    """Opens the graph dashboard afresh and waits for its first view."""
    page.goto("about:blank")
    open_dashboard(page, url, "graphs", hash_state)
    graph = GraphPage(page)
    graph.wait()
    return graph
