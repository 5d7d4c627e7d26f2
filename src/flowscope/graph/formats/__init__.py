"""Importers: each turns one model format into the neutral `flowscope.graph.flat.FlatGraph`.

`MODEL_FILES` maps the file suffixes of model files to their readers; GraphDef
``.pb``/``.pbtxt`` files, Keras ``.json`` configs, event files and logdirs are read by
`flowscope.graph.importer`.
"""

from __future__ import annotations

from collections.abc import Callable

from flowscope.graph.flat import FlatGraph
from flowscope.graph.formats.keras3 import from_keras_archive
from flowscope.graph.formats.onnx import from_onnx
from flowscope.graph.formats.pt2 import from_pt2
from flowscope.graph.formats.tflite import from_tflite
from flowscope.io.files import Location

MODEL_FILES: dict[str, Callable[[bytes, str], FlatGraph]] = {
    ".onnx": from_onnx,
    ".pt2": from_pt2,
    ".keras": from_keras_archive,
    ".tflite": from_tflite,
}
"""Model file suffix -> reader of the file's bytes (the second argument names the file
in errors)."""


def model_reader(name: str) -> Callable[[bytes, str], FlatGraph] | None:
    """The reader of the model file ``name`` by its suffix, or None."""
    lower = name.lower()
    return next((r for suffix, r in MODEL_FILES.items() if lower.endswith(suffix)), None)


def read_model(data: bytes, name: str) -> FlatGraph:
    """The graph of the model file ``name`` holding ``data``; a ValueError naming the
    file when it is not a model of a known format or is malformed."""
    reader = model_reader(name)
    if reader is None:
        raise ValueError(f"{name}: not a model file ({', '.join(MODEL_FILES)})")
    try:
        return reader(data, name)
    except (KeyError, TypeError, AttributeError, IndexError) as error:
        raise ValueError(f"{name}: malformed model ({type(error).__name__}: {error})") from None


def read_model_file(path: str) -> FlatGraph | None:
    """The graph of the model file at ``path``; None when its suffix is not a model's."""
    if model_reader(path) is None:
        return None
    location = Location.parse(path)
    with location.fs.open(location.root, "rb") as f:
        return read_model(f.read(), path)
