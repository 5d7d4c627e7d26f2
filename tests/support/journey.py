"""What the journey tests share: the committed journey logdir, a watch on everything that
goes wrong in a page (console errors, uncaught exceptions, failed requests, error text in
the app), the visible dashboard, screenshots, and the hparams table as TensorBoard's own
loader reads it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.pages import SCREENSHOTS

JOURNEY = Path(__file__).resolve().parents[1] / "data" / "journey"
SHOTS = SCREENSHOTS / "journey"

# Text the app shows only when something failed (scalar cards prefix theirs with ⚠).
ERROR_TEXT = re.compile(r"⚠|Cannot read|is not a function|undefined|TypeError|Error:|\bNaN\b")


class PageWatch:
    """Collects what went wrong in a page since it was opened."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _request_failed(self, request: Any) -> None:
        # Chromium reports a no-store fetch stream read to its end as ERR_ABORTED
        # (playwright issue 42742): a request whose whole answer arrived did not fail.
        # (A body cut short shows as error text: the scalar cards say so.)
        if request.failure == "net::ERR_ABORTED" and request.timing.get("responseEnd", -1) > 0:
            response = request.response()
            if response is not None and response.ok:
                return
        self.problems.append(f"request failed: {request.failure}: {request.url}")


def visible_dashboards(page: Any) -> list[str]:
    """The ids of the dashboard panes a person can see."""
    return [
        pane.get_attribute("data-dashboard")
        for pane in page.locator("section.pane").all()
        if pane.is_visible()
    ]


def error_texts(page: Any) -> list[str]:
    """Visible lines of the app that read as an error."""
    text = page.locator("main.content").inner_text()
    return [line for line in text.splitlines() if ERROR_TEXT.search(line)]


def poll(
    page: Any,
    describe: Callable[[], Any],
    predicate: Callable[[Any], bool],
    what: str,
    timeout: float = 20.0,
) -> Any:
    """Polls ``describe()`` until ``predicate`` holds on it; returns the last description."""
    deadline = time.monotonic() + timeout
    while True:
        found = describe()
        if found is not None and predicate(found):
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened: {str(found)[:800]}")
        page.wait_for_timeout(100)


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def tensorboard_hparams(runs: list[str]) -> dict[str, dict[str, object]]:
    """Per session run: its hparams (from the hparams plugin's session start info) and
    the last value of each scalar, read with TensorBoard's EventAccumulator."""
    from tensorboard.backend.event_processing import plugin_event_accumulator as pea
    from tensorboard.plugins.hparams import metadata
    from tensorboard.util import tensor_util

    table: dict[str, dict[str, object]] = {}
    for run in runs:
        accumulator = pea.EventAccumulator(str(JOURNEY / run), size_guidance={pea.TENSORS: 0})
        accumulator.Reload()
        content = accumulator.PluginTagToContent("hparams")[metadata.SESSION_START_INFO_TAG]
        start = metadata.parse_session_start_info_plugin_data(content)
        row: dict[str, object] = {
            name: getattr(value, value.WhichOneof("kind")) for name, value in start.hparams.items()
        }
        for tag in accumulator.Tags()["tensors"]:
            events = accumulator.Tensors(tag)
            if tag not in row and events and not tag.startswith("_hparams_"):
                row[tag] = float(tensor_util.make_ndarray(events[-1].tensor_proto))
        table[run] = row
    return table
