"""``/api/scalars/columns``: every point of one tag in several runs, as binary columns
the browser views as typed arrays without parsing (see docs/http-api.md)."""

from __future__ import annotations

import struct

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.server.errors import bad_request, check_name
from flowscope.server.jsonio import dumps
from flowscope.server.params import required, runs_snapshot

MEDIA_TYPE = "application/octet-stream"
_INT32 = np.iinfo(np.int32)


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 8)


def _steps(steps: np.ndarray) -> tuple[dict, bytes]:
    """Steps as ``start + i * stride`` when they are evenly spaced (no bytes), else
    as i4 when they fit, else as f8."""
    if steps.size == 0:
        return {"step": "range", "step_start": 0, "step_stride": 0}, b""
    start = int(steps[0])
    stride = int(steps[1] - steps[0]) if steps.size > 1 else 0
    if steps.size == 1 or (
        stride > 0 and np.array_equal(steps, start + stride * np.arange(steps.size))
    ):
        return {"step": "range", "step_start": start, "step_stride": stride}, b""
    if steps.min() >= _INT32.min and steps.max() <= _INT32.max:
        return {"step": "i4"}, _padded(steps.astype("<i4").tobytes())
    return {"step": "f8"}, steps.astype("<f8").tobytes()


def encode(series: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]) -> bytes:
    """``uint32 header length``, the JSON header, then per series its columns, each
    padded to 8 bytes: steps (see `_steps`), wall times as f4 seconds after the
    first one (``wall_start``), values as f4 or f8, as stored."""
    header, columns = [], []
    for run, steps, wall_times, values in series:
        wall_start = float(wall_times[0]) if wall_times.size else 0.0
        step_info, step_bytes = _steps(steps)
        value_column = values.astype("<f4" if values.dtype == np.float32 else "<f8")
        header.append(
            {
                "run": run,
                "n": int(steps.size),
                **step_info,
                "wall_start": wall_start,
                "value": "f4" if value_column.dtype.itemsize == 4 else "f8",
            }
        )
        columns += [
            step_bytes,
            _padded((wall_times - wall_start).astype("<f4").tobytes()),
            _padded(value_column.tobytes()),
        ]
    head = dumps({"series": header})
    prefix = _padded(struct.pack("<I", len(head)) + head)
    return b"".join([prefix, *columns])


def _collect(runs: dict[str, Run], names: list[str], tag: str) -> bytes:
    series = []
    for name in names:
        run = runs.get(name)
        if run is not None and run.plugin_of.get(tag) == kinds.SCALARS:
            series.append((name, *run.scalar_columns(tag)))
    return encode(series)


async def scalar_columns(request: Request) -> Response:
    """One ``tag`` in the repeated ``run`` parameters; runs without it are left out."""
    tag = required(request, "tag")
    names = list(dict.fromkeys(request.query_params.getlist("run")))
    if not names:
        raise bad_request("query parameter 'run' is required (repeat it for several runs)")
    check_name("tag", tag)
    for name in names:
        check_name("run", name)
    body = await run_in_threadpool(_collect, runs_snapshot(request), names, tag)
    return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store"})


routes = [Route("/api/scalars/columns", scalar_columns)]
