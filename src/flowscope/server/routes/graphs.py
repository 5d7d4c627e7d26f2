"""Graphs: which runs and tags have graphs, a graph as pbtxt, run metadata as pbtxt."""

from __future__ import annotations

from typing import TypeVar

from google.protobuf.message import DecodeError, Message
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.graph.importer import merge_function_graphs
from flowscope.proto.graph_pb2 import GraphDef
from flowscope.proto.run_metadata_pb2 import RunMetadata
from flowscope.server import catalog
from flowscope.server.errors import bad_request, not_found
from flowscope.server.graph_store import unprocessable
from flowscope.server.jsonio import JsonResponse, json_response
from flowscope.server.params import find_run, int_param, required, runs_snapshot

M = TypeVar("M", bound=Message)
PBTXT = "text/x-protobuf"
RUN_METADATA_PLUGINS = (kinds.GRAPH_RUN_METADATA, kinds.GRAPH_RUN_METADATA_GRAPH)
# Fields flowscope's protos keep as opaque bytes; TensorBoard prints them as messages.
OPAQUE_FIELDS = {
    ("GraphDef", "debug_info"),
    ("NodeDef", "experimental_type"),
    ("FunctionDefLibrary", "registered_gradients"),
    ("ArgDef", "handle_data"),
    ("ArgDef", "experimental_full_type"),
    ("OpDef", "deprecation"),
    ("RunMetadata", "cost_graph"),
    ("RunMetadata", "session_metadata"),
}


def _mark(tags: dict[str, dict], tag: str, **flags: bool) -> None:
    entry = tags.setdefault(
        tag, {"tag": tag, "conceptual_graph": False, "op_graph": False, "profile": False}
    )
    entry.update(flags)


def info(request: Request) -> JsonResponse:
    """``{run: {run, run_graph, tags: {tag: {tag, conceptual_graph, op_graph, profile}}}}``."""
    body = {}
    for run in runs_snapshot(request).values():
        if not catalog.has_graph_data(run):
            continue
        groups = catalog.tags_by_plugin(run)
        tags: dict[str, dict] = {}
        for tag in groups.get(kinds.GRAPH_RUN_METADATA_GRAPH, []):
            _mark(tags, tag, op_graph=True)
        for tag in groups.get(kinds.GRAPH_RUN_METADATA, []):
            _mark(tags, tag, op_graph=True, profile=True)
        for tag in groups.get(kinds.GRAPH_KERAS_MODEL, []):
            _mark(tags, tag, conceptual_graph=True)
        with run.lock:
            has_run_graph = run.graph_def is not None
            tagged = list(run.run_metadata)
        for tag in tagged:
            _mark(tags, tag, profile=True)
        body[run.name] = {"run": run.name, "tags": tags, "run_graph": has_run_graph}
    return json_response(body)


def _latest_blob(run: Run, tag: str, plugins: tuple[str, ...]) -> bytes | None:
    if run.plugin_of.get(tag) not in plugins:
        return None
    point = run.latest(tag)
    return point.value.reshape(-1)[0] if point is not None and point.value.size else None


def _run_metadata(run: Run, tag: str, tagged: bool, plugins: tuple[str, ...]) -> RunMetadata:
    """The tag's RunMetadata: from ``tagged_run_metadata`` events when ``tagged``,
    else (or failing that) from a summary of one of ``plugins``."""
    raw = None
    if tagged:
        with run.lock:
            raw = run.run_metadata.get(tag)
    if raw is None:
        raw = _latest_blob(run, tag, plugins)
    if raw is None:
        raise not_found(f"run {run.name!r} has no run metadata tagged {tag!r}")
    return _parsed(RunMetadata, raw, f"the run metadata of run {run.name!r} tag {tag!r}")


def _parsed(message: type[M], raw: object, what: str) -> M:
    """``raw`` parsed as ``message``; a 422 when the log holds something else."""
    try:
        if not isinstance(raw, bytes):
            raise DecodeError(f"a {type(raw).__name__} where serialized bytes belong")
        return message.FromString(raw)
    except DecodeError as err:
        raise unprocessable(f"cannot read {what}: {err}") from None


def pbtxt(message: Message) -> Response:
    """``message`` as text, without the opaque fields that would not parse as TensorBoard's."""
    _drop_opaque(message)
    return Response(str(message), media_type=PBTXT)


def _drop_opaque(message: Message) -> None:
    name = message.DESCRIPTOR.name
    for field, value in message.ListFields():
        if (name, field.name) in OPAQUE_FIELDS:
            message.ClearField(field.name)
        elif field.message_type is not None:
            if field.message_type.GetOptions().map_entry:
                values = (
                    value.values()
                    if field.message_type.fields_by_name["value"].message_type
                    else []
                )
            else:
                values = value if field.is_repeated else [value]
            for item in values:
                _drop_opaque(item)


def mark_large_attrs(graph: GraphDef, limit: int, key: str) -> None:
    """Replaces attributes bigger than ``limit`` bytes by their names listed under ``key``."""
    for node in graph.node:
        for name in sorted(name for name, value in node.attr.items() if value.ByteSize() > limit):
            del node.attr[name]
            node.attr[key].list.s.append(name.encode("utf-8"))


def graph(request: Request) -> Response:
    """A GraphDef as pbtxt: the run graph, or with ``tag`` the graphs of that run metadata."""
    run = find_run(request, required(request, "run"))
    tag = request.query_params.get("tag")
    if request.query_params.get("conceptual") == "true":
        raise bad_request("conceptual (Keras model) graphs are not served by this route yet")
    if tag is None:
        with run.lock:
            raw = run.graph_def
        if raw is None:
            raise not_found(f"run {run.name!r} has no graph")
        result = _parsed(GraphDef, raw, f"the graph of run {run.name!r}")
    else:
        metadata = _run_metadata(run, tag, False, RUN_METADATA_PLUGINS)
        result = merge_function_graphs([f.pre_optimization_graph for f in metadata.function_graphs])
    limit = int_param(request, "limit_attr_size", 0)
    if request.query_params.get("limit_attr_size") is not None:
        if limit <= 0:
            raise bad_request("limit_attr_size must be a positive integer")
        mark_large_attrs(
            result, limit, request.query_params.get("large_attrs_key", "_too_large_attrs")
        )
    return pbtxt(result)


def run_metadata(request: Request) -> Response:
    """The RunMetadata of a tag as pbtxt."""
    tag = required(request, "tag")
    run = find_run(request, required(request, "run"))
    return pbtxt(_run_metadata(run, tag, True, (kinds.GRAPH_RUN_METADATA,)))


routes = [
    Route("/data/plugin/graphs/info", info),
    Route("/data/plugin/graphs/graph", graph),
    Route("/data/plugin/graphs/run_metadata", run_metadata),
]
