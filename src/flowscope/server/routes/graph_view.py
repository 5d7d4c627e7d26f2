"""``/api/graph/...``: graph views laid out on the server for the graph dashboard.

Every route but ``runs`` and ``upload`` names a graph by ``run`` and ``tag`` (or by
the ``upload`` id an upload returned) and takes the view state: repeated
``expanded``, ``ungrouped``, ``include`` and ``exclude`` names, ``colour`` and
``depth``. GET takes them as query parameters; POST as a JSON object with the
same keys (lists for the repeated ones), for states too long for a URL.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flowscope.graph.importer import GRAPH_FILE_SUFFIXES
from flowscope.graph.render import COLOUR_MODES
from flowscope.server import graph_queries as queries
from flowscope.server.errors import ApiError, bad_request, not_found
from flowscope.server.graph_store import MAX_UPLOAD_BYTES, Entry, GraphStore, graph_runs
from flowscope.server.jsonio import JsonResponse, json_response
from flowscope.server.params import find_run, runs_snapshot

log = logging.getLogger(__name__)

LIST_KEYS = ("expanded", "ungrouped", "include", "exclude")
MAX_NAMES = 100_000
MAX_DEPTH = 64
UNMATCHED_SHOWN = 20  # keys of node data that name no op, listed in the answer


def store_of(request: Request) -> GraphStore:
    return request.app.state.graph_store


async def _params(request: Request) -> dict[str, Any]:
    """The query parameters (GET) or the JSON object (POST), lists for `LIST_KEYS`."""
    if request.method == "GET":
        query = request.query_params
        params: dict[str, Any] = {key: query.getlist(key) for key in LIST_KEYS}
        params.update((k, v) for k, v in query.items() if k not in LIST_KEYS)
        return params
    body = await request.body()
    try:
        params = json.loads(body or b"{}")
    except RecursionError:
        raise bad_request("the body must be a JSON object, and this one is nested too deeply") from None
    except ValueError as err:  # not JSON, not UTF-8, or an integer too long to read
        raise bad_request(f"the body must be a JSON object: {err}") from None
    if not isinstance(params, dict):
        raise bad_request("the body must be a JSON object")
    for key in LIST_KEYS:
        value = params.setdefault(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad_request(f"{key!r} must be a list of strings")
    for key, value in params.items():
        if key not in LIST_KEYS and value is not None and not isinstance(value, (str, int)):
            raise bad_request(f"{key!r} must be a string")
    return params


def _text(params: dict[str, Any], key: str) -> str | None:
    value = params.get(key)
    return None if value is None else str(value)


def _required(params: dict[str, Any], key: str) -> str:
    value = _text(params, key)
    if not value:
        raise bad_request(f"parameter {key!r} is required")
    return value


def _state(params: dict[str, Any]) -> queries.ViewState:
    colour = _text(params, "colour") or "structure"
    if colour not in COLOUR_MODES:
        raise bad_request(f"colour must be one of {', '.join(COLOUR_MODES)}, not {colour!r}")
    if sum(len(params[key]) for key in LIST_KEYS) > MAX_NAMES:
        raise bad_request(f"at most {MAX_NAMES} names in a view state")
    depth = _text(params, "depth")
    depth_value: int | None = None
    if depth is not None and depth != "":
        try:
            depth_value = int(depth)
        except ValueError:
            raise bad_request(f"depth must be an integer, got {depth!r}") from None
        if not 0 <= depth_value <= MAX_DEPTH:
            raise bad_request(f"depth must be between 0 and {MAX_DEPTH}")
    expanded, ungrouped, include, exclude = (list(params[key]) for key in LIST_KEYS)
    return queries.ViewState(expanded, ungrouped, include, exclude, colour, depth_value)


def _entry(request: Request, params: dict[str, Any]) -> Entry:
    """The graph named by ``upload`` or by ``run`` (and ``tag``); loads it if needed."""
    store = store_of(request)
    upload = _text(params, "upload")
    if upload:
        return store.uploaded(upload)
    run = find_run(request, _required(params, "run"))
    return store.for_run(run, _text(params, "tag") or None)


def _graph_route(
    work: Callable[[Entry, dict[str, Any], queries.ViewState], Any],
) -> Callable[[Request], Any]:
    """A route that loads the graph, sets the view state on it and runs ``work`` under
    the graph's lock, off the event loop."""

    async def endpoint(request: Request) -> Response:
        params = await _params(request)
        state = _state(params)

        def run() -> Any:
            entry = _entry(request, params)
            with entry.lock:
                queries.apply_state(entry.graph, state)
                return work(entry, params, state)

        result = await run_in_threadpool(run)
        return result if isinstance(result, Response) else json_response(result)

    return endpoint


def _view(entry: Entry, params: dict[str, Any], state: queries.ViewState) -> dict:
    body = queries.view(entry.graph, state)
    body["source"] = entry.source
    return body


def _about_node(entry: Entry, params: dict[str, Any], answer: Callable[[Entry, str], dict]) -> dict:
    """``answer`` for the node named by the ``name`` parameter; 404 when there is none."""
    name = _required(params, "name")
    try:
        return answer(entry, name)
    except KeyError:
        raise not_found(f"no node named {name!r} in this graph") from None


def _node(entry: Entry, params: dict[str, Any], state: queries.ViewState) -> dict:
    return _about_node(entry, params, queries.node_info)


def _search(entry: Entry, params: dict[str, Any], state: queries.ViewState) -> dict:
    query = _text(params, "q") or ""
    if not query:
        return {"query": "", "total": 0, "hits": []}
    return queries.search(entry.graph, query)


def _trace(entry: Entry, params: dict[str, Any], state: queries.ViewState) -> dict:
    return _about_node(entry, params, queries.trace_inputs)


def _svg(entry: Entry, params: dict[str, Any], state: queries.ViewState) -> Response:
    return Response(entry.graph.to_svg(state.colour), media_type="image/svg+xml")


async def node_data(request: Request) -> JsonResponse:
    """Loads the node data JSON in the body onto the graph named by the query (``run``
    and ``tag``, or ``upload``); answers ``{name, aggregate, matched, unmatched}``."""
    params = dict(request.query_params)
    data = await request.body()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApiError(413, f"node data is limited to {MAX_UPLOAD_BYTES >> 20} MiB")

    def load() -> dict:
        entry = _entry(request, params)
        with entry.lock:
            try:
                loaded = entry.graph.set_node_data(data)
            except ValueError as error:
                raise ApiError(422, str(error)) from None
        return {
            "name": loaded.name,
            "aggregate": loaded.aggregate,
            "matched": loaded.matched,
            "unmatched": loaded.unmatched[:UNMATCHED_SHOWN],
        }

    return json_response(await run_in_threadpool(load))


def runs(request: Request) -> JsonResponse:
    """``{runs: [{run, tags: [{tag, kind}]}], upload_types}``; kind: op, trace, conceptual
    or profile; ``upload_types``: the file suffixes an upload may have."""
    runs = graph_runs(runs_snapshot(request))
    return json_response({"runs": runs, "upload_types": list(GRAPH_FILE_SUFFIXES)})


async def upload(request: Request) -> JsonResponse:
    """Loads the graph file in the body; answers ``{id, name, ops}``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise ApiError(413, f"uploads are limited to {MAX_UPLOAD_BYTES >> 20} MiB")
    data = await request.body()
    name = request.query_params.get("name", "")
    upload_id, entry = await run_in_threadpool(store_of(request).upload, data, name)
    return json_response(
        {"id": upload_id, "name": entry.source["name"], "ops": len(entry.graph.model.flat.nodes)}
    )


def start_warm_up(app: Starlette) -> threading.Event:
    """Loads the first graph in the background once the logdir is loaded, so that the
    dashboard's first view comes at once; set the returned event to stop waiting."""
    stop = threading.Event()
    loader = app.state.loader

    def warm() -> None:
        while loader.loading:
            if stop.wait(0.05):
                return
        try:
            app.state.graph_store.warm(dict(app.state.logdir.runs))
        except ApiError as err:  # the graph in the log is unreadable
            log.warning("preparing the first graph failed: %s", err.message)
        except Exception:
            log.exception("preparing the first graph failed")

    threading.Thread(target=warm, name="flowscope-graph-warm-up", daemon=True).start()
    return stop


BOTH = ["GET", "POST"]
routes = [
    Route("/api/graph/runs", runs),
    Route("/api/graph/upload", upload, methods=["POST"]),
    Route("/api/graph/node_data", node_data, methods=["POST"]),
    Route("/api/graph/view", _graph_route(_view), methods=BOTH),
    Route("/api/graph/node", _graph_route(_node), methods=BOTH),
    Route("/api/graph/search", _graph_route(_search), methods=BOTH),
    Route("/api/graph/trace", _graph_route(_trace), methods=BOTH),
    Route("/api/graph/svg", _graph_route(_svg), methods=BOTH),
]
