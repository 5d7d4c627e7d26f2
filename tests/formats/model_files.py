"""The committed model files (``scripts/make_model_fixtures.py``) and what each holds."""

from __future__ import annotations

from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "data" / "models"

LAYERS = {"llama": "model/layers", "bert": "bert/encoder/layer", "resnet": "layer1/"}
"""Per model: the name of its repeated blocks, up to their number."""
SERIES = {
    ("llama", "*"): "model/layers[0-5]",
    ("bert", "*"): "bert/encoder/layer[0-5]",
    ("resnet", "pt2"): "layer1/[0-5]",
    ("resnet", "dynamo.onnx"): "layer1/[0-5]",
    ("resnet", "script.onnx"): "layer1/layer1[0-5]",
}
HIDDEN = {"llama": "1×8×16", "bert": "1×8×16", "resnet": "1×4×8×8"}
"""Per model: the shape of an inner tensor its graph must show on an edge. The
TorchScript exporter records no inner shapes, only those of the graph's inputs."""
INPUT_SHAPE = {"llama": "1×8", "bert": "1×8", "resnet": "1×3×32×32"}
KINDS = ("pt2", "dynamo.onnx", "script.onnx")


def series_name(model: str, kind: str) -> str:
    return SERIES.get((model, kind)) or SERIES[(model, "*")]
