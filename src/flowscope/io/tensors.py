"""Numpy arrays and TensorProto: the dtypes they share, and the encoding the writer uses
(decoding is `flowscope.data.tensors`)."""

from __future__ import annotations

import numpy as np

from flowscope.proto.tensor_pb2 import DataType, TensorProto

NUMPY_DTYPES: dict[DataType, np.dtype] = {
    DataType.DT_FLOAT: np.dtype(np.float32),
    DataType.DT_DOUBLE: np.dtype(np.float64),
    DataType.DT_INT32: np.dtype(np.int32),
    DataType.DT_UINT8: np.dtype(np.uint8),
    DataType.DT_INT16: np.dtype(np.int16),
    DataType.DT_INT8: np.dtype(np.int8),
    DataType.DT_INT64: np.dtype(np.int64),
    DataType.DT_BOOL: np.dtype(np.bool_),
    DataType.DT_UINT16: np.dtype(np.uint16),
    DataType.DT_HALF: np.dtype(np.float16),
    DataType.DT_UINT32: np.dtype(np.uint32),
    DataType.DT_UINT64: np.dtype(np.uint64),
    DataType.DT_COMPLEX64: np.dtype(np.complex64),
    DataType.DT_COMPLEX128: np.dtype(np.complex128),
    DataType.DT_STRING: np.dtype(object),
}


class UnsupportedTensor(ValueError):
    """A tensor whose dtype flowscope does not decode."""


def from_ndarray(value: np.ndarray) -> TensorProto:
    """Encodes a numpy array (numbers, bools or bytes/str) as a TensorProto."""
    value = np.asarray(value)
    proto = TensorProto()
    for n in value.shape:
        proto.tensor_shape.dim.add(size=int(n))
    if value.dtype.kind in "OSU":
        proto.dtype = DataType.DT_STRING
        proto.string_val.extend(
            v if isinstance(v, bytes) else str(v).encode("utf-8") for v in value.reshape(-1)
        )
        return proto
    for code, dtype in NUMPY_DTYPES.items():
        if dtype == value.dtype:
            proto.dtype = code
            break
    else:
        raise UnsupportedTensor(f"cannot encode numpy dtype {value.dtype}")
    proto.tensor_content = np.ascontiguousarray(value).tobytes()
    return proto
