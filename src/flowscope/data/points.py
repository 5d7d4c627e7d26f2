"""Plugin names (defined in `flowscope.io.plugins`), the run graph's tag, the point type
of non-scalar series, and the migration of old-style summary values to tensors
(TensorBoard's ``data_compat``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flowscope.data.tensors import histogram_buckets
from flowscope.io.plugins import (
    AUDIO,
    GRAPH_KERAS_MODEL,
    GRAPH_PLUGINS,
    GRAPH_RUN_METADATA,
    GRAPH_RUN_METADATA_GRAPH,
    HISTOGRAMS,
    HPARAMS,
    IMAGES,
    MODEL_STATS,
    PR_CURVES,
    SCALARS,
    TEXT,
)
from flowscope.proto.summary_pb2 import Summary

__all__ = [
    "AUDIO",
    "GRAPH_KERAS_MODEL",
    "GRAPH_PLUGINS",
    "GRAPH_RUN_METADATA",
    "GRAPH_RUN_METADATA_GRAPH",
    "HISTOGRAMS",
    "HPARAMS",
    "IMAGES",
    "MODEL_STATS",
    "OLD_STYLE_PLUGINS",
    "PR_CURVES",
    "RUN_GRAPH",
    "SCALARS",
    "TEXT",
    "TensorPoint",
    "old_style_array",
]

# The tag of a run's own graph (``Event.graph_def``) among its graph tags.
RUN_GRAPH = "__run_graph__"

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
