"""Scalars: TensorBoard's ``tags``, ``scalars`` (JSON or CSV) and ``scalars_multirun``,
and flowscope's columnar ``/api/scalars``. Every stored point is served."""

from __future__ import annotations

import csv
import io

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.server import catalog
from flowscope.server.errors import bad_request, check_name
from flowscope.server.jsonio import JsonResponse, dumps, json_ready, json_response, scalar_rows
from flowscope.server.params import form_fields, run_and_tag, runs_snapshot


def tags(request: Request) -> JsonResponse:
    return json_response(catalog.tag_listing(runs_snapshot(request), kinds.SCALARS))


def scalars(request: Request) -> Response:
    """``[[wall_time, step, value], ...]``, or CSV with ``format=csv``."""
    run, tag = run_and_tag(request, kinds.SCALARS)
    steps, wall_times, values = run.scalar_columns(tag)
    output = request.query_params.get("format", "json")
    if output == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["Wall time", "Step", "Value"])
        writer.writerows(zip(wall_times.tolist(), steps.tolist(), values.tolist()))
        return Response(text.getvalue(), media_type="text/csv")
    if output != "json":
        raise bad_request(f"unknown format {output!r}: use json or csv")
    return JsonResponse(scalar_rows(steps, wall_times, values))


async def scalars_multirun(request: Request) -> JsonResponse:
    """POST form with one ``tag`` and repeated ``runs``: ``{run: [[w, s, v], ...]}``
    for each listed run that has the tag."""
    fields = await form_fields(request)
    tag_values = fields.get("tag", [])
    if len(tag_values) != 1:
        raise bad_request("form field 'tag' must be given exactly once")
    tag, names = tag_values[0], list(dict.fromkeys(fields.get("runs", [])))
    check_name("tag", tag)
    for name in names:
        check_name("run", name)
    body = await run_in_threadpool(_multirun_body, runs_snapshot(request), names, tag)
    return JsonResponse(body)


def _multirun_body(all_runs: dict[str, Run], names: list[str], tag: str) -> bytes:
    parts = []
    for name in names:
        run = all_runs.get(name)
        if run is not None and run.plugin_of.get(tag) == kinds.SCALARS:
            parts.append(dumps(name) + b":" + scalar_rows(*run.scalar_columns(tag)))
    return b"{" + b",".join(parts) + b"}"


def api_scalars(request: Request) -> JsonResponse:
    """All points of one series as columns: ``{run, tag, step, wall_time, value}``."""
    run, tag = run_and_tag(request, kinds.SCALARS)
    steps, wall_times, values = run.scalar_columns(tag)
    body = {
        "run": run.name,
        "tag": tag,
        "step": steps,
        "wall_time": wall_times,
        "value": json_ready(values),
    }
    return json_response(body)


routes = [
    Route("/data/plugin/scalars/tags", tags),
    Route("/data/plugin/scalars/scalars", scalars),
    Route("/data/plugin/scalars/scalars_multirun", scalars_multirun, methods=["POST"]),
    Route("/api/scalars", api_scalars),
]
