"""Phase 3: split every edge that spans several ranks into a chain of dummy nodes, one per rank.

The result is a proper layered graph: every segment joins adjacent ranks, which is what crossing
reduction and coordinate assignment work on. Dummies later become the bends of the edge's route.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(slots=True)
class LayeredGraph:
    """Nodes ``0 .. num_real - 1`` are the input nodes; the rest are dummies.

    ``segments`` are ``(upper, lower, weight)`` with ``rank[lower] == rank[upper] + 1``;
    ``chains[i]`` lists edge i's nodes from its upper end to its lower end.
    """

    rank: list[int]
    num_real: int
    segments: list[tuple[int, int, float]]
    chains: list[list[int]]

    @property
    def num_nodes(self) -> int:
        return len(self.rank)

    @property
    def num_ranks(self) -> int:
        return max(self.rank, default=-1) + 1

    def is_dummy(self, node: int) -> bool:
        return node >= self.num_real


def split_long_edges(rank: Sequence[int], edges: Sequence[tuple[int, int, float]]) -> LayeredGraph:
    """Layered graph for ``edges`` ``(upper, lower, weight)`` with ``rank[lower] > rank[upper]``."""
    graph = LayeredGraph(rank=list(rank), num_real=len(rank), segments=[], chains=[])
    for upper, lower, weight in edges:
        chain = [upper]
        for dummy_rank in range(rank[upper] + 1, rank[lower]):
            chain.append(graph.num_nodes)
            graph.rank.append(dummy_rank)
        chain.append(lower)
        graph.segments.extend((a, b, weight) for a, b in zip(chain, chain[1:]))
        graph.chains.append(chain)
    return graph
