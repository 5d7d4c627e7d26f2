"""The format-neutral flat graph: ops, their inputs and output tensors, and the edges.

Every importer (`flowscope.graph.formats`) produces this model; the transformations
(hierarchy, series, extraction, templates, edges, view, render) read only it.

* An op's ``name`` is its scope path joined by ``/`` (``model/layers.3/self_attn/mm``);
  `FlatGraph.scope_types` gives a scope's type label (``LlamaAttention``), when the
  format records one.
* Attributes are plain values: ints, floats, bools, strings, `DType`, shapes (tuples),
  and lists of these.
* Inputs are `Input` (source op, output index) in order, control inputs flagged.
* The role of an op tells the transformations what it is: the format's rules (which
  ops are constants, summaries, references or sinks) live in its importer.

Names are kept in real dicts keyed by strings, so an op may be called anything
(``length``, ``__proto__``, ``constructor``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flowscope.proto.run_metadata_pb2 import RunMetadata

Shape = tuple[int, ...]  # -1 for an unknown dimension

OP = ""
PARAMETER = "parameter"  # a weight (variable, initializer, torch parameter or buffer)
CONSTANT = "constant"
INPUT = "input"
OUTPUT = "output"
SUMMARY = "summary"
SINK = "sink"  # an op that only orders others (TF's NoOp): drawn beside the main graph
IN_ANNOTATION_ROLES = frozenset({PARAMETER, CONSTANT})
"""Roles drawn as small annotations on the ops that read them."""
OUT_ANNOTATION_ROLES = frozenset({SUMMARY})
"""Roles drawn as small annotations on the ops they read."""


class DType(str):
    """A tensor element type as an attribute value (``float32``)."""

    __slots__ = ()


class Input(NamedTuple):
    """An input of an op: output ``output`` of op ``src``, or a control dependency.

    ``ref`` marks an input the op mutates in place (a reference edge)."""

    src: str
    output: int = 0
    control: bool = False
    ref: bool = False


@dataclass(frozen=True, slots=True)
class Tensor:
    """An output tensor: its shape (None when unknown) and element type ("" when unknown)."""

    shape: Shape | None = None
    dtype: str = ""


@dataclass(slots=True)
class OpNode:
    """One op of the flat graph."""

    name: str
    op: str
    inputs: list[Input] = field(default_factory=list)
    device: str = ""
    attr: dict[str, Any] = field(default_factory=dict)
    outputs: list[Tensor] = field(default_factory=list)
    function: str = ""  # the library function this op calls, if any
    original_name: str = ""  # the name in the source, when it was made readable
    role: str = OP
    source: str = ""  # where the op was made (a source line), when the format says

    @property
    def output_shapes(self) -> list[Shape | None]:
        return [t.shape for t in self.outputs]

    @property
    def xla_cluster(self) -> str:
        return str(self.attr.get("_XlaCluster", ""))


@dataclass(slots=True)
class Edge:
    """A dataflow edge. ``outputs`` lists the source outputs it carries (empty for control)."""

    src: str
    dst: str
    outputs: tuple[int, ...] = ()
    control: bool = False
    ref: bool = False


@dataclass
class FlatGraph:
    """Ops in graph order, their edges, and the functions (sub-graphs) of the graph."""

    nodes: dict[str, OpNode]
    edges: list[Edge] = field(default_factory=list)
    functions: dict[str, FlatGraph] = field(default_factory=dict)
    run_metadata: RunMetadata | None = None
    dropped_inputs: int = 0  # inputs naming ops that are not in the graph
    scope_types: dict[str, str] = field(default_factory=dict)  # scope path -> type label
    format: str = ""  # the importer's name: "graphdef", "onnx", "torch.export", ...

    def shape_of(self, edge: Edge) -> list[Shape | None]:
        """The shapes of the tensors ``edge`` carries (None where unknown)."""
        outputs = self.nodes[edge.src].outputs
        return [outputs[k].shape if k < len(outputs) else None for k in edge.outputs]


def tensor_size(shape: Shape | None) -> int:
    """Number of elements; unknown dimensions count 1, an unknown shape counts 1."""
    if shape is None:
        return 1
    return math.prod(d if d >= 0 else 1 for d in shape)


def shape_label(shape: Shape | None) -> str:
    """``?×784`` style, ``scalar`` for rank 0, empty when unknown."""
    if shape is None:
        return ""
    if not shape:
        return "scalar"
    return "×".join("?" if d < 0 else str(d) for d in shape)


def attr_text(value: Any) -> str:
    """An attribute value as a person reads it: ``float32``, ``1×784``, ``[1, 2, 2, 1]``."""
    if isinstance(value, tuple):
        return shape_label(value)
    if isinstance(value, list):
        return "[" + ", ".join(attr_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def build_edges(graph: FlatGraph) -> None:
    """Turns every op's inputs into `graph.edges`.

    Consecutive inputs from the same op become one edge, self-loops are dropped, and an
    input flagged ``ref`` makes a reference edge.
    """
    nodes = graph.nodes
    edges: list[Edge] = []
    dropped = 0
    for node in nodes.values():
        previous: Edge | None = None
        for src, output, control, ref in node.inputs:
            if src not in nodes:
                dropped += 1
                previous = None
                continue
            if src == node.name:
                continue
            if previous is not None and previous.src == src and previous.control == control:
                if not control:
                    previous.outputs += (output,)
                continue
            previous = Edge(src, node.name, () if control else (output,), control, ref)
            edges.append(previous)
    graph.edges = edges
    graph.dropped_inputs = dropped


@dataclass
class GraphBuilder:
    """The ops an importer collects, their names kept unique, and the scope types."""

    nodes: list[OpNode] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    scope_types: dict[str, str] = field(default_factory=dict)

    def unique(self, name: str) -> str:
        """``name``, or ``name_1``, ``name_2`` ... when it is taken; then taken."""
        base, k = name, 0
        while name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name


def new_graph(nodes: Iterable[OpNode], **kwargs: Any) -> FlatGraph:
    """A flat graph of ``nodes`` (a later node replaces an earlier one of the same name)
    with its edges built."""
    graph = FlatGraph({n.name: n for n in nodes}, **kwargs)
    build_edges(graph)
    return graph


def scoped_name(scope: Iterable[tuple[str, str]], leaf: str, scope_types: dict[str, str]) -> str:
    """The op name for ``leaf`` under ``scope``, a list of (segment, type label) from the
    root down; each labelled scope's type goes into ``scope_types``."""
    path = ""
    for segment, type_label in scope:
        path = f"{path}/{segment}" if path else segment
        if type_label:
            scope_types.setdefault(path, type_label)
    return f"{path}/{leaf}" if path else leaf


def module_scope(paths: Iterable[str], types: Iterable[str]) -> list[tuple[str, str]]:
    """Scope segments from nested module paths (``model``, ``model.layers.3``, ...):
    each segment is a path relative to the one before it (``layers.3``), labelled with
    the last part of its class name (``LlamaDecoderLayer``)."""
    scope: list[tuple[str, str]] = []
    previous = ""
    for path, type_name in zip(paths, types):
        if not path or path == previous:
            continue
        relative = path[len(previous) + 1 :] if path.startswith(previous + ".") else path
        scope.append((relative.replace("/", "_"), type_name.rpartition(".")[2]))
        previous = path
    return scope
