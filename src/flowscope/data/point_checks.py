"""What a point of each plugin must look like before a series keeps it.

A tensor that decodes but has the wrong shape or kind for its plugin (a histogram
that is not ``[k, 3]`` numbers, a PR curve that is not ``[6, n]``, images that are
not strings) is refused at ingestion, so the routes only ever see well-formed points.
"""

from __future__ import annotations

import numpy as np

from flowscope.data import points as kinds
from flowscope.data.tensors import MalformedTensor

PR_CURVE_ROWS = 6  # TP, FP, TN, FN, precision, recall
_BLOB_PLUGINS = (kinds.IMAGES, kinds.AUDIO, kinds.TEXT, *kinds.GRAPH_PLUGINS)


def _numeric(plugin: str, array: np.ndarray) -> None:
    if array.dtype.kind not in "biuf":
        raise MalformedTensor(f"a {plugin} tensor of dtype {array.dtype} (numbers expected)")


def _shaped(plugin: str, array: np.ndarray, ok: bool, expected: str) -> None:
    if not ok:
        raise MalformedTensor(
            f"a {plugin} tensor of shape {list(array.shape)} ({expected} expected)"
        )


def check_point(plugin: str, array: np.ndarray) -> None:
    """Raises `MalformedTensor` when ``array`` is not a valid point of ``plugin``;
    plugins flowscope does not draw accept any tensor."""
    shape = array.shape
    if plugin == kinds.HISTOGRAMS:
        _numeric(plugin, array)
        _shaped(plugin, array, array.size == 0 or (len(shape) == 2 and shape[1] == 3), "[k, 3]")
    elif plugin == kinds.PR_CURVES:
        _numeric(plugin, array)
        ok = len(shape) == 2 and shape[0] == PR_CURVE_ROWS and shape[1] > 0
        _shaped(plugin, array, ok, f"[{PR_CURVE_ROWS}, thresholds]")
    elif plugin in _BLOB_PLUGINS:
        if array.dtype != np.dtype(object):
            raise MalformedTensor(f"a {plugin} tensor of dtype {array.dtype} (strings expected)")
        if plugin == kinds.IMAGES:
            _shaped(plugin, array, len(shape) == 1 and shape[0] >= 2, "[width, height, images...]")
            if not all(isinstance(v, bytes) and v.isdigit() for v in array[:2]):
                raise MalformedTensor("an images tensor whose width and height are not numbers")
        elif plugin == kinds.AUDIO:
            ok = array.size == 0 or (len(shape) == 2 and shape[1] == 2)
            _shaped(plugin, array, ok, "[clips, 2]")
