"""Phase 3: split every edge that spans several ranks into a chain of dummy nodes, one per rank.

The result is a proper layered graph: every segment joins adjacent ranks, which is what crossing
reduction and coordinate assignment work on. Dummies later become the bends of the edge's route.
Long edges that leave the same node share their dummies: one trunk runs down from the node and
each edge branches off it one rank above its target. A tensor read all over the graph (a mask, a
training flag) becomes one line instead of dozens, and the dummy count stays near the number of
ranks per source instead of the sum of all edge lengths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class LayeredGraph:
    """Nodes ``0 .. num_real - 1`` are the input nodes; the rest are dummies.

    ``segments`` are ``(upper, lower, weight)`` with ``rank[lower] == rank[upper] + 1``;
    ``above[v]`` and ``below[v]`` list v's ``(neighbour, weight)`` in the ranks next to it.
    ``edges`` are the input edges ``(upper, lower)``; edge i runs through the first
    ``rank[lower] - rank[upper] - 1`` dummies of ``trunks[upper]``.
    """

    rank: list[int]
    num_real: int
    segments: list[tuple[int, int, float]] = field(default_factory=list)
    above: list[list[tuple[int, float]]] = field(default_factory=list)
    below: list[list[tuple[int, float]]] = field(default_factory=list)
    edges: list[tuple[int, int]] = field(default_factory=list)
    trunks: dict[int, list[int]] = field(default_factory=dict)

    @property
    def num_nodes(self) -> int:
        return len(self.rank)

    @property
    def num_ranks(self) -> int:
        return max(self.rank, default=-1) + 1

    def is_dummy(self, node: int) -> bool:
        return node >= self.num_real

    def slots(self, ranks: list[list[int]]) -> list[int]:
        """Every node's index in its rank, for the order ``ranks``."""
        slot = [0] * self.num_nodes
        for nodes in ranks:
            for index, node in enumerate(nodes):
                slot[node] = index
        return slot


def split_long_edges(rank: Sequence[int], edges: Sequence[tuple[int, int, float]]) -> LayeredGraph:
    """Layered graph for ``edges`` ``(upper, lower, weight)`` with ``rank[lower] > rank[upper]``."""
    graph = LayeredGraph(rank=list(rank), num_real=len(rank))
    weights: dict[tuple[int, int], float] = {}  # segment -> weight of the edges it carries
    leaving: dict[int, float] = {}  # trunk dummy -> weight of the edges that branch off there
    for upper, lower, weight in edges:
        trunk = graph.trunks.setdefault(upper, [])
        for dummy_rank in range(rank[upper] + 1 + len(trunk), rank[lower]):
            weights[trunk[-1] if trunk else upper, graph.num_nodes] = 0.0
            trunk.append(graph.num_nodes)
            graph.rank.append(dummy_rank)
        dummies = rank[lower] - rank[upper] - 1
        last = trunk[dummies - 1] if dummies else upper
        weights[last, lower] = weights.get((last, lower), 0.0) + weight
        if dummies:
            leaving[last] = leaving.get(last, 0.0) + weight
        graph.edges.append((upper, lower))
    for upper, trunk in graph.trunks.items():
        carried = 0.0
        for previous, dummy in reversed(list(zip([upper, *trunk], trunk))):
            carried += leaving.get(dummy, 0.0)
            weights[previous, dummy] = carried
    graph.segments = [(upper, lower, weight) for (upper, lower), weight in weights.items()]
    graph.above = [[] for _ in range(graph.num_nodes)]
    graph.below = [[] for _ in range(graph.num_nodes)]
    for upper, lower, weight in graph.segments:
        graph.above[lower].append((upper, weight))
        graph.below[upper].append((lower, weight))
    return graph
