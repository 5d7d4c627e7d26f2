"""Model files in the app, in headless Chromium: a torch.export ``.pt2`` uploaded opens on
its top scopes, the decoder layers are one series, and a node data JSON, asked for when
the Node data colour mode is chosen, colours the layers."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.pages import open_graph

MODELS = Path(__file__).resolve().parent.parent / "data" / "models"


def test_upload_a_pt2_and_colour_it_by_node_data(page, demo_url, tmp_path: Path) -> None:
    graph = open_graph(page, demo_url)
    graph.act(lambda: page.set_input_files(".graph-file", str(MODELS / "llama.pt2")))
    assert graph.state()["upload"]
    assert {"model", "lm_head", "output"} <= set(graph.nodes())
    graph.toggle("model")
    assert "model/layers[0-5]" in graph.nodes()
    assert len(graph.nodes()) < 40

    values = {f"linear_{7 * i}": float(i + 1) for i in range(1, 6)}  # the q_proj of layers 1-5
    path = tmp_path / "latency.json"
    path.write_text(json.dumps({"name": "latency_ms", "values": values}))
    with page.expect_file_chooser() as chooser:  # choosing the colour mode asks for a file
        page.select_option(".graph-colour", "node_data")
    graph.act(lambda: chooser.value.set_files(str(path)))
    assert graph.state()["colour"] == "node_data"
    colours = {name: node["colour"] for name, node in graph.nodes().items()}
    assert colours["model/layers[0-5]"] != colours["lm_head"]
    assert "latency_ms" in page.inner_text(".graph-legend")
