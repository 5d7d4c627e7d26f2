"""ONNX models (``.onnx``) as flat graphs, read with our own subset of onnx.proto.

* The hierarchy comes from the dynamo exporter's ``pkg.torch.onnx.name_scopes`` and
  ``pkg.torch.onnx.class_hierarchy`` node metadata when present, else from the node
  names split on ``/`` (the TorchScript exporter and most models in the wild).
* Initializers are parameters and ``Constant`` nodes constants: both are drawn as
  annotations on the ops that read them. Graph inputs and outputs are nodes of their own.
* Subgraphs of ``If``/``Loop``/``Scan`` nodes become groups under the node; their
  outputs feed the node. Calls of local functions expand into groups of their bodies.
* Shapes and element types come from ``value_info``, the graph's inputs and outputs,
  and the initializers. Weights are never read (external data included).
"""

from __future__ import annotations

import ast
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import DecodeError

from flowscope.graph.flat import (
    CONSTANT,
    INPUT,
    OP,
    OUTPUT,
    PARAMETER,
    DType,
    FlatGraph,
    GraphBuilder,
    Input,
    OpNode,
    Shape,
    Tensor,
    module_scope,
    new_graph,
    scoped_name,
)
from flowscope.graph.shared import hoist_shared
from flowscope.proto.onnx_pb2 import (
    AttributeProto,
    FunctionProto,
    GraphProto,
    ModelProto,
    NodeProto,
    TensorProto,
    TypeProto,
)

NAME_SCOPES = "pkg.torch.onnx.name_scopes"
CLASS_HIERARCHY = "pkg.torch.onnx.class_hierarchy"
STACK_TRACE = "pkg.torch.onnx.stack_trace"
DTYPES = (
    *("undefined", "float32", "uint8", "int8", "uint16", "int16", "int32", "int64", "string"),
    *("bool", "float16", "float64", "uint32", "uint64", "complex64", "complex128", "bfloat16"),
    *("float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz", "uint4", "int4"),
    *("float4e2m1", "float8e8m0", "uint2", "int2", "float6e2m3", "float6e3m2"),
)
FLOATS, INTS, STRINGS, TENSORS, GRAPHS = 6, 7, 8, 9, 10  # AttributeProto.AttributeType
FLOAT, INT, STRING, TENSOR, GRAPH = 1, 2, 3, 4, 5


def dtype_name(code: int) -> DType:
    return DType(DTYPES[code] if 0 <= code < len(DTYPES) else f"type{code}")


def _shape(value_type: TypeProto) -> Tensor:
    if not value_type.HasField("tensor_type"):
        return Tensor()
    tensor = value_type.tensor_type
    shape: Shape | None = None
    if tensor.HasField("shape"):
        shape = tuple(d.dim_value if d.HasField("dim_value") else -1 for d in tensor.shape.dim)
    return Tensor(shape, dtype_name(tensor.elem_type) if tensor.elem_type else "")


def _tensor_text(tensor: TensorProto) -> str:
    dims = "×".join(map(str, tensor.dims)) or "scalar"
    return f"{dtype_name(tensor.data_type)} {dims}"


def plain_attr(attr: AttributeProto) -> Any:
    """The attribute as a plain value (a subgraph by its name)."""
    if attr.ref_attr_name:
        return f"@{attr.ref_attr_name}"
    kind = attr.type
    if kind == FLOAT:
        return attr.f
    if kind == INT:
        return attr.i
    if kind == STRING:
        return attr.s.decode(errors="replace")
    if kind == TENSOR:
        return _tensor_text(attr.t)
    if kind == GRAPH:
        return f"graph {attr.g.name}"
    if kind == FLOATS:
        return list(attr.floats)
    if kind == INTS:
        return list(attr.ints)
    if kind == STRINGS:
        return [s.decode(errors="replace") for s in attr.strings]
    if kind == TENSORS:
        return [_tensor_text(t) for t in attr.tensors]
    if kind == GRAPHS:
        return [f"graph {g.name}" for g in attr.graphs]
    return None


def _metadata(node: NodeProto) -> dict[str, str]:
    return {p.key: p.value for p in node.metadata_props}


def _list(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _scope(node: NodeProto) -> tuple[list[tuple[str, str]], str]:
    """The scope segments of ``node`` and its leaf name."""
    meta = _metadata(node)
    scopes = _list(meta.get(NAME_SCOPES))
    if scopes:
        types = _list(meta.get(CLASS_HIERARCHY))
        types += [""] * (len(scopes) - len(types))
        # the last entry is the exported op itself, not a module
        return module_scope(scopes[:-1], types[:-1]), node.name or node.op_type
    parts = [p for p in node.name.split("/") if p]
    if len(parts) <= 1:
        return [], node.name or node.op_type
    return [(p, "") for p in parts[:-1]], parts[-1]


@dataclass
class _Builder(GraphBuilder):
    """Collects the ops of one graph (and the subgraphs inside it)."""

    where: str = ""
    functions: dict[str, FunctionProto] = field(default_factory=dict)
    parameters: set[str] = field(default_factory=set)

    def add_graph(
        self, graph: GraphProto, prefix: str, outer: dict[str, tuple[str, int]]
    ) -> dict[str, tuple[str, int]]:
        """Adds the ops of ``graph`` under ``prefix``; returns its tensors by name
        (the producing op and output index), outer tensors included."""
        infos: dict[str, Tensor] = {}
        for value in (*graph.input, *graph.output, *graph.value_info):
            infos[value.name] = _shape(value.type)
        for tensor in graph.initializer:
            infos[tensor.name] = Tensor(tuple(tensor.dims), dtype_name(tensor.data_type))
        tensors = dict(outer)
        at = f"{prefix}/" if prefix else ""
        for tensor in graph.initializer:
            name = self.unique(at + tensor.name)
            info = infos[tensor.name]
            self.nodes.append(OpNode(name, "Initializer", outputs=[info], role=PARAMETER))
            self.parameters.add(name)
            tensors[tensor.name] = (name, 0)
        for value in graph.input:
            if value.name in tensors and value.name not in outer:
                continue  # an initializer listed as an input (IR version 3)
            name = self.unique(at + value.name)
            self.nodes.append(OpNode(name, "Input", outputs=[infos[value.name]], role=INPUT))
            tensors[value.name] = (name, 0)
        for node in _topological(graph.node, tensors, self.where):
            self._add_node(node, prefix, tensors, infos)
        return tensors

    def _add_node(
        self,
        node: NodeProto,
        prefix: str,
        tensors: dict[str, tuple[str, int]],
        infos: dict[str, Tensor],
    ) -> None:
        scope, leaf = _scope(node)
        if prefix:
            scope = [(p, "") for p in prefix.split("/")] + scope
        name = self.unique(scoped_name(scope, leaf, self.scope_types))
        inputs = [Input(*tensors[t]) for t in node.input if t in tensors]
        for attr in node.attribute:
            for k, sub in enumerate([attr.g] if attr.type == GRAPH else attr.graphs):
                label = attr.name if attr.type == GRAPH else f"{attr.name}_{k}"
                inner = self.add_graph(sub, f"{name}/{label}", tensors)
                inputs += [Input(*inner[out.name]) for out in sub.output if out.name in inner]
        call = _function_key(node.domain, node.op_type, node.overload)
        role = OP
        if not node.domain and node.op_type == "Constant":
            role = CONSTANT
        elif node.op_type == "Identity" and all(i.src in self.parameters for i in inputs):
            role = PARAMETER  # a shared weight, copied under another name
        op = OpNode(
            name,
            node.op_type if not node.domain else f"{node.domain}.{node.op_type}",
            inputs=inputs,
            attr={a.name: plain_attr(a) for a in node.attribute},
            outputs=[infos.get(t, Tensor()) for t in node.output],
            role=role,
            source=_metadata(node).get(STACK_TRACE, "").rpartition("\n  File ")[2],
            function=call if call in self.functions else "",
            original_name=node.name,
        )
        self.nodes.append(op)
        if role == PARAMETER:
            self.parameters.add(name)
        for k, tensor in enumerate(node.output):
            if tensor:
                tensors[tensor] = (name, k)

    def add_outputs(self, graph: GraphProto, tensors: dict[str, tuple[str, int]]) -> None:
        for value in graph.output:
            if value.name in tensors:
                name = self.unique(f"{value.name} (output)")
                src = Input(*tensors[value.name])
                self.nodes.append(OpNode(name, "Output", [src], outputs=[], role=OUTPUT))


def _function_key(domain: str, op_type: str, overload: str) -> str:
    return f"{domain}::{op_type}" + (f"::{overload}" if overload else "")


def _topological(
    nodes: Iterable[NodeProto], known: dict[str, tuple[str, int]], where: str
) -> list[NodeProto]:
    """The nodes with producers first, in the file's order where it allows; a cycle is
    an error."""
    nodes = list(nodes)
    producer = {t: k for k, n in enumerate(nodes) for t in n.output if t}
    waiting = [0] * len(nodes)
    consumers: list[list[int]] = [[] for _ in nodes]
    for k, node in enumerate(nodes):
        for t in set(node.input):
            p = producer.get(t)
            if p is not None and p != k and t not in known:
                waiting[k] += 1
                consumers[p].append(k)
    ready = [k for k in range(len(nodes)) if not waiting[k]]
    heapq.heapify(ready)
    order: list[NodeProto] = []
    while ready:
        k = heapq.heappop(ready)
        order.append(nodes[k])
        for c in consumers[k]:
            waiting[c] -= 1
            if not waiting[c]:
                heapq.heappush(ready, c)
    if len(order) < len(nodes):
        stuck = next(n for k, n in enumerate(nodes) if waiting[k])
        raise ValueError(f"{where}: the ONNX graph has a cycle through node {stuck.name!r}")
    return order


def _function_graph(
    function: FunctionProto, functions: dict[str, FunctionProto], where: str
) -> FlatGraph:
    """A local function as a graph of ``_Arg`` ops, its body and ``_Retval`` ops."""
    builder = _Builder(where=where, functions=functions)
    tensors: dict[str, tuple[str, int]] = {}
    for name in function.input:
        op = builder.unique(name)
        builder.nodes.append(OpNode(op, "_Arg", role=INPUT))
        tensors[name] = (op, 0)
    body = GraphProto(node=function.node, value_info=function.value_info)
    tensors = builder.add_graph(body, "", tensors)
    for name in function.output:
        op = builder.unique(f"{name}_retval")
        inputs = [Input(*tensors[name])] if name in tensors else []
        builder.nodes.append(OpNode(op, "_Retval", inputs))
    return new_graph(builder.nodes, scope_types=builder.scope_types, format="onnx")


def parse_model(data: bytes, where: str) -> ModelProto:
    """The model in ``data``; a clear error naming ``where`` when it is not one."""
    try:
        model = ModelProto.FromString(data)
    except DecodeError as error:
        raise ValueError(f"{where}: not a readable ONNX model ({error})") from None
    if not model.ir_version or not model.HasField("graph"):
        raise ValueError(f"{where}: not an ONNX model (no IR version or graph)")
    return model


def from_onnx(data: bytes, where: str = "model.onnx") -> FlatGraph:
    """The flat graph of a serialized ONNX model."""
    model = parse_model(data, where)
    functions = {_function_key(f.domain, f.name, f.overload): f for f in model.functions}
    builder = _Builder(where=where, functions=functions)
    tensors = builder.add_graph(model.graph, "", {})
    builder.add_outputs(model.graph, tensors)
    graph = hoist_shared(new_graph(builder.nodes, scope_types=builder.scope_types, format="onnx"))
    for key, function in functions.items():
        graph.functions[key] = _function_graph(function, functions, where)
    return graph
