"""Broken model files give a ValueError that names the file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from onnx import TensorProto, helper

from flowscope.graph import load
from flowscope.graph.formats import read_model_file

from .model_files import MODELS


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name", ["llama.dynamo.onnx", "llama.pt2", "resnet.script.onnx"])
def test_truncated_file(tmp_path, name):
    data = (MODELS / name).read_bytes()
    path = _write(tmp_path, name, data[: len(data) // 2])
    with pytest.raises(ValueError, match=path):
        read_model_file(path)


@pytest.mark.parametrize("name", ["model.onnx", "model.pt2", "model.keras"])
def test_wrong_magic(tmp_path, name):
    path = _write(tmp_path, name, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(ValueError, match=path):
        load(path)


def test_onnx_file_holding_a_zip(tmp_path):
    path = _write(tmp_path, "model.onnx", (MODELS / "resnet.pt2").read_bytes())
    with pytest.raises(ValueError, match=path):
        read_model_file(path)


def test_pt2_from_a_future_schema(tmp_path):
    source = zipfile.ZipFile(MODELS / "resnet.pt2")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            data = source.read(item)
            if item.endswith("models/model.json"):
                program = json.loads(data)
                program["schema_version"] = {"major": 99, "minor": 0}
                data = json.dumps(program).encode()
            target.writestr(item, data)
    path = _write(tmp_path, "future.pt2", out.getvalue())
    with pytest.raises(ValueError, match=rf"{path}: torch.export schema version 99"):
        read_model_file(path)


def test_onnx_graph_with_a_cycle(tmp_path):
    a = helper.make_node("Relu", ["x", "c"], ["b"], name="first")
    b = helper.make_node("Add", ["b", "x"], ["c"], name="second")
    graph = helper.make_graph(
        [a, b],
        "loop",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1])],
    )
    path = _write(tmp_path, "cycle.onnx", helper.make_model(graph).SerializeToString())
    with pytest.raises(ValueError, match=rf"{path}: the ONNX graph has a cycle through node"):
        read_model_file(path)


def test_keras_archive_without_config(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("metadata.json", "{}")
    path = _write(tmp_path, "model.keras", out.getvalue())
    with pytest.raises(ValueError, match=rf"{path}: no config.json"):
        read_model_file(path)


def test_pt2_with_a_malformed_program(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "m/models/model.json",
            json.dumps(
                {
                    "schema_version": {"major": 8},
                    "graph_module": {"graph": {"nodes": [{"inputs": 3}]}},
                }
            ),
        )
    path = _write(tmp_path, "bad.pt2", out.getvalue())
    with pytest.raises(ValueError, match=rf"{path}: malformed model"):
        read_model_file(path)
