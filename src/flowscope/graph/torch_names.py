"""Readable names for the GraphDef that ``torch.utils.tensorboard``'s ``add_graph`` writes.

Torch names ops by module scope plus a TorchScript debug name
(``Net/Sequential[blocks]/Block[0]/Conv2d[conv1]/input.3``). The scope is kept;
the debug name becomes the op kind (``convolution``, ``convolution_1`` ...), and a
parameter read ``Conv2d[conv1]/weight/weight.23`` becomes ``Conv2d[conv1]/weight``.
Constants (and lists built only from constants) are marked so that they are drawn
as annotations: torch shares them across modules, which would otherwise tie
every block to the first one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flowscope.graph.flat import CONSTANT, FlatGraph, Input, new_graph

CONSTANT_OPS = frozenset({"prim::Constant"})
CONTAINERS = re.compile(r"^(ModuleList|ModuleDict|ParameterList|ParameterDict)\[[^\]]*\]$")
PACKING_OPS = frozenset({"prim::ListConstruct", "prim::TupleConstruct"})


def is_torch_graph(graph: FlatGraph) -> bool:
    return any("::" in node.op for node in graph.nodes.values())


def _kind(op: str) -> str:
    return op.rpartition("::")[2].strip("_") or op


def make_readable(graph: FlatGraph) -> FlatGraph:
    """A copy of ``graph`` with readable names and constants given the constant role."""
    constant: set[str] = set()
    for node in graph.nodes.values():  # graph order puts producers first
        srcs = [i.src for i in node.inputs]
        if node.op in CONSTANT_OPS or (node.op in PACKING_OPS and all(s in constant for s in srcs)):
            constant.add(node.name)

    call_scopes = {
        n.name.rpartition("/")[0] for n in graph.nodes.values() if n.op != "prim::GetAttr"
    }
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    for node in graph.nodes.values():
        scope, _, leaf = node.name.rpartition("/")
        if node.op == "prim::GetAttr" and scope not in call_scopes:
            scope = _call_scope(scope, call_scopes)
        if node.op == "IO Node":
            name = node.name
        elif node.op == "prim::GetAttr" and scope.endswith("/" + leaf.split(".")[0]):
            name = scope
        else:
            name = f"{scope}/{_kind(node.op)}" if scope else _kind(node.op)
        base, k = name, 0
        while name in taken:
            k += 1
            name = f"{base}_{k}"
        taken.add(name)
        renamed[node.name] = name

    nodes = [
        replace(
            node,
            name=renamed[node.name],
            inputs=[_rename_input(i, renamed) for i in node.inputs],
            original_name=node.name,
            role=CONSTANT if node.name in constant else node.role,
        )
        for node in graph.nodes.values()
    ]
    return new_graph(
        nodes, functions=graph.functions, run_metadata=graph.run_metadata, format=graph.format
    )


def _call_scope(scope: str, call_scopes: set[str]) -> str:
    """The call scope of a parameter's attribute scope: containers dropped, when such a
    scope (or its module, for ``module/weight``) exists."""
    parts = scope.split("/")
    kept = "/".join(p for p in parts if not CONTAINERS.match(p))
    module = kept.rpartition("/")[0]
    if kept in call_scopes or module in call_scopes:
        return kept
    return scope


def _rename_input(item: Input, renamed: dict[str, str]) -> Input:
    return item._replace(src=renamed.get(item.src, item.src))
