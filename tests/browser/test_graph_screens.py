"""Screenshots of the graph dashboard for review, in light and dark themes, saved to
``tests/screenshots/graph-*.png`` (not committed)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image

from tests.support.pages import SCREENSHOTS, GraphPage, open_graph


def save(graph: GraphPage, name: str) -> None:
    """Saves a screenshot once the view is still, and checks that something is drawn."""
    page = graph.page
    page.mouse.move(5, 5)  # no hover tooltip
    page.wait_for_function("() => window.__flowscope_graph.ready")
    SCREENSHOTS.mkdir(exist_ok=True)
    png = page.screenshot(path=str(SCREENSHOTS / f"graph-{name}.png"))
    canvas = np.asarray(Image.open(BytesIO(png)).convert("RGB"))[100:, 260:1050]
    assert len(np.unique(canvas.reshape(-1, 3), axis=0)) > 20, f"{name}: nothing drawn"


def theme(graph: GraphPage, name: str) -> None:
    graph.page.click(".theme-toggle")
    graph.page.wait_for_function("t => document.documentElement.dataset.theme === t", arg=name)


def test_screenshots(page, demo_url, graphs_url, tmp_path: Path) -> None:
    graph = open_graph(page, demo_url)
    save(graph, "demo-open")
    graph.toggle("loss")
    graph.centre("layer_2/conv/MatMul")
    save(graph, "demo-search-info")
    page.keyboard.press("i")
    page.wait_for_function("() => window.__flowscope_graph.traced() !== null")
    save(graph, "demo-trace")

    graph = open_graph(page, graphs_url, "grun=inception")
    graph.act(lambda: page.select_option(".graph-depth", "2"))
    save(graph, "inception-depth2")
    with page.expect_download() as download:
        page.click(".graph-toolbar button:text-is('PNG')")
    download.value.save_as(SCREENSHOTS / "graph-inception-export.png")

    graph = open_graph(
        page, graphs_url, "grun=torch_bert&gexpand=BertModel&gselect=BertModel/select"
    )
    theme(graph, "dark")
    graph.centre("BertModel/select")
    page.keyboard.press("+")
    page.keyboard.press("+")
    save(graph, "bert-dark-zoomed")

    graph = open_graph(
        page, graphs_url, "grun=tf1_train&gtag=step_1&gcolour=compute_time&gexpand=gradients"
    )
    save(graph, "tf1-compute-time-dark")
    theme(graph, "light")  # the theme persisted across the reload
    graph.act(lambda: page.select_option(".graph-colour", "device"))
    save(graph, "tf1-device-light")
