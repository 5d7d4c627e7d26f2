"""Phase 4: order the nodes inside each rank to reduce edge crossings.

Start from a depth-first order, then sweep down and up the ranks, sorting each rank by the
weighted barycenter of its neighbours in the rank just placed (ties keep their current order, so
the result is deterministic). Keep the order with the fewest crossings seen. Crossings are counted
for all rank pairs at once as inversions of a sequence (Barth, Jünger and Mutzel), in numpy.
"""

from __future__ import annotations

import numpy as np

from flowscope.layout.normalize import LayeredGraph

SWEEPS = 8

Neighbours = list[list[tuple[int, float]]]


def order_ranks(graph: LayeredGraph, sweeps: int = SWEEPS) -> list[list[int]]:
    """Nodes of each rank, left to right."""
    above: Neighbours = [[] for _ in range(graph.num_nodes)]
    below: Neighbours = [[] for _ in range(graph.num_nodes)]
    for upper, lower, weight in graph.segments:
        above[lower].append((upper, weight))
        below[upper].append((lower, weight))

    ranks = depth_first_order(graph, below)
    slot = [0] * graph.num_nodes
    for nodes in ranks:
        for index, node in enumerate(nodes):
            slot[node] = index
    best, fewest = [list(nodes) for nodes in ranks], count_crossings(graph, ranks)
    for sweep in range(sweeps):
        if fewest == 0:
            break
        if sweep % 2 == 0:
            for nodes in ranks[1:]:
                _sort_by_barycenter(nodes, above, slot)
        else:
            for nodes in reversed(ranks[:-1]):
                _sort_by_barycenter(nodes, below, slot)
        crossings = count_crossings(graph, ranks)
        if crossings < fewest:
            best, fewest = [list(nodes) for nodes in ranks], crossings
    return best


def depth_first_order(graph: LayeredGraph, below: Neighbours) -> list[list[int]]:
    """Initial order: nodes in the order a depth-first search from the top ranks reaches them."""
    ranks: list[list[int]] = [[] for _ in range(graph.num_ranks)]
    seen = [False] * graph.num_nodes
    for root in sorted(range(graph.num_nodes), key=graph.rank.__getitem__):
        stack = [root]
        while stack:
            node = stack.pop()
            if seen[node]:
                continue
            seen[node] = True
            ranks[graph.rank[node]].append(node)
            stack.extend(lower for lower, _ in reversed(below[node]))
    return ranks


def _sort_by_barycenter(nodes: list[int], neighbours: Neighbours, slot: list[int]) -> None:
    """Reorder ``nodes`` in place; nodes without neighbours keep their slots."""
    movable = []
    for index, node in enumerate(nodes):
        if neighbours[node]:
            total = sum(weight for _, weight in neighbours[node])
            barycenter = sum(slot[other] * weight for other, weight in neighbours[node]) / total
            movable.append((barycenter, index, node))
    slots = [index for _, index, _ in movable]
    movable.sort()
    for index, (_, _, node) in zip(slots, movable):
        nodes[index] = node
        slot[node] = index


def count_crossings(graph: LayeredGraph, ranks: list[list[int]]) -> int:
    """Number of pairs of segments that cross, given the order of every rank."""
    if not graph.segments:
        return 0
    slot = np.empty(graph.num_nodes, dtype=np.int64)
    for nodes in ranks:
        slot[nodes] = np.arange(len(nodes))
    ends = np.array([(upper, lower) for upper, lower, _ in graph.segments], dtype=np.int64)
    upper_rank = np.asarray(graph.rank, dtype=np.int64)[ends[:, 0]]
    upper_slot, lower_slot = slot[ends[:, 0]], slot[ends[:, 1]]
    # Two segments between the same ranks cross iff their upper and lower slots are in opposite
    # order: sorted by (rank, upper slot, lower slot), crossings are the lower-slot inversions.
    by_upper = np.lexsort((lower_slot, upper_slot, upper_rank))
    span = int(lower_slot.max()) + 1
    return count_inversions(upper_rank[by_upper] * span + lower_slot[by_upper])


def count_inversions(values: np.ndarray) -> int:
    """Pairs ``i < j`` with ``values[i] > values[j]``, by a bottom-up merge sort vectorized per level."""
    if len(values) < 2:
        return 0
    size = 1 << (len(values) - 1).bit_length()
    ceiling = int(values.max()) + 1
    merged = np.full(size, ceiling, dtype=np.int64)  # padding at the end adds no inversions
    merged[: len(values)] = values
    inversions, width = 0, 1
    while width < size:
        halves = merged.reshape(-1, 2, width)  # each half is already sorted
        blocks = np.arange(len(halves), dtype=np.int64)
        # Offset each block so all left halves form one sorted array, then count for every right
        # value the left values of its own block that are larger.
        offset = (blocks * (ceiling + 1))[:, None]
        not_larger = np.searchsorted((halves[:, 0] + offset).ravel(), (halves[:, 1] + offset).ravel(), side="right")
        inversions += int(width * len(halves) * width - (not_larger - np.repeat(blocks * width, width)).sum())
        merged = np.sort(halves.reshape(len(halves), 2 * width), axis=1).ravel()
        width *= 2
    return inversions
