"""ONNX structures the fixtures lack: local functions and If subgraphs as nested groups,
Constant nodes as annotations, shapes from value_info."""

from __future__ import annotations

from onnx import TensorProto, helper

from flowscope.graph import load
from flowscope.graph.formats.onnx import from_onnx
from flowscope.graph.hierarchy import Group


def _model():
    value = helper.make_tensor_value_info
    block = helper.make_function(
        "local",
        "Block",
        ["x"],
        ["y"],
        [
            helper.make_node("Constant", [], ["k"], name="k", value_float=2.0),
            helper.make_node("Mul", ["x", "k"], ["m"], name="mul"),
            helper.make_node("Relu", ["m"], ["y"], name="relu"),
        ],
        [helper.make_opsetid("", 18)],
    )
    then_branch = helper.make_graph(
        [helper.make_node("Neg", ["b5"], ["t"], name="neg")],
        "then",
        [],
        [value("t", TensorProto.FLOAT, [2])],
    )
    else_branch = helper.make_graph(
        [helper.make_node("Abs", ["b5"], ["e"], name="abs")],
        "else",
        [],
        [value("e", TensorProto.FLOAT, [2])],
    )
    nodes = [
        helper.make_node("Block", [f"b{i}"], [f"b{i + 1}"], name=f"/block{i}/call", domain="local")
        for i in range(5)
    ]
    nodes += [
        helper.make_node("ReduceSum", ["b5"], ["s"], name="/head/sum", keepdims=0),
        helper.make_node("Greater", ["s", "zero"], ["c"], name="/head/positive"),
        helper.make_node(
            "If",
            ["c"],
            ["out"],
            name="/head/choose",
            then_branch=then_branch,
            else_branch=else_branch,
        ),
    ]
    graph = helper.make_graph(
        nodes,
        "main",
        [value("b0", TensorProto.FLOAT, [2])],
        [value("out", TensorProto.FLOAT, [2])],
        [helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])],
        value_info=[value("b3", TensorProto.FLOAT, [2]), value("s", TensorProto.FLOAT, [])],
    )
    return helper.make_model(
        graph,
        functions=[block],
        opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("local", 1)],
    )


def test_local_functions_and_if_branches_are_groups():
    flat = from_onnx(_model().SerializeToString(), "structures.onnx")
    assert flat.nodes["block2/call"].function == "local::Block"
    graph = load(flat)
    h = graph.model.hierarchy
    call = h.nodes["block2/call"]
    assert isinstance(call, Group)  # the call expands into the function's body
    assert {"block2/call/mul", "block2/call/relu"} <= set(h.leaf_of_op)
    assert h.embedded["block2/call/k"] == "in"  # the Constant node is an annotation
    assert len({h.nodes[f"block{i}/call"].template for i in range(5)}) == 1
    choose = h.nodes["head/choose"]
    assert isinstance(choose, Group)
    assert {"head/choose/then_branch/neg", "head/choose/else_branch/abs"} <= set(h.leaf_of_op)
    assert "2" in h.edge_label and "scalar" in h.edge_label
