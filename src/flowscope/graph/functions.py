"""Function calls expanded into their bodies.

An op calling a library function (its op type is the function, or a
``PartitionedCall`` with attr ``f``) becomes a name scope holding the function's
body: ``_Arg`` ops fed by the call's inputs, the body ops, and ``_Retval`` ops that
the call's consumers now read. The hierarchy then lets the user expand a call like
any other scope, and identical calls share one template.
"""

from __future__ import annotations

from dataclasses import replace

from flowscope.graph.flat import FlatGraph, Input, OpNode, new_graph

MAX_DEPTH = 8


def inline_calls(graph: FlatGraph, max_ops: int = 200_000) -> FlatGraph:
    """A copy of ``graph`` with calls replaced by their bodies while the graph stays
    under ``max_ops`` ops; ``graph`` itself is returned when nothing is called."""
    if not graph.functions or not any(n.function for n in graph.nodes.values()):
        return graph
    budget = [max_ops - len(graph.nodes)]
    nodes = _inline(graph.nodes, graph.functions, budget, 0)
    return new_graph(
        nodes.values(),
        functions=graph.functions,
        run_metadata=graph.run_metadata,
        scope_types=graph.scope_types,
        format=graph.format,
    )


def _retvals(body: FlatGraph) -> list[str]:
    return [n.name for n in body.nodes.values() if n.op == "_Retval"]


def _inline(
    nodes: dict[str, OpNode], functions: dict[str, FlatGraph], budget: list[int], depth: int
) -> dict[str, OpNode]:
    outputs: dict[str, list[str]] = {}  # call name -> its body's _Retval op names
    for node in nodes.values():
        body = functions.get(node.function)
        if body is None or depth >= MAX_DEPTH or not _retvals(body) or budget[0] < len(body.nodes):
            continue
        budget[0] -= len(body.nodes)
        outputs[node.name] = [f"{node.name}/{r}" for r in _retvals(body)]
    if not outputs:
        return nodes

    result: dict[str, OpNode] = {}
    for node in nodes.values():
        if node.name not in outputs:
            result[node.name] = _redirect(node, outputs)
            continue
        body = functions[node.function]
        inner = _inline(body.nodes, functions, budget, depth + 1)
        data = [i for i in node.inputs if not i.control]
        control = [i for i in node.inputs if i.control]
        args = [n for n in inner.values() if n.op == "_Arg"]
        for inner_node in inner.values():
            name = f"{node.name}/{inner_node.name}"
            if inner_node.op == "_Arg":
                k = args.index(inner_node)
                inputs = ([data[k]] if k < len(data) else []) + (control if k == 0 else [])
            else:
                inputs = [_prefixed(i, node.name, inner) for i in inner_node.inputs]
            result[name] = replace(
                inner_node,
                name=name,
                inputs=[_redirect_input(i, outputs) for i in inputs],
                device=node.device or inner_node.device,
                original_name="",
            )
    return result


def _prefixed(item: Input, prefix: str, scope: dict[str, OpNode]) -> Input:
    return item._replace(src=f"{prefix}/{item.src}") if item.src in scope else item


def _redirect_input(item: Input, outputs: dict[str, list[str]]) -> Input:
    rets = outputs.get(item.src)
    if rets is None:
        return item
    if item.control:
        return item._replace(src=rets[0])
    return Input(rets[min(item.output, len(rets) - 1)], 0, False, item.ref)


def _redirect(node: OpNode, outputs: dict[str, list[str]]) -> OpNode:
    if not any(i.src in outputs for i in node.inputs):
        return node
    return replace(node, inputs=[_redirect_input(i, outputs) for i in node.inputs])
