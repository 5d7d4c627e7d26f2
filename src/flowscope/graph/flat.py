"""The flat dataflow graph: ops and the edges between them, parsed from a GraphDef.

Names are kept in real dicts keyed by strings, so an op may be called anything
(``length``, ``__proto__``, ``constructor``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from flowscope.proto.graph_pb2 import AttrValue, GraphDef, NodeDef
from flowscope.proto.run_metadata_pb2 import RunMetadata

Shape = tuple[int, ...]  # -1 for an unknown dimension

REF_OPS = re.compile(r"^(Resource)?(Assign|Scatter|Apply|SparseApply)|^CountUpTo$")
"""Ops whose input 0 is mutated in place: that input is a reference edge."""


@dataclass(slots=True)
class OpNode:
    """One op of the flat graph. ``attr`` holds the NodeDef's attributes."""

    name: str
    op: str
    inputs: list[str] = field(default_factory=list)
    device: str = ""
    attr: Mapping[str, AttrValue] = field(default_factory=dict)
    output_shapes: list[Shape | None] = field(default_factory=list)
    function: str = ""  # the library function this op calls, if any
    original_name: str = ""  # the name in the source, when it was made readable

    @property
    def xla_cluster(self) -> str:
        value = self.attr.get("_XlaCluster")
        return value.s.decode(errors="replace") if value is not None else ""


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
    """Ops in graph order, their edges, and the functions of the graph's library."""

    nodes: dict[str, OpNode]
    edges: list[Edge] = field(default_factory=list)
    functions: dict[str, FlatGraph] = field(default_factory=dict)
    run_metadata: RunMetadata | None = None
    dropped_inputs: int = 0  # inputs naming ops that are not in the graph

    def shape_of(self, edge: Edge) -> list[Shape | None]:
        """The shapes of the tensors ``edge`` carries (None where unknown)."""
        shapes = self.nodes[edge.src].output_shapes
        return [shapes[k] if k < len(shapes) else None for k in edge.outputs]


def parse_input(text: str) -> tuple[str, int, bool]:
    """Splits an input spec into (op name, output index, is control).

    ``^x`` is a control input; ``x:k`` selects output k; ``x:arg:k`` (function
    bodies) selects output k of the output argument ``arg``.
    """
    if text[:1] == "^":
        return text[1:], -1, True
    if ":" not in text:
        return text, 0, False
    head, sep, tail = text.rpartition(":")
    if sep and tail.isdigit():
        return head.partition(":")[0], int(tail), False
    return text, 0, False


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


def _shapes(attr: AttrValue | None) -> list[Shape | None]:
    if attr is None:
        return []
    return [None if s.unknown_rank else tuple(int(d.size) for d in s.dim) for s in attr.list.shape]


def _called_function(node: NodeDef, library: AbstractSet[str]) -> str:
    if node.op in library:
        return node.op
    f = node.attr.get("f")
    if f is not None and f.func.name in library:
        return f.func.name
    return ""


def op_nodes(defs: Iterable[NodeDef], library: AbstractSet[str] = frozenset()) -> dict[str, OpNode]:
    """OpNodes from NodeDefs, in order; a repeated name keeps its last definition."""
    nodes: dict[str, OpNode] = {}
    for d in defs:
        attr = d.attr
        nodes[d.name] = OpNode(
            name=d.name,
            op=d.op,
            inputs=list(d.input),
            device=d.device,
            attr=attr,
            output_shapes=_shapes(attr.get("_output_shapes")),
            function=_called_function(d, library),
        )
    return nodes


def build_edges(graph: FlatGraph) -> None:
    """Parses every op's inputs into `graph.edges`.

    Consecutive inputs from the same op become one edge, self-loops are dropped,
    input 0 of a mutating op is a reference edge.
    """
    nodes = graph.nodes
    edges: list[Edge] = []
    dropped = 0
    for node in nodes.values():
        previous: Edge | None = None
        is_ref_op = REF_OPS.match(node.op) is not None
        for position, text in enumerate(node.inputs):
            src, output, control = parse_input(text)
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
            previous = Edge(
                src,
                node.name,
                () if control else (output,),
                control,
                is_ref_op and position == 0 and not control,
            )
            edges.append(previous)
    graph.edges = edges
    graph.dropped_inputs = dropped


def from_graph_def(graph_def: GraphDef) -> FlatGraph:
    """The flat graph of ``graph_def``, with each library function as its own graph."""
    library = {f.signature.name for f in graph_def.library.function}
    graph = FlatGraph(op_nodes(graph_def.node, library))
    build_edges(graph)
    for function in graph_def.library.function:
        graph.functions[function.signature.name] = _from_function(function, library)
    return graph


def _from_function(function, library: set[str]) -> FlatGraph:
    """A function body as a graph: one ``_Arg`` op per input, one ``_Retval`` per output."""
    signature = function.signature
    nodes = {a.name: OpNode(a.name, "_Arg") for a in signature.input_arg}
    nodes.update(op_nodes(function.node_def, library))
    for out in signature.output_arg:
        name = out.name if out.name not in nodes else f"{out.name}_retval"
        nodes[name] = OpNode(name, "_Retval", inputs=[function.ret.get(out.name, "")])
    graph = FlatGraph(nodes)
    build_edges(graph)
    return graph
