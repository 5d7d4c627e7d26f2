"""``SummaryWriter.add_graph(module, example_args)``: a GraphDef with module-path scopes
and ``_output_shapes``."""

from __future__ import annotations

import torch
from torch import nn

from flowscope import SummaryWriter
from flowscope.data.points import RUN_GRAPH
from flowscope.graph import list_graph_runs, load
from flowscope.proto.graph_pb2 import GraphDef

from .test_from_torch import Stack


def test_module_graph_has_module_scopes_and_shapes(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_graph(Stack(), (torch.ones(2, 8),), {"scale": 2.0})
    (run,) = list_graph_runs(str(tmp_path)).values()
    graph_def = GraphDef.FromString(run.op_graphs[RUN_GRAPH])
    names = {node.name: node for node in graph_def.node}
    linear = next(
        n for n, node in names.items() if n.startswith("blocks.4/fc/") and node.op != "Const"
    )
    shape = names[linear].attr["_output_shapes"].list.shape[0]
    assert [d.size for d in shape.dim] == [2, 8]
    assert names["blocks.4/fc/weight"].op == "Const"
    assert names[linear].op == "aten.linear.default"
    assert "blocks.4/fc/weight" in names[linear].input

    graph = load(str(tmp_path))
    assert len(graph.model.series["blocks[0-6]"].members) == 7
    h = graph.model.hierarchy
    assert "blocks.4/fc/weight" in h.leaf_of_op[linear].in_embedded
    assert "2×8" in h.edge_label


def test_a_single_tensor_is_the_example_input(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_graph(nn.Sequential(nn.Linear(4, 3), nn.ReLU()), torch.zeros(1, 4))
    names = {n for n in load(str(tmp_path)).model.flat.nodes}
    assert {"0/linear", "1/relu", "0/weight", "input"} <= names
