"""Seeded graph generators for the layout tests and benchmark."""

from __future__ import annotations

import random

from flowscope.layout import LayoutEdge, LayoutGraph, LayoutNode


def network_like_dag(num_nodes: int, seed: int = 0) -> LayoutGraph:
    """A graph shaped like a network's ops: blocks of parallel branches joined by a merge op,
    residual shortcuts around some blocks, parameter sources feeding most ops, side inputs from
    recent ops, and a few global inputs (a mask, a training flag) read all over the graph.

    About 1.5 edges per node; boxes of mixed sizes, like ops next to collapsed groups.
    """
    rng = random.Random(seed)
    nodes: list[LayoutNode] = []
    edges: list[tuple[int, int]] = []

    def add_op(*inputs: int) -> int:
        nodes.append(
            LayoutNode(
                f"n{len(nodes)}", rng.choice((30, 40, 60, 90, 140)), rng.choice((20, 20, 30, 60))
            )
        )
        op = len(nodes) - 1
        edges.extend((source, op) for source in inputs)
        if len(ops) > 2 and rng.random() < 0.6:
            edges.append((rng.choice(ops[-6:-1]), op))
        if rng.random() < 0.1:
            edges.append((rng.choice(global_inputs), op))
        ops.append(op)
        for _ in range(rng.choice((0, 1, 1, 2))):
            nodes.append(LayoutNode(f"n{len(nodes)}", 20, 12))
            edges.append((len(nodes) - 1, op))
        return op

    nodes.extend(LayoutNode(f"n{i}", 50, 20) for i in range(3))
    global_inputs = [0, 1, 2]
    ops: list[int] = []
    block_input = add_op()
    while len(nodes) < num_nodes:
        branch_ends = []
        for _ in range(rng.choice((1, 1, 2, 3, 4))):
            end = block_input
            for _ in range(rng.randint(1, 3)):
                end = add_op(end)
            branch_ends.append(end)
        shortcut = (block_input,) if rng.random() < 0.5 else ()
        block_input = add_op(*branch_ends, *shortcut)
    return _graph(nodes, edges)


def random_graph(
    num_nodes: int,
    num_edges: int,
    seed: int = 0,
    *,
    acyclic: bool = True,
    sizes: tuple[float, ...] = (10, 30, 60),
) -> LayoutGraph:
    """Uniformly random edges (parallel edges and self-loops allowed when not ``acyclic``)."""
    rng = random.Random(seed)
    nodes = [LayoutNode(f"n{i}", rng.choice(sizes), rng.choice(sizes)) for i in range(num_nodes)]
    edges = []
    for _ in range(num_edges if num_nodes > 1 else 0):
        a, b = rng.randrange(num_nodes), rng.randrange(num_nodes)
        if acyclic:
            if a == b:
                continue
            a, b = min(a, b), max(a, b)
        edges.append((a, b))
    return _graph(nodes, edges)


def chain(length: int) -> LayoutGraph:
    """A path of ``length`` nodes."""
    return _graph(
        [LayoutNode(f"n{i}", 20, 10) for i in range(length)],
        [(i, i + 1) for i in range(length - 1)],
    )


def _graph(nodes: list[LayoutNode], edges: list[tuple[int, int]]) -> LayoutGraph:
    return LayoutGraph(
        tuple(nodes),
        tuple(LayoutEdge(f"e{i}", nodes[a].id, nodes[b].id) for i, (a, b) in enumerate(edges)),
    )
