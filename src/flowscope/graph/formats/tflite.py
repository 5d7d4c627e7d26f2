"""TFLite models (``.tflite`` FlatBuffers, schema.fbs) as flat graphs, without TensorFlow.

An operator is named by its first output tensor (the part before any ``;`` of a fused
name), so the Keras or TF scope path in the tensor names gives the hierarchy. Tensors
backed by a buffer with data are weights, drawn as annotations; the subgraph's inputs
and outputs are nodes of their own. Further subgraphs (``WHILE``/``IF`` bodies) become
graphs of `FlatGraph.functions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowscope.graph.flat import (
    INPUT,
    OUTPUT,
    PARAMETER,
    DType,
    FlatGraph,
    GraphBuilder,
    Input,
    OpNode,
    Tensor,
    new_graph,
)
from flowscope.graph.formats.flatbuffer import FlatBufferError, Table
from flowscope.graph.formats.tflite_ops import BUILTIN_OPS

IDENTIFIER = b"TFL3"
TENSOR_TYPES = (
    *("float32", "float16", "int32", "uint8", "int64", "string", "bool", "int16"),
    *("complex64", "int8", "float64", "complex128", "uint64", "resource", "variant"),
    *("uint32", "uint16", "int4", "bfloat16", "int2", "uint4"),
)
# field numbers in schema.fbs
MODEL_OPERATOR_CODES, MODEL_SUBGRAPHS, MODEL_BUFFERS = 1, 2, 4
CODE_DEPRECATED, CODE_CUSTOM, CODE_BUILTIN = 0, 1, 3
SUBGRAPH_TENSORS, SUBGRAPH_INPUTS, SUBGRAPH_OUTPUTS, SUBGRAPH_OPERATORS, SUBGRAPH_NAME = range(5)
TENSOR_SHAPE, TENSOR_TYPE, TENSOR_BUFFER, TENSOR_NAME = range(4)
OPERATOR_OPCODE, OPERATOR_INPUTS, OPERATOR_OUTPUTS = range(3)
BUFFER_DATA, BUFFER_OFFSET = 0, 1


def _op_name(code: Table) -> str:
    builtin = max(int(code.scalar(CODE_DEPRECATED, "b")), int(code.scalar(CODE_BUILTIN, "i")))
    if BUILTIN_OPS[builtin : builtin + 1] == ["CUSTOM"] or builtin >= len(BUILTIN_OPS):
        return code.string(CODE_CUSTOM) or f"op{builtin}"
    return BUILTIN_OPS[builtin]


@dataclass
class _Tensor:
    name: str
    info: Tensor
    weight: bool


def _tensors(subgraph: Table, weights: list[bool]) -> list[_Tensor]:
    found = []
    for tensor in subgraph.tables(SUBGRAPH_TENSORS):
        kind = int(tensor.scalar(TENSOR_TYPE, "b"))
        buffer = int(tensor.scalar(TENSOR_BUFFER, "I"))
        info = Tensor(
            tuple(tensor.scalars(TENSOR_SHAPE, "i")),
            DType(TENSOR_TYPES[kind] if 0 <= kind < len(TENSOR_TYPES) else f"type{kind}"),
        )
        weight = 0 < buffer < len(weights) and weights[buffer]
        found.append(_Tensor(tensor.string(TENSOR_NAME), info, weight))
    return found


def _subgraph(subgraph: Table, ops: list[str], weights: list[bool]) -> FlatGraph:
    tensors = _tensors(subgraph, weights)
    builder = GraphBuilder()
    producer: dict[int, Input] = {}

    def tensor_node(index: int, op: str, role: str) -> Input:
        t = tensors[index]
        name = builder.unique(t.name.split(";")[0] or f"tensor_{index}")
        builder.nodes.append(OpNode(name, op, outputs=[t.info], role=role, original_name=t.name))
        producer[index] = Input(name)
        return producer[index]

    for index in subgraph.scalars(SUBGRAPH_INPUTS, "i"):
        if 0 <= index < len(tensors):
            tensor_node(index, "Input", INPUT)
    for operator in subgraph.tables(SUBGRAPH_OPERATORS):
        code = int(operator.scalar(OPERATOR_OPCODE, "I"))
        op = ops[code] if code < len(ops) else f"op{code}"
        inputs = []
        for index in operator.scalars(OPERATOR_INPUTS, "i"):
            if not 0 <= index < len(tensors):
                continue  # -1: an optional input left out
            source = producer.get(index)
            if source is None and tensors[index].weight:
                source = tensor_node(index, "Weight", PARAMETER)
            if source is not None:
                inputs.append(source)
        outputs = [i for i in operator.scalars(OPERATOR_OUTPUTS, "i") if 0 <= i < len(tensors)]
        first = tensors[outputs[0]].name.split(";")[0] if outputs else ""
        name = builder.unique(first or op)
        builder.nodes.append(
            OpNode(
                name,
                op,
                inputs,
                outputs=[tensors[i].info for i in outputs],
                original_name=";".join(tensors[i].name for i in outputs),
            )
        )
        for k, index in enumerate(outputs):
            producer[index] = Input(name, k)
    results = [producer[i] for i in subgraph.scalars(SUBGRAPH_OUTPUTS, "i") if i in producer]
    if results:
        builder.nodes.append(OpNode(builder.unique("output"), "Output", results, role=OUTPUT))
    return new_graph(builder.nodes, format="tflite")


def from_tflite(data: bytes, where: str = "model.tflite") -> FlatGraph:
    """The flat graph of a TFLite model's main subgraph, with the others as functions."""
    if data[4:8] != IDENTIFIER:
        raise ValueError(f"{where}: not a TFLite model (no {IDENTIFIER.decode()} identifier)")
    try:
        model = Table.root(data)
        ops = [_op_name(code) for code in model.tables(MODEL_OPERATOR_CODES)]
        weights = [
            b.vector_length(BUFFER_DATA) > 0 or int(b.scalar(BUFFER_OFFSET, "Q")) > 1
            for b in model.tables(MODEL_BUFFERS)
        ]
        subgraphs = list(model.tables(MODEL_SUBGRAPHS))
        if not subgraphs:
            raise ValueError(f"{where}: the TFLite model has no subgraph")
        graph = _subgraph(subgraphs[0], ops, weights)
        for k, subgraph in enumerate(subgraphs[1:], 1):
            name = subgraph.string(SUBGRAPH_NAME) or f"subgraph_{k}"
            graph.functions[name] = _subgraph(subgraph, ops, weights)
    except FlatBufferError as error:
        raise ValueError(f"{where}: a damaged TFLite model ({error})") from None
    return graph
