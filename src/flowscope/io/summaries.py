"""Pure builders of summary values in the formats TensorBoard's plugins read.

Every function takes numpy arrays, Python numbers or torch tensors (torch is never
imported here) and raises ValueError for input TensorBoard could not show.
"""

from __future__ import annotations

import io
import json
import math
import numbers
import sys
import time
import wave
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
from google.protobuf import struct_pb2
from google.protobuf.message import DecodeError
from PIL import Image

from flowscope.io import plugins
from flowscope.io.plugins import EXPERIMENT_TAG, MODEL_STATS, SESSION_END_TAG, SESSION_START_TAG
from flowscope.io.tensors import from_ndarray
from flowscope.proto.graph_pb2 import GraphDef
from flowscope.proto.plugins_pb2 import (
    Experiment,
    HParamDataType,
    HParamInfo,
    HParamsPluginData,
    MetricInfo,
    MetricName,
    PrCurvePluginData,
    SessionEndInfo,
    SessionStartInfo,
    SessionStatus,
)
from flowscope.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata

PR_MINIMUM_COUNT = 1e-7  # keeps precision and recall finite when a count is zero
GRID_COLUMNS = 8  # images per row when several are tiled into one
MAX_SPRITE_PIXELS = 8192  # the projector's limit on each side of a sprite


def to_array(value: Any) -> np.ndarray:
    """``value`` as a numpy array; torch tensors are detached and moved to the CPU."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        tensor = value.detach().cpu()
        if str(tensor.dtype) == "torch.bfloat16":
            tensor = tensor.float()
        return tensor.numpy()
    return np.asarray(value)


def _numeric(value: Any, what: str) -> np.ndarray:
    array = to_array(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{what} must be numeric, got dtype {array.dtype}")
    return array


def _plugin_metadata(plugin: str, content: bytes = b"") -> SummaryMetadata:
    return SummaryMetadata(
        plugin_data=SummaryMetadata.PluginData(plugin_name=plugin, content=content)
    )


def to_float(value: Any) -> float:
    """One number from a Python number, a one-element array or tensor."""
    array = _numeric(value, "a scalar")
    if array.size != 1:
        raise ValueError(f"a scalar must hold one value, got shape {array.shape}")
    return float(array.reshape(-1)[0])


def scalar(tag: str, value: Any) -> Summary.Value:
    """A ``simple_value`` scalar (NaN and infinities are kept)."""
    return Summary.Value(
        tag=tag, simple_value=to_float(value), metadata=_plugin_metadata(plugins.SCALARS)
    )


# ---- histograms ----


@cache
def exponential_limits() -> np.ndarray:
    """TensorBoard's default bucket limits: ±1e-12·1.1^k up to 1e20, 0, and DBL_MAX last."""
    positive = 1e-12 * 1.1 ** np.arange(math.ceil(math.log(1e32) / math.log(1.1)))
    return np.concatenate((-positive[::-1], [0.0], positive, [sys.float_info.max]))


def histogram_proto(
    values: Any, bins: int | str | Sequence[float] = "tensorflow"
) -> HistogramProto:
    """A HistogramProto of the finite entries of ``values``.

    ``bins="tensorflow"`` uses `exponential_limits` and keeps only the buckets from
    the first to the last non-empty one; anything else is numpy's ``bins`` (a count,
    a rule such as ``"auto"``, or edges; values outside given edges are left out).
    """
    array = _numeric(values, "histogram values").astype(np.float64).reshape(-1)
    if array.size == 0:
        raise ValueError("cannot make a histogram of no values")
    finite = array[np.isfinite(array)]
    if finite.size == 0:
        return HistogramProto()
    if isinstance(bins, str) and bins == "tensorflow":
        limits = exponential_limits()
        counts = np.bincount(np.searchsorted(limits, finite, side="left"), minlength=len(limits))
        nonzero = np.flatnonzero(counts)
        keep = slice(nonzero[0], nonzero[-1] + 1)
        limits, counts = limits[keep], counts[keep]
    else:
        counts, edges = np.histogram(finite, bins=bins)
        finite = finite[(finite >= edges[0]) & (finite <= edges[-1])]
        if finite.size == 0:
            return HistogramProto()
        limits = edges[1:]
    return HistogramProto(
        min=finite.min(),
        max=finite.max(),
        num=finite.size,
        sum=finite.sum(),
        sum_squares=np.dot(finite, finite),
        bucket_limit=limits.tolist(),
        bucket=counts.tolist(),
    )


def histogram(
    tag: str, values: Any, bins: int | str | Sequence[float] = "tensorflow"
) -> Summary.Value:
    return Summary.Value(tag=tag, histo=histogram_proto(values, bins))


# ---- images ----


def _to_uint8(array: np.ndarray) -> np.ndarray:
    if array.dtype == np.uint8:
        return array
    if array.dtype == np.bool_:
        return array.astype(np.uint8) * 255
    if array.dtype.kind == "f":
        scaled = np.nan_to_num(array.astype(np.float64), nan=0.0) * 255
        return np.rint(np.clip(scaled, 0, 255)).astype(np.uint8)
    raise ValueError(f"images must be uint8 (0-255) or float (0-1), got dtype {array.dtype}")


def image_batch(images: Any, dataformats: str) -> np.ndarray:
    """Images as uint8 ``[N, H, W, C]`` with C in 1, 3, 4, from any layout of ``dataformats``
    (letters N, C, H, W, e.g. ``"CHW"``, ``"HWC"``, ``"HW"``, ``"NCHW"``)."""
    array = to_array(images)
    shape = array.shape
    layout = dataformats.upper()
    if (
        len(set(layout)) != len(layout)
        or not set(layout) <= set("NCHW")
        or not {"H", "W"} <= set(layout)
    ):
        raise ValueError(
            f"bad dataformats {dataformats!r}: use the letters N, C, H, W, with H and W"
        )
    if array.ndim != len(layout):
        raise ValueError(
            f"an image array of shape {shape} does not match dataformats {dataformats!r}"
        )
    array = np.transpose(array, [layout.index(axis) for axis in "NHWC" if axis in layout])
    if "N" not in layout:
        array = array[np.newaxis]
    if "C" not in layout:
        array = array[..., np.newaxis]
    if 0 in array.shape:
        raise ValueError(f"empty image array of shape {shape}")
    if array.shape[3] not in (1, 3, 4):
        raise ValueError(f"images need 1, 3 or 4 channels, got {array.shape[3]} ({dataformats!r})")
    return _to_uint8(array)


def tile(batch: np.ndarray, columns: int) -> np.ndarray:
    """Tiles ``[N, H, W, C]`` images row by row into one ``[H', W', C]`` image; gaps stay black."""
    n, h, w, c = batch.shape
    columns = min(n, columns)
    rows = -(-n // columns)
    grid = np.zeros((rows * columns, h, w, c), dtype=batch.dtype)
    grid[:n] = batch
    return grid.reshape(rows, columns, h, w, c).swapaxes(1, 2).reshape(rows * h, columns * w, c)


def encode_png(pixels: np.ndarray) -> bytes:
    """PNG of a uint8 ``[H, W, C]`` image (gray, RGB or RGBA)."""
    out = io.BytesIO()
    Image.fromarray(pixels[..., 0] if pixels.shape[2] == 1 else pixels).save(out, format="PNG")
    return out.getvalue()


def image(tag: str, images: Any, dataformats: str = "CHW") -> Summary.Value:
    """One PNG ``Summary.Image``; a batch (with N in ``dataformats``) is tiled into a grid."""
    pixels = tile(image_batch(images, dataformats), GRID_COLUMNS)
    height, width, channels = pixels.shape
    return Summary.Value(
        tag=tag,
        image=Summary.Image(
            height=height,
            width=width,
            colorspace=channels,
            encoded_image_string=encode_png(pixels),
        ),
    )


# ---- audio ----


def encode_wav(samples: Any, sample_rate: int) -> tuple[bytes, int, int]:
    """16-bit PCM WAV of ``[frames]`` (mono) or ``[channels, frames]`` samples in [-1, 1]
    (clipped); int16 samples are taken as they are. Returns (wav, channels, frames)."""
    array = _numeric(samples, "audio samples")
    if array.ndim not in (1, 2):
        raise ValueError(f"audio must be [frames] or [channels, frames], got shape {array.shape}")
    channels = array.reshape(1, -1) if array.ndim == 1 else array
    if channels.shape[1] == 0:
        raise ValueError("audio has no samples")
    if channels.dtype != np.int16:
        scaled = np.clip(np.nan_to_num(channels.astype(np.float64), nan=0.0), -1, 1) * 32767
        channels = np.rint(scaled).astype(np.int16)
    rate = int(sample_rate)
    if rate != sample_rate or rate <= 0:
        raise ValueError(f"sample_rate must be a positive integer, got {sample_rate!r}")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels.shape[0])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(channels.T.astype("<i2").tobytes())
    return out.getvalue(), channels.shape[0], channels.shape[1]


def audio(tag: str, samples: Any, sample_rate: int = 44100) -> Summary.Value:
    wav, channels, frames = encode_wav(samples, sample_rate)
    return Summary.Value(
        tag=tag,
        audio=Summary.Audio(
            sample_rate=sample_rate,
            num_channels=channels,
            length_frames=frames,
            encoded_audio_string=wav,
            content_type="audio/wav",
        ),
    )


# ---- text ----


def text(
    tag: str, value: str | Sequence[str] | Sequence[Sequence[str]] | np.ndarray
) -> Summary.Value:
    """Markdown text (a str), or an array of str shown as a table."""
    array = np.asarray(value, dtype=object if isinstance(value, str) else None)
    if array.dtype.kind == "O" and not all(isinstance(v, (str, bytes)) for v in array.reshape(-1)):
        raise ValueError("text must be str or an array of str")
    if array.dtype.kind not in "OSU":
        raise ValueError(f"text must be str or an array of str, got dtype {array.dtype}")
    return Summary.Value(tag=tag, tensor=from_ndarray(array), metadata=_plugin_metadata(plugins.TEXT))


# ---- PR curves ----


def pr_curve_data(
    labels: Any, predictions: Any, num_thresholds: int = 127, weights: Any = None
) -> np.ndarray:
    """The pr_curves plugin's float32 ``[6, num_thresholds]`` tensor: TP, FP, TN, FN,
    precision, recall at thresholds ``linspace(0, 1, num_thresholds)``."""
    truth = _numeric(labels, "labels")
    scores = _numeric(predictions, "predictions")
    if scores.dtype.kind != "f":
        scores = scores.astype(np.float64)
    if truth.shape != scores.shape:
        raise ValueError(f"labels {truth.shape} and predictions {scores.shape} differ in shape")
    if num_thresholds < 2:
        raise ValueError(f"num_thresholds must be at least 2, got {num_thresholds}")
    if not np.all((scores >= 0) & (scores <= 1)):
        raise ValueError("predictions must be in [0, 1]")
    weight = np.broadcast_to(1.0 if weights is None else _numeric(weights, "weights"), truth.shape)
    positive = truth.astype(np.float64) * weight
    negative = (1.0 - truth.astype(np.float64)) * weight
    bucket = np.floor(scores * (num_thresholds - 1)).astype(np.int64).reshape(-1)
    tp = np.bincount(bucket, positive.reshape(-1), num_thresholds)[::-1].cumsum()[::-1]
    fp = np.bincount(bucket, negative.reshape(-1), num_thresholds)[::-1].cumsum()[::-1]
    tn, fn = fp[0] - fp, tp[0] - tp
    precision = tp / np.maximum(PR_MINIMUM_COUNT, tp + fp)
    recall = tp / np.maximum(PR_MINIMUM_COUNT, tp + fn)
    return np.stack([tp, fp, tn, fn, precision, recall]).astype(np.float32)


def pr_curve(
    tag: str, labels: Any, predictions: Any, num_thresholds: int = 127, weights: Any = None
) -> Summary.Value:
    data = pr_curve_data(labels, predictions, num_thresholds, weights)
    content = PrCurvePluginData(version=0, num_thresholds=num_thresholds).SerializeToString()
    return Summary.Value(
        tag=tag, tensor=from_ndarray(data), metadata=_plugin_metadata(plugins.PR_CURVES, content)
    )


# ---- hparams ----


def _hparam_value(name: str, value: Any) -> tuple[struct_pb2.Value, HParamDataType]:
    if not isinstance(value, (str, bool, numbers.Real)):
        array = to_array(value)
        if array.size != 1 or array.dtype.kind not in "biufU":
            raise ValueError(
                f"hparam {name!r}: use a bool, a number or a str, got {type(value).__name__}"
            )
        value = array.reshape(-1)[0].item()
    if isinstance(value, (bool, np.bool_)):
        return struct_pb2.Value(bool_value=bool(value)), HParamDataType.DATA_TYPE_BOOL
    if isinstance(value, numbers.Real):
        return struct_pb2.Value(number_value=float(value)), HParamDataType.DATA_TYPE_FLOAT64
    if isinstance(value, str):
        return struct_pb2.Value(string_value=value), HParamDataType.DATA_TYPE_STRING
    raise ValueError(f"hparam {name!r}: use a bool, a number or a str, got {type(value).__name__}")


def _session_value(tag: str, data: HParamsPluginData) -> Summary.Value:
    null = from_ndarray(np.zeros(0, dtype=np.float32))
    return Summary.Value(
        tag=tag, tensor=null, metadata=_plugin_metadata(plugins.HPARAMS, data.SerializeToString())
    )


def hparams(
    hparam_dict: Mapping[str, Any],
    metric_names: Sequence[str],
    domain_discrete: Mapping[str, Sequence[Any]] | None = None,
    now: float | None = None,
) -> list[Summary.Value]:
    """The experiment, session start and session end values of one hparams session."""
    now = time.time() if now is None else now
    domain_discrete = domain_discrete or {}
    unknown = set(domain_discrete) - set(hparam_dict)
    if unknown:
        raise ValueError(f"hparam_domain_discrete names unknown hparams: {sorted(unknown)}")
    start = SessionStartInfo(start_time_secs=now)
    infos = []
    for name, value in hparam_dict.items():
        proto, kind = _hparam_value(name, value)
        start.hparams[name].CopyFrom(proto)
        info = HParamInfo(name=name, type=kind)
        for option in domain_discrete.get(name, ()):
            proto, kind = _hparam_value(name, option)
            if kind != info.type:
                raise ValueError(
                    f"hparam {name!r}: domain value {option!r} is not of the hparam's type"
                )
            info.domain_discrete.values.append(proto)
        infos.append(info)
    experiment = Experiment(
        time_created_secs=now,
        hparam_infos=infos,
        metric_infos=[MetricInfo(name=MetricName(tag=tag)) for tag in metric_names],
    )
    end = SessionEndInfo(status=SessionStatus.STATUS_SUCCESS, end_time_secs=now)
    return [
        _session_value(EXPERIMENT_TAG, HParamsPluginData(version=0, experiment=experiment)),
        _session_value(SESSION_START_TAG, HParamsPluginData(version=0, session_start_info=start)),
        _session_value(SESSION_END_TAG, HParamsPluginData(version=0, session_end_info=end)),
    ]


# ---- graphs ----


def graph_bytes(graph_def: Any) -> bytes:
    """A serialized GraphDef from a GraphDef proto (any wire-compatible class) or its bytes."""
    if isinstance(graph_def, (bytes, bytearray, memoryview)):
        data = bytes(graph_def)
        try:
            GraphDef.FromString(data)
        except DecodeError as err:
            raise ValueError(f"graph_def bytes are not a GraphDef: {err}") from err
        return data
    if hasattr(graph_def, "SerializeToString") and type(graph_def).__name__ == "GraphDef":
        return graph_def.SerializeToString()
    raise ValueError(
        f"add_graph takes a GraphDef proto or its bytes, got {type(graph_def).__name__}"
    )


# ---- embeddings (projector files) ----


def embedding_matrix(mat: Any) -> np.ndarray:
    array = _numeric(mat, "an embedding")
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"an embedding must be a non-empty [N, D] matrix, got shape {array.shape}")
    return array


def tensor_tsv(matrix: np.ndarray) -> bytes:
    """Rows of tab-separated numbers; 9 significant digits round-trip float32."""
    out = io.BytesIO()
    np.savetxt(out, matrix.astype(np.float64), fmt="%.9g", delimiter="\t")
    return out.getvalue()


def _cell(value: Any) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def metadata_tsv(metadata: Sequence[Any], rows: int, header: Sequence[str] | None = None) -> bytes:
    """One label per line, or rows of columns under ``header`` (two columns or more,
    since the projector reads a header only when the first line has a tab)."""
    labels = list(to_array(metadata)) if not isinstance(metadata, Sequence) else list(metadata)
    if len(labels) != rows:
        raise ValueError(f"metadata has {len(labels)} rows for {rows} embedding vectors")
    if header is None:
        lines = [_cell(label) for label in labels]
    else:
        if len(header) < 2:
            raise ValueError(
                "metadata_header needs two columns or more; pass one-column labels without it"
            )
        if any(isinstance(row, str) or len(row) != len(header) for row in labels):
            raise ValueError(
                f"each metadata row needs {len(header)} columns to match metadata_header"
            )
        lines = ["\t".join(_cell(v) for v in row) for row in [header, *labels]]
    return ("\n".join(lines) + "\n").encode("utf-8")


def sprite(label_img: Any, rows: int) -> tuple[bytes, tuple[int, int]]:
    """The projector's sprite: ``[N, C, H, W]`` thumbnails, ceil(sqrt(N)) to a row.
    Returns the PNG and the (width, height) of one thumbnail."""
    batch = image_batch(label_img, "NCHW")
    n, height, width, _ = batch.shape
    if n != rows:
        raise ValueError(f"label_img has {n} images for {rows} embedding vectors")
    side = math.ceil(math.sqrt(n))
    if side * max(height, width) > MAX_SPRITE_PIXELS:
        raise ValueError(
            f"the sprite would exceed the projector's {MAX_SPRITE_PIXELS} pixels per side"
        )
    return encode_png(tile(batch, side)), (width, height)


# ---- model statistics ----

KERNEL_TILE = 8  # pixels per kernel weight in the kernel grid
MAX_KERNELS = 64


def model_stats(model: Any) -> list[Summary.Value]:
    """Per parameter of a torch module (anything with ``named_parameters()``): the L2
    norms of its values and of its gradient as scalars ``model_stats/weight_norm/<name>``
    and ``model_stats/grad_norm/<name>``, their histograms ``model_stats/weights/<name>``
    and ``model_stats/grads/<name>``; the first 4-D (conv) weight's kernels as the image
    ``model_stats/kernels/<name>``; and the parameter names in order, as the string
    tensor ``model_stats/layers`` of plugin ``model_stats`` (a JSON list)."""
    values, names, kernels = [], [], None
    for name, parameter in model.named_parameters():
        weights = to_array(parameter).astype(np.float64)
        names.append(name)
        values += [
            scalar(f"{MODEL_STATS}/weight_norm/{name}", np.linalg.norm(weights)),
            histogram(f"{MODEL_STATS}/weights/{name}", weights),
        ]
        grad = getattr(parameter, "grad", None)
        if grad is not None:
            gradient = to_array(grad).astype(np.float64)
            values += [
                scalar(f"{MODEL_STATS}/grad_norm/{name}", np.linalg.norm(gradient)),
                histogram(f"{MODEL_STATS}/grads/{name}", gradient),
            ]
        if kernels is None and weights.ndim == 4:
            kernels = name, weights
    if kernels is not None:
        pixels = kernel_grid(kernels[1])
        values.append(image(f"{MODEL_STATS}/kernels/{kernels[0]}", pixels, "HWC"))
    layers = np.array(json.dumps(names), dtype=object)
    values.append(
        Summary.Value(
            tag=f"{MODEL_STATS}/layers",
            tensor=from_ndarray(layers),
            metadata=_plugin_metadata(MODEL_STATS),
        )
    )
    return values


def kernel_grid(weights: np.ndarray) -> np.ndarray:
    """Conv kernels ``[out, in, h, w]`` as one uint8 ``[H, W, C]`` image: a tile per output
    channel (RGB for 3 input channels, else the first input channel in gray), each weight
    ``KERNEL_TILE`` pixels wide, scaled together so that zero is mid-gray."""
    kernels = weights[:MAX_KERNELS]
    kernels = kernels[:, :3] if kernels.shape[1] == 3 else kernels[:, :1]
    finite = kernels[np.isfinite(kernels)]
    scale = float(np.abs(finite).max()) if finite.size else 0.0
    scaled = 0.5 + 0.5 * np.nan_to_num(kernels) / (scale or 1.0)
    tiles = np.transpose(np.clip(scaled, 0, 1), (0, 2, 3, 1))  # [n, h, w, c]
    tiles = tiles.repeat(KERNEL_TILE, axis=1).repeat(KERNEL_TILE, axis=2)
    tiles = np.pad(tiles, ((0, 0), (1, 1), (1, 1), (0, 0)), constant_values=1.0)
    return tile(_to_uint8(tiles), math.ceil(math.sqrt(len(tiles))))
