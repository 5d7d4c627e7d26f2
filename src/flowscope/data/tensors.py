"""Conversions from TensorProto and HistogramProto to numpy (the dtype table and the
encoding are in `flowscope.io.tensors`)."""

from __future__ import annotations

import numpy as np

from flowscope.io.tensors import NUMPY_DTYPES, UnsupportedTensor
from flowscope.proto.summary_pb2 import HistogramProto
from flowscope.proto.tensor_pb2 import DataType, TensorProto

_VALUE_FIELDS = {
    DataType.DT_FLOAT: "float_val",
    DataType.DT_DOUBLE: "double_val",
    DataType.DT_INT32: "int_val",
    DataType.DT_UINT8: "int_val",
    DataType.DT_INT16: "int_val",
    DataType.DT_INT8: "int_val",
    DataType.DT_UINT16: "int_val",
    DataType.DT_INT64: "int64_val",
    DataType.DT_BOOL: "bool_val",
    DataType.DT_HALF: "half_val",
    DataType.DT_UINT32: "uint32_val",
    DataType.DT_UINT64: "uint64_val",
    DataType.DT_STRING: "string_val",
    DataType.DT_COMPLEX64: "scomplex_val",
    DataType.DT_COMPLEX128: "dcomplex_val",
}


def shape_of(proto: TensorProto) -> tuple[int, ...]:
    return tuple(dim.size for dim in proto.tensor_shape.dim)


def to_ndarray(proto: TensorProto) -> np.ndarray:
    """Decodes a TensorProto, including the short forms that repeat the last value."""
    dtype = NUMPY_DTYPES.get(proto.dtype)
    if dtype is None:
        raise UnsupportedTensor(f"unsupported tensor dtype {DataType.Name(proto.dtype) if proto.dtype in DataType.values() else proto.dtype}")
    shape = shape_of(proto)
    size = int(np.prod(shape, dtype=np.int64))
    if proto.tensor_content and dtype != np.dtype(object):
        return np.frombuffer(proto.tensor_content, dtype=dtype).copy().reshape(shape)
    field = _VALUE_FIELDS[proto.dtype]
    raw = getattr(proto, field)
    if proto.dtype == DataType.DT_STRING:
        values = np.empty(len(raw), dtype=object)
        values[:] = list(raw)
    elif proto.dtype == DataType.DT_HALF:
        values = np.array(raw, dtype=np.uint16).view(np.float16)
    elif proto.dtype in (DataType.DT_COMPLEX64, DataType.DT_COMPLEX128):
        pairs: np.ndarray = np.array(
            raw, dtype=np.float32 if proto.dtype == DataType.DT_COMPLEX64 else np.float64
        )
        values = pairs[0::2] + 1j * pairs[1::2]
    else:
        values = np.array(raw, dtype=dtype)
    if len(values) == size:
        return values.reshape(shape)
    if len(values) == 0:
        return np.zeros(shape, dtype=dtype) if dtype != np.dtype(object) else np.full(shape, b"", dtype=object)
    padded = np.empty(size, dtype=values.dtype)
    padded[: len(values)] = values
    padded[len(values) :] = values[-1]
    return padded.reshape(shape)


def histogram_buckets(histo: HistogramProto) -> np.ndarray:
    """A HistogramProto as ``[k, 3]`` rows of (left, right, count), float64.

    Empty buckets at both ends are dropped, and the outermost edges (often
    ±DBL_MAX) become the recorded min and max, as TensorBoard does.
    """
    counts = np.asarray(histo.bucket, dtype=np.float64)
    nonzero = np.flatnonzero(counts)
    if nonzero.size == 0:
        return np.zeros((0, 3), dtype=np.float64)
    start, end = int(nonzero[0]), int(nonzero[-1])
    limits = np.asarray(histo.bucket_limit, dtype=np.float64)
    inner = limits[start:end]
    lefts = np.concatenate(([histo.min], inner))
    rights = np.concatenate((inner, [histo.max]))
    return np.stack([lefts, rights, counts[start : end + 1]], axis=1)


DISTRIBUTION_BASIS_POINTS = (0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000)


def compress_histogram(buckets: np.ndarray) -> list[tuple[int, float]]:
    """The value at each of TensorBoard's 9 basis points of a ``[k, 3]`` histogram.

    Same interpolation as TensorBoard's distributions: the cumulative weight, scaled
    to 0..10000, is interpolated linearly across the bucket where it crosses each
    basis point; edges are clamped to the histogram's min and max.
    """
    points = DISTRIBUTION_BASIS_POINTS
    if len(buckets) == 0:
        return [(bp, 0.0) for bp in points]
    low, high = float(buckets[0, 0]), float(buckets[-1, 1])
    counts = buckets[:, 2].astype(np.float64)
    rights = buckets[:, 1]
    total = counts.sum() or 1.0
    weights = np.cumsum(counts * points[-1] / total)
    out: list[tuple[int, float]] = []
    for bp in points:
        i = int(np.searchsorted(weights, bp, side="right"))
        while i < len(weights) and weights[i] == (weights[i - 1] if i else 0.0):
            i += 1
        if i >= len(weights):
            break
        upper = float(weights[i])
        lower = float(weights[i - 1]) if i else 0.0
        left = low if not i or not lower else max(float(rights[i - 1]), low)
        right = min(float(rights[i]), high)
        out.append((bp, left + (bp - lower) * (right - left) / (upper - lower)))
    out.extend((bp, high) for bp in points[len(out) :])
    return out
