"""Shared values out of the first scope that uses them.

Exporters that trace a model (torch.export, the ONNX exporters) put a value computed
once and used by many modules, such as the attention mask of a transformer, in the
scope of the first module that asked for it. That makes the first layer differ from
the others, so it shares neither their template nor their series. An op whose inputs
all come from outside its scope, and whose users spread over at least `MIN_SHARERS`
scopes beside its own, moves up to the innermost scope holding everything it touches.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from flowscope.graph.flat import IN_ANNOTATION_ROLES, OP, FlatGraph, new_graph

MIN_SHARERS = 3


def _scope(name: str) -> str:
    return name.rpartition("/")[0]


def _inside(name: str, scope: str) -> bool:
    return name.startswith(scope + "/")


def _common(scopes: list[str]) -> str:
    parts = [s.split("/") if s else [] for s in scopes]
    common = []
    for segment in zip(*parts):
        if any(s != segment[0] for s in segment):
            break
        common.append(segment[0])
    return "/".join(common)


def hoist_shared(graph: FlatGraph) -> FlatGraph:
    """A copy of ``graph`` with shared values moved up (``graph`` when none moves)."""
    consumers: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        consumers[edge.src].append(edge.dst)
    embedded = {n.name for n in graph.nodes.values() if n.role in IN_ANNOTATION_ROLES}
    moved: dict[str, str] = {}
    taken = set(graph.nodes)
    for node in graph.nodes.values():
        scope = _scope(node.name)
        if node.role != OP or not scope:
            continue
        sources = [moved.get(i.src, i.src) for i in node.inputs if i.src not in embedded]
        users = consumers.get(node.name, [])
        if not users or any(_inside(s, scope) for s in sources):
            continue
        shared = _common([_scope(u) for u in users])
        if not _inside(scope, shared) and shared:
            continue  # its users all sit inside one scope: a plain data flow
        depth = shared.count("/") + 1 if shared else 0
        sharers = {"/".join(u.split("/")[: depth + 1]) for u in users}
        if len(sharers) < MIN_SHARERS:
            continue
        target = _common([shared, *(_scope(s) for s in sources)])
        leaf = node.name.rpartition("/")[2]
        name = f"{target}/{leaf}" if target else leaf
        while name in taken:
            name += "'"
        taken.add(name)
        moved[node.name] = name
    if not moved:
        return graph
    nodes = [
        replace(
            n,
            name=moved.get(n.name, n.name),
            inputs=[i._replace(src=moved.get(i.src, i.src)) for i in n.inputs],
            original_name=n.original_name or (n.name if n.name in moved else ""),
        )
        for n in graph.nodes.values()
    ]
    return new_graph(
        nodes,
        functions=graph.functions,
        run_metadata=graph.run_metadata,
        scope_types=graph.scope_types,
        format=graph.format,
    )
