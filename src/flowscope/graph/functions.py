"""Function calls expanded into their bodies.

An op calling a library function (its op type is the function, or a
``PartitionedCall`` with attr ``f``) becomes a name scope holding the function's
body: ``_Arg`` ops fed by the call's inputs, the body ops, and ``_Retval`` ops that
the call's consumers now read. The hierarchy then lets the user expand a call like
any other scope, and identical calls share one template.
"""

from __future__ import annotations

from flowscope.graph.flat import FlatGraph, OpNode, build_edges, parse_input

MAX_DEPTH = 8


def inline_calls(graph: FlatGraph, max_ops: int = 200_000) -> FlatGraph:
    """A copy of ``graph`` with calls replaced by their bodies while the graph stays
    under ``max_ops`` ops; ``graph`` itself is returned when nothing is called."""
    if not graph.functions or not any(n.function for n in graph.nodes.values()):
        return graph
    budget = [max_ops - len(graph.nodes)]
    nodes = _inline(graph.nodes, graph.functions, budget, 0)
    inlined = FlatGraph(nodes, functions=graph.functions, run_metadata=graph.run_metadata)
    build_edges(inlined)
    return inlined


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
        data = [i for i in node.inputs if not i.startswith("^")]
        control = [i for i in node.inputs if i.startswith("^")]
        args = [n for n in inner.values() if n.op == "_Arg"]
        for inner_node in inner.values():
            name = f"{node.name}/{inner_node.name}"
            if inner_node.op == "_Arg":
                k = args.index(inner_node)
                inputs = ([data[k]] if k < len(data) else []) + (control if k == 0 else [])
            else:
                inputs = [_prefixed(i, node.name, inner) for i in inner_node.inputs]
            copy = OpNode(
                name,
                inner_node.op,
                [_redirect_input(i, outputs) for i in inputs],
                node.device or inner_node.device,
                inner_node.attr,
                inner_node.output_shapes,
                inner_node.function,
            )
            result[name] = copy
    return result


def _prefixed(text: str, prefix: str, scope: dict[str, OpNode]) -> str:
    src, _, control = parse_input(text)
    if src not in scope:
        return text
    return ("^" if control else "") + prefix + "/" + text.lstrip("^")


def _redirect_input(text: str, outputs: dict[str, list[str]]) -> str:
    src, k, control = parse_input(text)
    rets = outputs.get(src)
    if rets is None:
        return text
    if control:
        return "^" + rets[0]
    return rets[min(k, len(rets) - 1)]


def _redirect(node: OpNode, outputs: dict[str, list[str]]) -> OpNode:
    if not any(parse_input(i)[0] in outputs for i in node.inputs):
        return node
    copy = OpNode(
        node.name,
        node.op,
        [_redirect_input(i, outputs) for i in node.inputs],
        node.device,
        node.attr,
        node.output_shapes,
        node.function,
        node.original_name,
    )
    return copy
