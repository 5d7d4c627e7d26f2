"""Plugin names, the point type of non-scalar series, and the migration of
old-style summary values to tensors (TensorBoard's ``data_compat``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flowscope.data.tensors import histogram_buckets
from flowscope.proto.summary_pb2 import Summary

SCALARS = "scalars"
HISTOGRAMS = "histograms"
IMAGES = "images"
AUDIO = "audio"
TEXT = "text"
PR_CURVES = "pr_curves"
HPARAMS = "hparams"
GRAPH_RUN_METADATA = "graph_run_metadata"
GRAPH_RUN_METADATA_GRAPH = "graph_run_metadata_graph"
GRAPH_KERAS_MODEL = "graph_keras_model"
GRAPH_PLUGINS = (GRAPH_RUN_METADATA, GRAPH_RUN_METADATA_GRAPH, GRAPH_KERAS_MODEL)

# The plugin an old-style value field migrates to.
OLD_STYLE_PLUGINS = {
    "simple_value": SCALARS,
    "histo": HISTOGRAMS,
    "image": IMAGES,
    "audio": AUDIO,
}


@dataclass(slots=True)
class TensorPoint:
    """One step of a non-scalar series."""

    step: int
    wall_time: float
    value: np.ndarray


def old_style_array(value: Summary.Value, kind: str) -> np.ndarray:
    """The tensor form of an old-style ``histo``, ``image`` or ``audio`` value."""
    if kind == "histo":
        return histogram_buckets(value.histo)
    if kind == "image":
        image = value.image
        array = np.empty(3, dtype=object)
        array[:] = [str(image.width).encode(), str(image.height).encode(), image.encoded_image_string]
        return array
    if kind == "audio":
        array = np.empty((1, 2), dtype=object)
        array[0, 0], array[0, 1] = value.audio.encoded_audio_string, b""
        return array
    raise ValueError(f"no tensor form for old-style value {kind!r}")
