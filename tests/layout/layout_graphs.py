"""Seeded graph generators for the layout tests and benchmark."""

from __future__ import annotations

import random

from flowscope.layout import LayoutEdge, LayoutGraph, LayoutNode


def network_like_dag(num_nodes: int, seed: int = 0) -> LayoutGraph:
    """A graph shaped like a network's ops: a backbone with skip connections and parameter inputs.

    About 1.5 edges per node; boxes of mixed sizes like ops and collapsed groups.
    """
    rng = random.Random(seed)
    nodes: list[LayoutNode] = []
    edges: list[tuple[int, int]] = []
    ops: list[int] = []

    def add_node(width: float, height: float) -> int:
        nodes.append(LayoutNode(f"n{len(nodes)}", width, height))
        return len(nodes) - 1

    while len(nodes) < num_nodes:
        op = add_node(rng.choice((30, 40, 60, 90, 140)), rng.choice((20, 20, 30, 60)))
        if ops:
            edges.append((ops[-1] if rng.random() < 0.85 else rng.choice(ops[-8:]), op))
        if len(ops) > 2 and rng.random() < 0.6:
            edges.append((rng.choice(ops[-25:-1]), op))
        if rng.random() < 0.35 and len(nodes) < num_nodes:
            edges.append((add_node(20, 12), op))
        ops.append(op)
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
    return _graph([LayoutNode(f"n{i}", 20, 10) for i in range(length)], [(i, i + 1) for i in range(length - 1)])


def _graph(nodes: list[LayoutNode], edges: list[tuple[int, int]]) -> LayoutGraph:
    return LayoutGraph(
        tuple(nodes),
        tuple(LayoutEdge(f"e{i}", nodes[a].id, nodes[b].id) for i, (a, b) in enumerate(edges)),
    )
