"""Pages of the web app in headless Chromium: opening a dashboard, reading what it drew
through its debug hooks (``window.flowscopeDebug``, and ``window.__flowscope_graph`` for
the graph dashboard), and screenshots."""

from __future__ import annotations

import re
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
WAIT_MS = 30_000


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


def debug(page: Any, dashboard: str) -> Any:
    """What the dashboard says it drew (its read-only debug hook)."""
    return page.evaluate(
        f"window.flowscopeDebug && window.flowscopeDebug[{dashboard!r}] ? window.flowscopeDebug[{dashboard!r}]() : null"
    )


def until(page: Any, dashboard: str, predicate, timeout: float = 20.0) -> Any:
    """Polls the dashboard's debug hook until ``predicate(info)`` holds; returns the info."""
    deadline = time.monotonic() + timeout
    while True:
        info = debug(page, dashboard)
        if info is not None and predicate(info):
            return info
        if time.monotonic() > deadline:
            raise AssertionError(f"{dashboard} never satisfied the condition: {str(info)[:800]}")
        time.sleep(0.1)


def pixels_vary(png: bytes) -> bool:
    """Whether a screenshot holds more than one colour (something was drawn)."""
    from PIL import Image

    image = np.asarray(Image.open(BytesIO(png)).convert("RGB"))
    return len(np.unique(image.reshape(-1, 3), axis=0)) > 2
