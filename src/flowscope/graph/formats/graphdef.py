"""TensorFlow GraphDef as a flat graph: TF's input strings, attributes and op rules.

* ``^x`` is a control input; ``x:k`` selects output k; ``x:arg:k`` (function bodies)
  selects output k of the output argument ``arg``.
* Input 0 of an op that mutates it (`REF_OPS`) is a reference edge.
* ``Const`` ops are constants, ``*Summary`` ops summaries, ``NoOp`` ops sinks.
* Shapes come from the ``_output_shapes`` attribute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

from flowscope.graph.flat import (
    CONSTANT,
    OP,
    SINK,
    SUMMARY,
    DType,
    FlatGraph,
    Input,
    OpNode,
    Shape,
    Tensor,
    new_graph,
)
from flowscope.proto.graph_pb2 import AttrValue, FunctionDef, GraphDef, NodeDef
from flowscope.proto.tensor_pb2 import DataType, TensorProto, TensorShapeProto

REF_OPS = re.compile(r"^(Resource)?(Assign|Scatter|Apply|SparseApply)|^CountUpTo$")
"""Ops whose input 0 is mutated in place: that input is a reference edge."""
SUMMARY_OP = re.compile(r"^[a-zA-Z]+Summary$")
DTYPE_NAMES = {"float": "float32", "double": "float64", "half": "float16"}


def parse_input(text: str) -> tuple[str, int, bool]:
    """Splits an input spec into (op name, output index, is control)."""
    if text[:1] == "^":
        return text[1:], -1, True
    if ":" not in text:
        return text, 0, False
    head, sep, tail = text.rpartition(":")
    if sep and tail.isdigit():
        return head.partition(":")[0], int(tail), False
    return text, 0, False


def parse_inputs(texts: Iterable[str], op: str) -> list[Input]:
    mutates = REF_OPS.match(op) is not None
    inputs = []
    for position, text in enumerate(texts):
        src, output, control = parse_input(text)
        inputs.append(Input(src, output, control, mutates and position == 0 and not control))
    return inputs


def dtype_name(code: int) -> DType:
    name = DataType.Name(code) if code in DataType.values() else f"DT_{code}"
    base, ref, _ = name.removeprefix("DT_").lower().partition("_ref")
    return DType(DTYPE_NAMES.get(base, base) + ("_ref" if ref else ""))


def shape_of(shape: TensorShapeProto) -> Shape | None:
    return None if shape.unknown_rank else tuple(int(d.size) for d in shape.dim)


def _tensor_text(tensor: TensorProto) -> str:
    shape = shape_of(tensor.tensor_shape)
    dims = "scalar" if not shape else "×".join(map(str, shape))
    return f"{dtype_name(tensor.dtype)} {dims}"


def plain_attr(value: AttrValue) -> Any:
    """The attribute as a plain value: int, float, bool, str, DType, shape, or a list."""
    kind = value.WhichOneof("value")
    if kind == "s":
        return value.s.decode(errors="replace")
    if kind in ("i", "f", "b", "placeholder"):
        return getattr(value, kind)
    if kind == "type":
        return dtype_name(value.type)
    if kind == "shape":
        return shape_of(value.shape)
    if kind == "tensor":
        return _tensor_text(value.tensor)
    if kind == "func":
        return value.func.name
    if kind == "list":
        items = value.list
        return (
            [s.decode(errors="replace") for s in items.s]
            + list(items.i)
            + list(items.f)
            + list(items.b)
            + [dtype_name(t) for t in items.type]
            + [shape_of(s) for s in items.shape]
            + [_tensor_text(t) for t in items.tensor]
            + [f.name for f in items.func]
        )
    return None


def _role(op: str) -> str:
    if op == "Const":
        return CONSTANT
    if SUMMARY_OP.match(op):
        return SUMMARY
    return SINK if op == "NoOp" else OP


def _outputs(node: NodeDef) -> list[Tensor]:
    shapes = node.attr.get("_output_shapes")
    if shapes is None:
        return []
    return [Tensor(shape_of(s)) for s in shapes.list.shape]


def _called_function(node: NodeDef, library: AbstractSet[str]) -> str:
    if node.op in library:
        return node.op
    f = node.attr.get("f")
    if f is not None and f.func.name in library:
        return f.func.name
    return ""


def op_nodes(defs: Iterable[NodeDef], library: AbstractSet[str] = frozenset()) -> list[OpNode]:
    """OpNodes from NodeDefs, in order."""
    return [
        OpNode(
            name=d.name,
            op=d.op,
            inputs=parse_inputs(d.input, d.op),
            device=d.device,
            attr={key: plain_attr(value) for key, value in d.attr.items()},
            outputs=_outputs(d),
            function=_called_function(d, library),
            role=_role(d.op),
        )
        for d in defs
    ]


def from_graph_def(graph_def: GraphDef) -> FlatGraph:
    """The flat graph of ``graph_def``, with each library function as its own graph."""
    library = {f.signature.name for f in graph_def.library.function}
    graph = new_graph(op_nodes(graph_def.node, library), format="graphdef")
    for function in graph_def.library.function:
        graph.functions[function.signature.name] = _from_function(function, library)
    return graph


def _from_function(function: FunctionDef, library: AbstractSet[str]) -> FlatGraph:
    """A function body as a graph: one ``_Arg`` op per input, one ``_Retval`` per output."""
    signature = function.signature
    nodes = [OpNode(a.name, "_Arg") for a in signature.input_arg]
    nodes += op_nodes(function.node_def, library)
    names = {n.name for n in nodes}
    for out in signature.output_arg:
        name = out.name if out.name not in names else f"{out.name}_retval"
        ret = function.ret.get(out.name, "")
        nodes.append(OpNode(name, "_Retval", inputs=parse_inputs([ret] if ret else [], "")))
    return new_graph(nodes, format="graphdef")
