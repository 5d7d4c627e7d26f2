"""The Keras 3 ``.keras`` archive and its TFLite conversion (both made by TensorFlow 2.21
in ``scripts/make_model_fixtures.py``): six nested ``block_i`` models, a pool, a dense."""

from __future__ import annotations

import json
import zipfile
from collections import Counter

import pytest

from flowscope.graph import load
from flowscope.graph.flat import PARAMETER
from flowscope.graph.hierarchy import Group

from .model_files import MODELS


def _layers(config: dict) -> list[str]:
    """Every layer of a Keras config, nested models' layers instead of the models."""
    names = []
    for layer in config["config"]["layers"]:
        nested = layer.get("config", {}).get("layers")
        names += _layers(layer) if nested is not None else [layer["config"]["name"]]
    return names


def test_keras_archive_nested_blocks_form_a_series():
    graph = load(str(MODELS / "keras_cnn.keras"))
    h = graph.model.hierarchy
    assert all(isinstance(h.nodes[f"block_{i}"], Group) for i in range(6))
    series = graph.model.series["block_[0-5]"]
    assert len({m.template for m in series.members}) == 1
    assert "?×16×16×4" in h.edge_label
    config = json.loads(zipfile.ZipFile(MODELS / "keras_cnn.keras").read("config.json"))
    leaves = Counter(name.rpartition("/")[2] for name in graph.model.flat.nodes)
    assert leaves == Counter(_layers(config))


def test_tflite_scopes_series_weights_and_shapes():
    graph = load(str(MODELS / "keras_cnn.tflite"))
    flat, h = graph.model.flat, graph.model.hierarchy
    series = graph.model.series["cnn_1/block_[0-5]_1"]
    assert len(series.members) == 6 and len({m.template for m in series.members}) == 1
    ops = Counter(n.op for n in flat.nodes.values() if n.role == "")
    assert ops == Counter({"CONV_2D": 6, "MEAN": 1, "FULLY_CONNECTED": 1})
    weights = [n.name for n in flat.nodes.values() if n.role == PARAMETER]
    assert "cnn_1/block_3_1/conv_1/convolution" in weights
    assert all(h.embedded[w] == "in" for w in weights)
    conv = h.leaf_of_op["cnn_1/block_3_1/relu_1/Relu"]
    assert "cnn_1/block_3_1/conv_1/convolution" in conv.in_embedded
    assert {"1×16×16×3", "1×16×16×4", "1×4", "1×10"} <= set(h.edge_label)


@pytest.mark.parametrize("cut", [8, 100, 1000, -500])
def test_truncated_tflite_names_the_file(tmp_path, cut):
    path = tmp_path / "cut.tflite"
    path.write_bytes((MODELS / "keras_cnn.tflite").read_bytes()[:cut])
    with pytest.raises(ValueError, match=str(path)):
        load(str(path))


def test_tflite_with_a_wrong_identifier(tmp_path):
    path = tmp_path / "model.tflite"
    path.write_bytes(b"\x10\x00\x00\x00ONNX" + bytes(64))
    with pytest.raises(ValueError, match=rf"{path}: not a TFLite model"):
        load(str(path))
