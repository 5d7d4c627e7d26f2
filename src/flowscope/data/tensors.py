"""Conversions from TensorProto and HistogramProto to numpy (the dtype table and the
encoding are in `flowscope.io.tensors`)."""

from __future__ import annotations

import math

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


MAX_DIMS = 32  # numpy's own limit is 64
MAX_BROADCAST_ELEMENTS = 1 << 16  # see `to_ndarray`


class MalformedTensor(ValueError):
    """A TensorProto that cannot be decoded as it is: its shape and data disagree."""


def shape_of(proto: TensorProto) -> tuple[int, ...]:
    return tuple(dim.size for dim in proto.tensor_shape.dim)


def _checked_shape(proto: TensorProto) -> tuple[tuple[int, ...], int]:
    """The declared shape and its element count, refused when it is not a shape at all."""
    shape = shape_of(proto)
    if len(shape) > MAX_DIMS:
        raise MalformedTensor(f"a tensor of {len(shape)} dimensions (at most {MAX_DIMS})")
    if any(n < 0 for n in shape):
        raise MalformedTensor(f"a tensor of shape {list(shape)} with a negative dimension")
    return shape, math.prod(shape)


def _repeated_values(proto: TensorProto, dtype: np.dtype) -> np.ndarray:
    """The values of the repeated field of ``proto``'s dtype, as a flat array."""
    raw = getattr(proto, _VALUE_FIELDS[proto.dtype])
    if proto.dtype == DataType.DT_STRING:
        values = np.empty(len(raw), dtype=object)
        values[:] = list(raw)
        return values
    if proto.dtype in (DataType.DT_COMPLEX64, DataType.DT_COMPLEX128):
        if len(raw) % 2:
            raise MalformedTensor(f"a complex tensor with an odd count ({len(raw)}) of parts")
        parts = np.float32 if proto.dtype == DataType.DT_COMPLEX64 else np.float64
        return np.array(raw, dtype=parts).view(dtype)  # (real, imaginary) pairs
    if proto.dtype == DataType.DT_HALF:
        return np.array(raw, dtype=np.int64).astype(np.uint16).view(np.float16)
    if dtype.kind in "iu" and dtype.itemsize < 4:  # int_val holds them as int32
        return np.array(raw, dtype=np.int64).astype(dtype)
    return np.array(raw, dtype=dtype)


def to_ndarray(proto: TensorProto) -> np.ndarray:
    """Decodes a TensorProto, including the short forms that repeat the last value.

    The declared shape is checked against the data present before anything is
    allocated: ``tensor_content`` must hold exactly the declared bytes, and a
    repeated field with fewer values than the shape (TensorFlow repeats the last
    one, or fills zeros when there is none) may not expand past
    `MAX_BROADCAST_ELEMENTS`. Anything else raises `MalformedTensor`.
    """
    dtype = NUMPY_DTYPES.get(proto.dtype)
    if dtype is None:
        raise UnsupportedTensor(f"unsupported tensor dtype {DataType.Name(proto.dtype) if proto.dtype in DataType.values() else proto.dtype}")
    shape, size = _checked_shape(proto)
    if proto.tensor_content and dtype != np.dtype(object):
        if len(proto.tensor_content) != size * dtype.itemsize:
            raise MalformedTensor(
                f"a {DataType.Name(proto.dtype)} tensor of shape {list(shape)} needs "
                f"{size * dtype.itemsize} bytes of content, and has {len(proto.tensor_content)}"
            )
        return np.frombuffer(proto.tensor_content, dtype=dtype).copy().reshape(shape)
    values = _repeated_values(proto, dtype)
    if len(values) == size:
        return values.reshape(shape)
    if len(values) > size:
        raise MalformedTensor(f"a tensor of shape {list(shape)} holds {len(values)} values")
    if size > MAX_BROADCAST_ELEMENTS:
        raise MalformedTensor(
            f"a tensor of shape {list(shape)} ({size} elements) from {len(values)} values: "
            f"repeating a value is allowed up to {MAX_BROADCAST_ELEMENTS} elements"
        )
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
    if len(histo.bucket_limit) < end:  # the last non-empty bucket needs its left edge
        raise MalformedTensor(
            f"a histogram of {len(counts)} buckets with {len(histo.bucket_limit)} bucket limits"
        )
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
