"""Fast JSON responses. Non-finite floats become the strings ``"NaN"``,
``"Infinity"`` and ``"-Infinity"``, as TensorBoard sends them."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import orjson
from starlette.responses import Response

_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


class JsonResponse(Response):
    """A response whose body is already JSON bytes."""

    media_type = "application/json"


def dumps(content: Any) -> bytes:
    """JSON bytes of ``content``; numpy arrays are allowed."""
    return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def json_response(content: Any, status_code: int = 200) -> JsonResponse:
    """A JSON response; ``content`` must hold no non-finite floats (see `finite_list`)."""
    return JsonResponse(dumps(content), status_code=status_code)


def non_finite_name(value: float) -> str | float:
    if math.isfinite(value):
        return value
    return _NON_FINITE[repr(value)]


def finite_list(array: np.ndarray) -> list:
    """``array.tolist()`` with non-finite floats spelled as TensorBoard spells them."""
    if array.dtype.kind != "f" or np.isfinite(array).all():
        return array.tolist()
    flat = array.astype(np.float64).reshape(-1).tolist()
    return np.array([non_finite_name(x) for x in flat], dtype=object).reshape(array.shape).tolist()


def json_ready(array: np.ndarray) -> np.ndarray | list:
    """``array`` itself for orjson when it is all finite, else a `finite_list`."""
    if array.dtype.kind != "f" or np.isfinite(array).all():
        return array
    return finite_list(array)


def cleanse(value: Any) -> Any:
    """A JSON-ready copy of nested lists and dicts of Python floats."""
    if isinstance(value, float):
        return non_finite_name(value)
    if isinstance(value, dict):
        return {k: cleanse(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [cleanse(v) for v in value]
    return value


def scalar_rows(steps: np.ndarray, wall_times: np.ndarray, values: np.ndarray) -> bytes:
    """TensorBoard's ``[[wall_time, step, value], ...]`` as JSON bytes."""
    return dumps(list(zip(wall_times.tolist(), steps.tolist(), finite_list(values))))
