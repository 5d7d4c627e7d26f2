"""Node data overlays: a JSON of per-node values keyed by node name colours the nodes,
in the Python API and through the server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from flowscope.data.logdir import Logdir
from flowscope.graph import load
from flowscope.graph.overlays import NO_DATA_COLOUR
from flowscope.server import create_app

from .model_files import MODELS


def _latencies(graph) -> dict[str, float]:
    """A latency for every op of layers 2 and 3, by the name in the source file."""
    return {
        leaf.op.original_name: 10.0 if "layers.3" in leaf.name else 1.0
        for leaf in graph.model.hierarchy.leaves
        if "layers.2/" in leaf.name or "layers.3/" in leaf.name
    }


def test_values_colour_ops_and_sum_in_groups():
    graph = load(str(MODELS / "llama.dynamo.onnx"))
    values = _latencies(graph)
    data = graph.set_node_data({"name": "latency_ms", "values": values})
    assert data.matched == len(values) and not data.unmatched
    graph.ungroup("model/layers[0-5]")
    graph.expand("model")
    body = graph.to_json("node_data")
    colours = {n["name"]: n["colour"] for n in body["nodes"]}
    assert colours["model/layers.0"] == NO_DATA_COLOUR
    assert colours["model/layers.3"] != colours["model/layers.2"] != NO_DATA_COLOUR
    three = graph.model.hierarchy.group("model/layers.3")
    assert data.value([(three.lo, three.hi)]) == 10.0 * (three.hi - three.lo)


def test_model_explorer_style_entries_and_max():
    graph = load(str(MODELS / "resnet.pt2"))
    names = [leaf.name for leaf in graph.model.hierarchy.leaves]
    data = graph.set_node_data(
        json.dumps({"aggregate": "max", "values": {names[3]: {"value": 7}, "nope": 1}})
    )
    assert data.unmatched == ["nope"] and data.range == (7.0, 7.0)


@pytest.mark.parametrize("bad", ["[1, 2]", "{", json.dumps({"nothing": 3})])
def test_bad_node_data(bad):
    graph = load(str(MODELS / "resnet.pt2"))
    with pytest.raises(ValueError, match="node data"):
        graph.set_node_data(bad)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Logdir(str(tmp_path_factory.mktemp("empty")), load=False), 0)
    with TestClient(app) as client:
        yield client


def test_node_data_route_and_colour_mode(client: TestClient):
    data = (MODELS / "llama.dynamo.onnx").read_bytes()
    upload = client.post("/api/graph/upload?name=llama.onnx", content=data).json()["id"]
    before = client.post("/api/graph/view", json={"upload": upload, "colour": "node_data"})
    assert before.json()["available"]["node_data"] is False
    values = _latencies(load(str(MODELS / "llama.dynamo.onnx")))
    answer = client.post(
        f"/api/graph/node_data?upload={upload}",
        content=json.dumps({"name": "latency_ms", "values": values}),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["matched"] == len(values)
    view = client.post(
        "/api/graph/view",
        json={
            "upload": upload,
            "colour": "node_data",
            "expanded": ["model"],
            "ungrouped": ["model/layers[0-5]"],
        },
    ).json()
    assert view["available"]["node_data"] is True
    assert view["legend"]["scale"]["unit"] == "latency_ms"
    colours = {n["name"]: n["colour"] for n in view["nodes"]}
    assert colours["model/layers.3"] not in (NO_DATA_COLOUR, colours["model/layers.0"])
    bad = client.post(f"/api/graph/node_data?upload={upload}", content=b"[1]")
    assert bad.status_code == 422 and "node data" in bad.text
