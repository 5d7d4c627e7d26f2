"""The graph file types: one list in `flowscope.graph.importer`, which the server gives
the app for its upload picker and which the upload route and `load` both read."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from flowscope.graph import load
from flowscope.graph.formats import MODEL_FILES
from flowscope.graph.importer import GRAPH_FILE_SUFFIXES
from tests.formats.model_files import MODELS
from tests.support.graphdefs import graph_def
from tests.support.servers import FlowscopeServers

MODEL_FIXTURES = {
    ".onnx": "resnet.script.onnx",
    ".pt2": "resnet.pt2",
    ".keras": "keras_cnn.keras",
    ".tflite": "keras_cnn.tflite",
}
KERAS_MODEL = """{"class_name": "Sequential", "config": {"name": "m", "layers": [
  {"class_name": "Dense", "config": {"name": "d1", "units": 4}},
  {"class_name": "Dense", "config": {"name": "d2", "units": 2}}]}}"""


@pytest.fixture(scope="module")
def url(flowscope_servers: FlowscopeServers, tmp_path_factory: pytest.TempPathFactory) -> str:
    return flowscope_servers.url(str(tmp_path_factory.mktemp("empty")))


def test_the_server_lists_the_graph_file_types(url: str) -> None:
    answer = httpx.get(f"{url}/api/graph/runs", timeout=60).json()
    assert answer["upload_types"] == [
        *(".pb", ".pbtxt", ".txt", ".prototxt", ".json"),
        *(".onnx", ".pt2", ".keras", ".tflite"),
    ]
    assert answer["upload_types"] == list(GRAPH_FILE_SUFFIXES)


@pytest.mark.parametrize("suffix", GRAPH_FILE_SUFFIXES)
def test_every_listed_type_uploads_and_loads(url: str, tmp_path: Path, suffix: str) -> None:
    if suffix in MODEL_FILES:
        data = (MODELS / MODEL_FIXTURES[suffix]).read_bytes()
    elif suffix == ".json":
        data = KERAS_MODEL.encode()
    else:
        graph = graph_def(("x", "Placeholder", []), ("y", "Relu", ["x"]))
        data = graph.SerializeToString() if suffix == ".pb" else str(graph).encode()
    answer = httpx.post(
        f"{url}/api/graph/upload", params={"name": f"g{suffix}"}, content=data, timeout=60
    )
    assert answer.status_code == 200, answer.text
    path = tmp_path / f"g{suffix}"
    path.write_bytes(data)
    assert len(load(str(path)).model.flat.nodes) == answer.json()["ops"]
