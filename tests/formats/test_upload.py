"""Model files uploaded to the server, and drawn by ``flowscope graph FILE -o out.svg``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from flowscope.data.logdir import Logdir
from flowscope.server import create_app

from .model_files import MODELS


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Logdir(str(tmp_path_factory.mktemp("empty")), load=False), 0)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("name", ["llama.pt2", "bert.dynamo.onnx", "resnet.script.onnx"])
def test_upload_model_file(client: TestClient, name: str) -> None:
    data = (MODELS / name).read_bytes()
    uploaded = client.post(f"/api/graph/upload?name={name}", content=data)
    assert uploaded.status_code == 200, uploaded.text
    body = client.post("/api/graph/view", json={"upload": uploaded.json()["id"]}).json()
    labels = {node["label"] for node in body["nodes"]}
    assert labels & {"model", "bert", "layer1"}


def test_broken_model_upload_is_a_4xx_naming_the_file(client: TestClient) -> None:
    data = (MODELS / "llama.pt2").read_bytes()[:5000]
    answer = client.post("/api/graph/upload?name=half.pt2", content=data)
    assert answer.status_code == 422
    assert "half.pt2" in answer.text


def test_graph_command_draws_a_model_file(tmp_path) -> None:
    out = tmp_path / "llama.svg"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "flowscope.cli.main",
            "graph",
            str(MODELS / "llama.pt2"),
            "--expand",
            "model",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "465 ops" in run.stdout
    svg = out.read_text()
    assert svg.startswith("<svg") and "layers[0-5]" in svg
