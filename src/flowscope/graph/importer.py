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

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.data.series import Sampling
from flowscope.graph.flat import FlatGraph
from flowscope.graph.formats import MODEL_FILES, read_model_file
from flowscope.graph.formats.graphdef import from_graph_def
from flowscope.graph.keras import from_keras_json
from flowscope.graph.torch_names import is_torch_graph, make_readable
from flowscope.io.events import EventFileReader
from flowscope.io.files import Location, is_event_file
from flowscope.proto.graph_pb2 import GraphDef, MetaGraphDef
from flowscope.proto.run_metadata_pb2 import RunMetadata

TEXT_GRAPH_SUFFIXES = (".pbtxt", ".txt", ".prototxt")  # a text-format GraphDef
GRAPH_DEF_SUFFIXES = (".pb", *TEXT_GRAPH_SUFFIXES)  # a GraphDef or MetaGraphDef
KERAS_SUFFIX = ".json"  # a Keras model config
GRAPH_FILE_SUFFIXES = (*GRAPH_DEF_SUFFIXES, KERAS_SUFFIX, *MODEL_FILES)  # every file `load` reads
OPAQUE_TEXT_FIELDS = ("experimental_type", "debug_info")
"""Message fields our protos keep as bytes: their text-format blocks are skipped."""


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


def run_graphs(run: Run) -> RunGraphs:
    """What ``run`` holds for the graph dashboard, read from memory."""
    with run.lock:
        graph_def = run.graph_def
        tagged = dict(run.run_metadata)
        plugin_of = dict(run.plugin_of)
    found = RunGraphs()
    if graph_def is not None:
        found.op_graphs[kinds.RUN_GRAPH] = graph_def
    targets = {
        kinds.GRAPH_RUN_METADATA_GRAPH: found.traced,
        kinds.GRAPH_KERAS_MODEL: found.keras,
        kinds.GRAPH_RUN_METADATA: found.profiles,
    }
    for tag, plugin in plugin_of.items():
        target = targets.get(plugin)
        if target is None:
            continue
        point = run.latest(tag)
        if point is not None and point.value.size:
            target[tag] = point.value.reshape(-1)[0]
    found.profiles.update(tagged)
    return found


def list_graph_runs(logdir: str) -> dict[str, RunGraphs]:
    """Every run of ``logdir`` (or the run of one event file) that holds a graph or profile."""
    location, runs = _event_runs(logdir)
    found = {}
    for name, paths in runs.items():
        run = Run(name, Sampling.parse(None))
        for path in paths:
            run.ingest(list(EventFileReader(location, path).read(final=True)))
        graphs = run_graphs(run)
        if graphs.tags:
            found[name] = graphs
    return found


def _event_runs(source: str) -> tuple[Location, dict[str, list[str]]]:
    if is_event_file(source) and not Location.parse(source).fs.isdir(source):
        location = Location.parse(posixpath.dirname(source) or ".")
        return location, {".": [Location.parse(source).root]}
    location = Location.parse(source)
    return location, location.list_event_files()


def graph_from_run_metadata(data: bytes) -> GraphDef:
    """The GraphDef a traced RunMetadata holds: its function graphs (else its partition
    graphs), merged by `merge_function_graphs`."""
    metadata = RunMetadata.FromString(data)
    graphs = [fg.pre_optimization_graph for fg in metadata.function_graphs]
    return merge_function_graphs(graphs or list(metadata.partition_graphs))


def merge_function_graphs(graphs: list[GraphDef]) -> GraphDef:
    """One graph, or several side by side, as TensorBoard merges them: the ops of graph
    *i* under the scope ``graph_i/`` (control inputs ``^x`` become ``^graph_i/x``), its
    library functions renamed ``graph_i_<name>`` with the calls to them."""
    if len(graphs) == 1:
        return graphs[0]
    merged = GraphDef()
    if graphs:
        merged.versions.CopyFrom(graphs[0].versions)
    for index, graph in enumerate(graphs, start=1):
        scope, prefix = f"graph_{index}/", f"graph_{index}_"
        functions = {f.signature.name for f in graph.library.function}
        for node in graph.node:
            copy = merged.node.add()
            copy.CopyFrom(node)
            copy.name = scope + node.name
            copy.input[:] = [
                "^" + scope + name[1:] if name.startswith("^") else scope + name
                for name in node.input
            ]
            if copy.op in functions:
                copy.op = prefix + copy.op
            if "f" in copy.attr and copy.attr["f"].func.name in functions:
                copy.attr["f"].func.name = prefix + copy.attr["f"].func.name
        for function in graph.library.function:
            added = merged.library.function.add()
            added.CopyFrom(function)
            added.signature.name = prefix + function.signature.name
        for gradient in graph.library.gradient:
            added_gradient = merged.library.gradient.add()
            added_gradient.CopyFrom(gradient)
            added_gradient.function_name = prefix + gradient.function_name
            added_gradient.gradient_func = prefix + gradient.gradient_func
    return merged


def read_graph_file(path: str) -> GraphDef:
    """A GraphDef from a binary or text ``.pb``/``.pbtxt`` file (or the graph of a MetaGraphDef)."""
    location = Location.parse(path)
    with location.fs.open(location.root, "rb") as f:
        data = f.read()
    if path.endswith(TEXT_GRAPH_SUFFIXES):
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
    """The flat graph of ``source``: a model file (`flowscope.graph.formats.MODEL_FILES`),
    a GraphDef file, a Keras ``.json``, an event file or a logdir.

    In a logdir, ``run`` defaults to the first run with a graph; ``tag`` picks a graph
    (``__run_graph__``, a trace tag, a Keras tag) or a profile whose step stats are
    joined to the run graph. Without a tag the run graph is taken, with the last profile.
    """
    model = read_model_file(source)
    if model is not None:
        return model
    if source.endswith(KERAS_SUFFIX):
        location = Location.parse(source)
        with location.fs.open(location.root, "rb") as f:
            return from_keras_json(f.read())
    if source.endswith(GRAPH_DEF_SUFFIXES):
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
        return from_keras_json(found.keras[graph_tag])
    if graph_tag in found.op_graphs:
        graph = finish(from_graph_def(GraphDef.FromString(found.op_graphs[graph_tag])))
        profile = profile or next(reversed(found.profiles), None)
    else:
        graph = finish(from_graph_def(graph_from_run_metadata(found.traced[graph_tag])))
        graph.run_metadata = RunMetadata.FromString(found.traced[graph_tag])
    if profile is not None:
        graph.run_metadata = RunMetadata.FromString(found.profiles[profile])
    return graph
