"""Op attributes as a person reads them: ``float32``, ``1×784``, ``[1, 2, 2, 1]``,
``SAME``, a small constant's values, instead of protobuf text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from flowscope.data.tensors import UnsupportedTensor, to_ndarray
from flowscope.graph.flat import shape_label
from flowscope.proto.graph_pb2 import AttrValue, NameAttrList
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


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _func(value: NameAttrList) -> str:
    return value.name


# how one value of each AttrValue field reads; a list field reads as a list of these
_RENDER: dict[str, Callable[[Any], str]] = {
    "s": _text,
    "i": str,
    "f": _number,
    "b": _bool,
    "type": dtype_name,
    "shape": _shape,
    "tensor": _tensor,
    "func": _func,
}


def _list(values: AttrValue.ListValue) -> str:
    for field, render in _RENDER.items():
        items = getattr(values, field)
        if len(items):
            return f"[{', '.join(render(item) for item in items)}]"
    return "[]"


def attr_text(value: AttrValue) -> str:
    """One attribute value as readable text, cut at `TEXT_LIMIT` characters."""
    kind = value.WhichOneof("value")
    if kind == "list":
        text = _list(value.list)
    elif kind == "placeholder":
        text = f"${value.placeholder}"
    elif kind:
        text = _RENDER[kind](getattr(value, kind))
    else:
        text = ""
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
