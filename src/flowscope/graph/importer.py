"""Flat graphs from files and logdirs.

A source is a ``.pb`` / ``.pbtxt`` GraphDef (or MetaGraphDef), a Keras model
config ``.json``, an event file, or a logdir. In event files a graph is found as:

* ``__run_graph__``: ``Event.graph_def`` (or the GraphDef in ``meta_graph_def``);
* a ``graph_run_metadata_graph`` summary (TF2 ``trace_export``): a RunMetadata whose
  function graphs hold the GraphDef; the tag names it;
* a ``graph_keras_model`` summary: the Keras conceptual graph;
* ``tagged_run_metadata`` (profile): step stats joined to the run graph.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from google.protobuf import text_format

from flowscope.graph.flat import FlatGraph, from_graph_def
from flowscope.graph.keras import from_keras_json
from flowscope.graph.torch_names import is_torch_graph, make_readable
from flowscope.io.events import EventFileReader
from flowscope.io.files import Location, is_event_file
from flowscope.proto.graph_pb2 import GraphDef, MetaGraphDef
from flowscope.proto.run_metadata_pb2 import RunMetadata

RUN_GRAPH = "__run_graph__"
OPAQUE_TEXT_FIELDS = ("experimental_type", "debug_info")
"""Message fields our protos keep as bytes: their text-format blocks are skipped."""
PLUGIN_OP_GRAPH = "graph_run_metadata_graph"
PLUGIN_PROFILE = "graph_run_metadata"
PLUGIN_KERAS = "graph_keras_model"


@dataclass
class RunGraphs:
    """What one run's event files hold for the graph dashboard, by tag."""

    op_graphs: dict[str, bytes] = field(default_factory=dict)  # tag -> GraphDef bytes
    traced: dict[str, bytes] = field(default_factory=dict)  # tag -> RunMetadata with graphs
    keras: dict[str, bytes] = field(default_factory=dict)  # tag -> model config JSON
    profiles: dict[str, bytes] = field(default_factory=dict)  # tag -> RunMetadata (step stats)

    @property
    def tags(self) -> list[str]:
        return [*self.op_graphs, *self.traced, *self.keras, *self.profiles]

    def kinds(self) -> list[tuple[str, str]]:
        """``(tag, kind)``: op graphs, traced graphs, Keras (conceptual) graphs, then profiles
        (which need a graph to join their step stats to)."""
        tags = [(t, "op") for t in self.op_graphs]
        tags += [(t, "trace") for t in self.traced]
        tags += [(t, "conceptual") for t in self.keras]
        if self.op_graphs or self.traced:
            tags += [(t, "profile") for t in self.profiles]
        return tags


def scan_events(location: Location, paths: list[str]) -> RunGraphs:
    found = RunGraphs()
    meta_graph: bytes = b""
    for path in paths:
        for event in EventFileReader(location, path).read(final=True):
            what = event.WhichOneof("what")
            if what == "graph_def":
                found.op_graphs[RUN_GRAPH] = event.graph_def
            elif what == "meta_graph_def":
                meta_graph = event.meta_graph_def
            elif what == "tagged_run_metadata":
                found.profiles[event.tagged_run_metadata.tag] = (
                    event.tagged_run_metadata.run_metadata
                )
            elif what == "summary":
                for value in event.summary.value:
                    plugin = value.metadata.plugin_data.plugin_name
                    target = {
                        PLUGIN_OP_GRAPH: found.traced,
                        PLUGIN_KERAS: found.keras,
                        PLUGIN_PROFILE: found.profiles,
                    }.get(plugin)
                    if target is not None and value.tensor.string_val:
                        target[value.tag] = value.tensor.string_val[0]
    if RUN_GRAPH not in found.op_graphs and meta_graph:
        found.op_graphs[RUN_GRAPH] = MetaGraphDef.FromString(
            meta_graph
        ).graph_def.SerializeToString()
    return found


def list_graph_runs(logdir: str) -> dict[str, RunGraphs]:
    """Every run of ``logdir`` (or the run of one event file) that holds a graph or profile."""
    location, runs = _event_runs(logdir)
    scanned = {run: scan_events(location, paths) for run, paths in runs.items()}
    return {run: graphs for run, graphs in scanned.items() if graphs.tags}


def _event_runs(source: str) -> tuple[Location, dict[str, list[str]]]:
    if is_event_file(source) and not Location.parse(source).fs.isdir(source):
        location = Location.parse(posixpath.dirname(source) or ".")
        return location, {".": [Location.parse(source).root]}
    location = Location.parse(source)
    return location, location.list_event_files()


def graph_from_run_metadata(data: bytes) -> GraphDef:
    """The GraphDef a traced RunMetadata holds; several function graphs are merged under
    ``graph_1/``, ``graph_2/`` ... scopes."""
    metadata = RunMetadata.FromString(data)
    graphs = [fg.pre_optimization_graph for fg in metadata.function_graphs]
    graphs = graphs or list(metadata.partition_graphs)
    if len(graphs) == 1:
        return graphs[0]
    merged = GraphDef()
    for i, graph in enumerate(graphs, 1):
        prefix = f"graph_{i}/"
        for node in graph.node:
            copy = merged.node.add()
            copy.CopyFrom(node)
            copy.name = prefix + node.name
            del copy.input[:]
            copy.input.extend(
                ("^" + prefix + s[1:]) if s.startswith("^") else prefix + s for s in node.input
            )
        merged.library.MergeFrom(graph.library)
    return merged


def read_graph_file(path: str) -> GraphDef:
    """A GraphDef from a binary or text ``.pb``/``.pbtxt`` file (or the graph of a MetaGraphDef)."""
    location = Location.parse(path)
    with location.fs.open(location.root, "rb") as f:
        data = f.read()
    if path.endswith((".pbtxt", ".txt", ".prototxt")):
        text = strip_blocks(data.decode(), OPAQUE_TEXT_FIELDS)
        graph = GraphDef()
        try:
            text_format.Parse(text, graph, allow_unknown_field=True)
        except text_format.ParseError:
            meta = MetaGraphDef()
            text_format.Parse(text, meta, allow_unknown_field=True)
            graph = meta.graph_def
        return graph
    graph = GraphDef.FromString(data)
    if not graph.node:
        graph = MetaGraphDef.FromString(data).graph_def
    return graph


def strip_blocks(text: str, fields: tuple[str, ...]) -> str:
    """``text`` without the ``field { ... }`` blocks of ``fields`` (braces in quoted
    strings are skipped)."""
    names = "|".join(map(re.escape, fields))
    pattern = re.compile(rf"\b(?:{names})\s*:?\s*\{{")
    pieces, pos = [], 0
    for match in pattern.finditer(text):
        if match.start() < pos:
            continue
        pieces.append(text[pos : match.start()])
        depth, i, quote = 1, match.end(), ""
        while depth and i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\":
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            i += 1
        pos = i
    pieces.append(text[pos:])
    return "".join(pieces)


def finish(graph: FlatGraph) -> FlatGraph:
    """Post-processing every source gets: readable torch names."""
    return make_readable(graph) if is_torch_graph(graph) else graph


def load_flat(source: str, run: str | None = None, tag: str | None = None) -> FlatGraph:
    """The flat graph of ``source``: a graph file, a Keras ``.json``, an event file or a logdir.

    In a logdir, ``run`` defaults to the first run with a graph; ``tag`` picks a graph
    (``__run_graph__``, a trace tag, a Keras tag) or a profile whose step stats are
    joined to the run graph. Without a tag the run graph is taken, with the last profile.
    """
    if source.endswith(".json"):
        location = Location.parse(source)
        with location.fs.open(location.root, "rb") as f:
            return from_keras_json(f.read())
    if source.endswith((".pb", ".pbtxt", ".txt", ".prototxt")):
        return finish(from_graph_def(read_graph_file(source)))
    runs = list_graph_runs(source)
    if not runs:
        raise ValueError(f"{source}: no graph found")
    if run is None:
        run = next((r for r, g in runs.items() if g.op_graphs or g.traced or g.keras), None)
    if run not in runs:
        raise ValueError(f"{source}: no graph in run {run!r}; runs with graphs: {list(runs)}")
    return graph_of_run(runs[run], tag, f"{source} run {run!r}")


def graph_of_run(found: RunGraphs, tag: str | None, where: str) -> FlatGraph:
    """The flat graph of ``tag`` (or of the run graph) among what one run holds."""
    if tag is not None and tag not in found.tags:
        raise ValueError(f"{where}: no tag {tag!r}; tags: {found.tags}")
    profile = tag if tag in found.profiles else None
    graph_tag = None if profile else tag
    if graph_tag is None:
        graph_tag = next(iter([*found.op_graphs, *found.traced, *found.keras]), None)
    if graph_tag is None:
        raise ValueError(f"{where}: only profiles, no graph")
    if graph_tag in found.keras:
        graph = from_keras_json(found.keras[graph_tag])
        graph.origin = f"{where}, tag {graph_tag!r}"
        return graph
    if graph_tag in found.op_graphs:
        graph = finish(from_graph_def(GraphDef.FromString(found.op_graphs[graph_tag])))
        profile = profile or next(reversed(found.profiles), None)
    else:
        graph = finish(from_graph_def(graph_from_run_metadata(found.traced[graph_tag])))
        graph.run_metadata = RunMetadata.FromString(found.traced[graph_tag])
    graph.origin = f"{where}, tag {graph_tag!r}"
    if profile is not None:
        graph.run_metadata = RunMetadata.FromString(found.profiles[profile])
        graph.origin += f" with the step stats of {profile!r}"
    return graph
