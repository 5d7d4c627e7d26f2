"""The notebook helpers: an inline graph and a served app."""

from __future__ import annotations

import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

from flowscope import notebook
from flowscope.io.writer import SummaryWriter

GRAPHS = Path(__file__).parents[1] / "data" / "graphs"


def test_show_returns_a_graph_jupyter_draws_as_svg():
    graph = notebook.show(str(GRAPHS / "torch_resnet"), expand_all=True)
    svg = graph._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert len(svg) > 10_000


def test_serve_answers_on_its_url(tmp_path):
    with SummaryWriter(str(tmp_path / "run")) as writer:
        writer.add_scalar("loss", 0.5, 1)
    served = notebook.serve(str(tmp_path), reload_interval=0)
    try:
        assert served.url in served._repr_html_()
        deadline = time.time() + 20
        while True:
            try:
                with urllib.request.urlopen(served.url + "data/runs", timeout=5) as response:
                    runs = response.read().decode()
                if "run" in runs:
                    break
            except OSError:
                pass
            assert time.time() < deadline, "the server did not come up"
            time.sleep(0.2)
    finally:
        served.stop()
    assert not served.thread.is_alive()
