"""What the app-shell browser tests share: a page that fails on console errors and
failed requests as well as on uncaught exceptions, and readers of what the page shows
(the visible dashboards, tick labels noted by the charts)."""

from __future__ import annotations

import json
from typing import Any

from tests.support.pages import SCREENSHOTS

WIDE = {"width": 1600, "height": 1000}


class Watched:
    """A page whose console errors, failed requests and 4xx/5xx answers are kept in
    ``problems``; `check` fails the test on any."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on(
            "console",
            lambda message: (
                message.type == "error" and self.problems.append(f"console: {message.text}")
            ),
        )
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and self.problems.append(f"{response.status} {response.url}")
            ),
        )

    def _failed(self, request: Any) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:  # requests the app cancels on purpose
            self.problems.append(f"request failed: {request.url} {failure}")

    def check(self) -> None:
        assert not self.problems, f"problems in the page: {self.problems}"
        assert not self.page.errors, f"errors in the page: {self.page.errors}"


def visible_dashboards(page: Any) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('section.pane')]"
        ".filter(p => p.getClientRects().length > 0).map(p => p.dataset.dashboard)"
    )


def wait_shown(page: Any, dashboard: str) -> None:
    """Waits until ``dashboard`` is the only dashboard on screen."""
    page.wait_for_function(
        "id => { const shown = [...document.querySelectorAll('section.pane')]"
        ".filter(p => p.getClientRects().length > 0);"
        " return shown.length === 1 && shown[0].dataset.dashboard === id; }",
        arg=dashboard,
    )
    assert visible_dashboards(page) == [dashboard]
    selected = page.locator('.tabs button[aria-selected="true"]')
    assert selected.count() == 1 and selected.get_attribute("data-id") == dashboard


def hash_state(page: Any) -> str:
    return page.evaluate("location.hash")


def ticks(page: Any, selector: str) -> list[list[str]]:
    """Tick labels per axis of the chart in ``selector``, once it has drawn."""
    handle = page.wait_for_selector(f"{selector} [data-ticks]")
    page.wait_for_function(
        "el => JSON.parse(el.dataset.ticks).filter(Boolean).length >= 2", arg=handle
    )
    return json.loads(handle.get_attribute("data-ticks"))


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
