"""Op attributes as a person reads them: ``float32``, ``1×784``, ``[1, 2, 2, 1]``,
``SAME``, a small constant's values, instead of protobuf text."""

from __future__ import annotations

import numpy as np

from flowscope.data.tensors import UnsupportedTensor, to_ndarray
from flowscope.graph.flat import shape_label
from flowscope.proto.graph_pb2 import AttrValue
from flowscope.proto.tensor_pb2 import DataType, TensorProto, TensorShapeProto

TEXT_LIMIT = 160
TENSOR_VALUES_SHOWN = 8
# TensorFlow's names that differ from numpy's
_DTYPE_NAMES = {"float": "float32", "double": "float64", "half": "float16"}


def dtype_name(dtype: int) -> str:
    """``DT_FLOAT`` as ``float32``, ``DT_INT32_REF`` as ``int32_ref``."""
    if dtype not in DataType.values():
        return f"dtype {dtype}"
    name = DataType.Name(dtype).removeprefix("DT_").lower()
    base, ref, _ = name.partition("_ref")
    return _DTYPE_NAMES.get(base, base) + ("_ref" if ref else "")


def _shape(shape: TensorShapeProto) -> str:
    if shape.unknown_rank:
        return "unknown shape"
    return shape_label(tuple(int(d.size) for d in shape.dim))


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _number(value: float) -> str:
    return f"{value:.7g}"


def _tensor(tensor: TensorProto) -> str:
    """``float32 3×3×32×64``; with few values, these first: ``[1, 1, 1, 32] (int32 4)``."""
    described = f"{dtype_name(tensor.dtype)} {_shape(tensor.tensor_shape)}"
    try:
        values = to_ndarray(tensor).ravel()
    except (UnsupportedTensor, ValueError):
        return described
    if values.size > TENSOR_VALUES_SHOWN:
        return described
    if values.dtype == object:
        items = [repr(_text(v)) for v in values]
    elif np.issubdtype(values.dtype, np.floating):
        items = [_number(float(v)) for v in values]
    else:
        items = [str(v) for v in values.tolist()]
    shown = (
        items[0] if tensor.tensor_shape.dim == [] and len(items) == 1 else f"[{', '.join(items)}]"
    )
    return f"{shown} ({described})"


def _list(values: AttrValue.ListValue) -> str:
    kinds = {
        "s": lambda items: [_text(v) for v in items],
        "i": lambda items: [str(v) for v in items],
        "f": lambda items: [_number(v) for v in items],
        "b": lambda items: ["true" if v else "false" for v in items],
        "type": lambda items: [dtype_name(v) for v in items],
        "shape": lambda items: [_shape(v) for v in items],
        "tensor": lambda items: [_tensor(v) for v in items],
        "func": lambda items: [v.name for v in items],
    }
    for field, render in kinds.items():
        items = getattr(values, field)
        if len(items):
            return f"[{', '.join(render(items))}]"
    return "[]"


def attr_text(value: AttrValue) -> str:
    """One attribute value as readable text, cut at `TEXT_LIMIT` characters."""
    kind = value.WhichOneof("value")
    if kind == "s":
        text = _text(value.s)
    elif kind == "i":
        text = str(value.i)
    elif kind == "f":
        text = _number(value.f)
    elif kind == "b":
        text = "true" if value.b else "false"
    elif kind == "type":
        text = dtype_name(value.type)
    elif kind == "shape":
        text = _shape(value.shape)
    elif kind == "tensor":
        text = _tensor(value.tensor)
    elif kind == "list":
        text = _list(value.list)
    elif kind == "func":
        text = value.func.name
    elif kind == "placeholder":
        text = f"${value.placeholder}"
    else:
        text = ""
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
