"""Phase 2: assign each node a rank (layer) so that every edge points to a higher rank.

Longest-path ranking gives a valid start but drags every source to rank 0, far from its consumers.
A few linear passes then move one node at a time to the best rank between its neighbours: the
node's weighted edge length changes linearly with its rank, so the best rank is the upper bound
when its outgoing weight is larger and the lower bound when its incoming weight is larger. Each
move shortens the total weighted edge length, like a cheap network simplex without tree moves.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

IMPROVEMENT_ROUNDS = 4


def topological_order(num_nodes: int, edges: Sequence[tuple[int, int, float]]) -> list[int]:
    """Kahn's algorithm; ties go to the node earliest in input order. The graph must be acyclic."""
    successors: list[list[int]] = [[] for _ in range(num_nodes)]
    in_degree = [0] * num_nodes
    for source, target, _ in edges:
        successors[source].append(target)
        in_degree[target] += 1
    ready = deque(v for v in range(num_nodes) if in_degree[v] == 0)
    order: list[int] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for target in successors[node]:
            in_degree[target] -= 1
            if in_degree[target] == 0:
                ready.append(target)
    if len(order) != num_nodes:
        raise ValueError("graph has a cycle")
    return order


def assign_ranks(num_nodes: int, edges: Sequence[tuple[int, int, float]]) -> list[int]:
    """Ranks from 0 with ``rank[target] > rank[source]`` for every ``(source, target, weight)``."""
    predecessors: list[list[int]] = [[] for _ in range(num_nodes)]
    successors: list[list[int]] = [[] for _ in range(num_nodes)]
    pull = [0.0] * num_nodes  # incoming minus outgoing weight: > 0 pulls a node towards its inputs
    for source, target, weight in edges:
        successors[source].append(target)
        predecessors[target].append(source)
        pull[target] += weight
        pull[source] -= weight

    order = topological_order(num_nodes, edges)
    rank = [0] * num_nodes
    for node in order:
        for target in successors[node]:
            rank[target] = max(rank[target], rank[node] + 1)

    def move(node: int) -> bool:
        if pull[node] > 0:
            best = max(rank[p] for p in predecessors[node]) + 1
        elif pull[node] < 0:
            best = min(rank[s] for s in successors[node]) - 1
        else:
            return False
        moved = best != rank[node]
        rank[node] = best
        return moved

    for _ in range(IMPROVEMENT_ROUNDS):
        if not sum(map(move, reversed(order))) + sum(map(move, order)):
            break
    lowest = min(rank, default=0)
    return [r - lowest for r in rank]
