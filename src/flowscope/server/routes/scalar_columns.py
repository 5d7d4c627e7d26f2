"""``/api/scalars/columns``: every point of one tag in several runs, as binary columns
the browser views as typed arrays without parsing; ``/api/scalars/columns/stream``: the
same for several tags in one streamed response (see docs/http-api.md)."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.server.errors import bad_request, check_name
from flowscope.server.jsonio import dumps
from flowscope.server.params import required, runs_snapshot

MEDIA_TYPE = "application/octet-stream"
COLUMNS = ("wall_time", "value")  # after the steps, which always come
_INT32 = np.iinfo(np.int32)

# Bodies are built on one thread, in the order the requests came: the work holds the
# GIL anyway, and interleaved it would make a page's first chart wait for all of them.
_ENCODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scalar-columns")


def _padded_size(size: int) -> int:
    return size + (-size % 8)


def _step_info(steps: np.ndarray) -> dict:
    """Steps as ``start + i * stride`` when they are evenly spaced (no bytes), else
    as i4 when they fit, else as f8."""
    if steps.size == 0:
        return {"step": "range", "step_start": 0, "step_stride": 0}
    start = int(steps[0])
    stride = int(steps[1] - steps[0]) if steps.size > 1 else 0
    if steps.size == 1 or (
        stride > 0 and np.array_equal(steps, start + stride * np.arange(steps.size))
    ):
        return {"step": "range", "step_start": start, "step_stride": stride}
    if steps.min() >= _INT32.min and steps.max() <= _INT32.max:
        return {"step": "i4"}
    return {"step": "f8"}


def encode(
    tag: str,
    series: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
    wanted: tuple[str, ...] = COLUMNS,
) -> memoryview:
    """``uint32 header length``, the JSON header, then per series its columns, each
    padded to 8 bytes: steps (see `_step_info`), then of the ``wanted`` columns the
    wall times as f4 seconds after the first one (``wall_start``) and the values as f4
    or f8, as stored. Each column is written straight into the body."""
    header, columns = [], []
    for run, steps, wall_times, values in series:
        step_info = _step_info(steps)
        value_type = "<f4" if values.dtype == np.float32 else "<f8"
        wall_start = float(wall_times[0]) if wall_times.size else 0.0
        header.append(
            {
                "run": run,
                "n": int(steps.size),
                **step_info,
                "wall_start": wall_start,
                "value": value_type[1:],
            }
        )
        if step_info["step"] != "range":
            columns.append(("<" + step_info["step"], steps))
        if "wall_time" in wanted:
            columns.append(("<f4", wall_times - wall_start))
        if "value" in wanted:
            columns.append((value_type, values))
    head = dumps({"tag": tag, "columns": list(wanted), "series": header})
    offset = _padded_size(4 + len(head))
    sizes = [_padded_size(len(data) * np.dtype(dtype).itemsize) for dtype, data in columns]
    body = bytearray(offset + sum(sizes))
    struct.pack_into("<I", body, 0, len(head))
    body[4 : 4 + len(head)] = head
    for (dtype, data), size in zip(columns, sizes):
        np.copyto(np.frombuffer(body, dtype, len(data), offset), data, casting="unsafe")
        offset += size
    return memoryview(body)


def _collect(
    runs: dict[str, Run], names: list[str], tag: str, wanted: tuple[str, ...]
) -> memoryview:
    series = []
    for name in names:
        run = runs.get(name)
        if run is not None and run.plugin_of.get(tag) == kinds.SCALARS:
            series.append((name, *run.scalar_columns(tag)))
    return encode(tag, series, wanted)


def _wanted(request: Request) -> tuple[str, ...]:
    """The ``columns`` parameter: some of `COLUMNS`, comma-separated (all by default)."""
    given = request.query_params.get("columns")
    if given is None:
        return COLUMNS
    names = set(given.split(",")) - {""}
    if not names <= set(COLUMNS):
        raise bad_request(f"query parameter 'columns' takes some of {', '.join(COLUMNS)}")
    return tuple(name for name in COLUMNS if name in names)


def _runs_of(request: Request) -> list[str]:
    names = list(dict.fromkeys(request.query_params.getlist("run")))
    if not names:
        raise bad_request("query parameter 'run' is required (repeat it for several runs)")
    for name in names:
        check_name("run", name)
    return names


async def scalar_columns(request: Request) -> Response:
    """One ``tag`` in the repeated ``run`` parameters; runs without it are left out."""
    tag = required(request, "tag")
    check_name("tag", tag)
    names, wanted = _runs_of(request), _wanted(request)
    loop = asyncio.get_running_loop()
    runs = runs_snapshot(request)
    body = await loop.run_in_executor(_ENCODER, _collect, runs, names, tag, wanted)
    return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store"})


async def scalar_columns_stream(request: Request) -> StreamingResponse:
    """The repeated ``tag`` parameters in turn, each as ``uint32 length`` and the body
    ``/api/scalars/columns`` gives for it, sent as soon as it is built."""
    tags = list(dict.fromkeys(request.query_params.getlist("tag")))
    if not tags:
        raise bad_request("query parameter 'tag' is required (repeat it for several tags)")
    for tag in tags:
        check_name("tag", tag)
    names, wanted = _runs_of(request), _wanted(request)
    loop = asyncio.get_running_loop()
    runs = runs_snapshot(request)

    def build(tag: str) -> asyncio.Future[memoryview]:
        return loop.run_in_executor(_ENCODER, _collect, runs, names, tag, wanted)

    async def frames() -> AsyncIterator[bytes]:
        next_body = build(tags[0])
        for following in [*tags[1:], None]:
            body = await next_body
            if following is not None:
                next_body = build(following)  # built while this one is sent
            yield struct.pack("<I", len(body)) + body

    return StreamingResponse(frames(), media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store"})


routes = [
    Route("/api/scalars/columns", scalar_columns),
    Route("/api/scalars/columns/stream", scalar_columns_stream),
]
