"""Phase 4: order the nodes inside each rank to reduce edge crossings.

Start from a depth-first order, then sweep down and up the ranks, sorting each rank by the
weighted barycenter of its neighbours in the rank just placed (ties keep their current order, so
the result is deterministic). Keep the order with the fewest crossings seen; stop early once a
down and an up sweep change nothing. Crossings are counted for all rank pairs at once as
inversions of one sequence (Barth, Jünger and Mutzel, 2004), vectorized with numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from flowscope.layout.normalize import LayeredGraph

SWEEPS = 8

Neighbours = list[list[tuple[int, float]]]


def order_ranks(graph: LayeredGraph, sweeps: int = SWEEPS) -> list[list[int]]:
    """Nodes of each rank, left to right."""
    ranks = depth_first_order(graph)
    slot = graph.slots(ranks)
    crossings_of = crossing_counter(graph)
    best, fewest = [list(nodes) for nodes in ranks], crossings_of(slot)
    idle_sweeps = 0
    for sweep in range(sweeps):
        if fewest == 0 or idle_sweeps == 2:
            break
        visits: Iterable[list[int]]
        if sweep % 2 == 0:  # downwards, each rank after the one above it
            visits, neighbours = ranks[1:], graph.above
        else:
            visits, neighbours = reversed(ranks[:-1]), graph.below
        if not sum(_sort_by_barycenter(nodes, neighbours, slot) for nodes in visits):
            idle_sweeps += 1
            continue
        idle_sweeps = 0
        crossings = crossings_of(slot)
        if crossings < fewest:
            best, fewest = [list(nodes) for nodes in ranks], crossings
    return best


def depth_first_order(graph: LayeredGraph) -> list[list[int]]:
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
            stack.extend(lower for lower, _ in reversed(graph.below[node]))
    return ranks


def _sort_by_barycenter(nodes: list[int], neighbours: Neighbours, slot: list[int]) -> bool:
    """Reorder ``nodes`` in place, leaving nodes without neighbours in their slots.

    Returns whether the order changed.
    """
    if len(nodes) < 2:
        return False
    keyed: list[tuple[float, int, int]] = []
    for index, node in enumerate(nodes):
        around = neighbours[node]
        if len(around) == 1:
            keyed.append((slot[around[0][0]], index, node))
        elif around:
            total = sum(weight for _, weight in around)
            barycenter = sum(slot[other] * weight for other, weight in around) / total
            keyed.append((barycenter, index, node))
    slots = [index for _, index, _ in keyed]
    keyed.sort()
    changed = False
    for index, (_, old_index, node) in zip(slots, keyed):
        if index != old_index:
            nodes[index] = node
            slot[node] = index
            changed = True
    return changed


def count_crossings(graph: LayeredGraph, ranks: list[list[int]]) -> int:
    """Number of pairs of segments that cross, given the order of every rank."""
    return crossing_counter(graph)(graph.slots(ranks))


def crossing_counter(graph: LayeredGraph) -> Callable[[list[int]], int]:
    """A function from every node's slot in its rank to the number of crossings."""
    ends = np.array([segment[:2] for segment in graph.segments], dtype=np.int64).reshape(-1, 2)
    upper_rank = np.asarray(graph.rank, dtype=np.int64)[ends[:, 0]]

    def count(slot: list[int]) -> int:
        if len(ends) < 2:
            return 0
        slots = np.asarray(slot, dtype=np.int64)
        upper_slot, lower_slot = slots[ends[:, 0]], slots[ends[:, 1]]
        # Two segments between the same ranks cross iff their upper and lower slots are in
        # opposite order: sorted by (rank, upper slot, lower slot), crossings are inversions.
        by_upper = np.lexsort((lower_slot, upper_slot, upper_rank))
        span = int(lower_slot.max()) + 1
        return count_inversions(upper_rank[by_upper] * span + lower_slot[by_upper])

    return count


def count_inversions(values: np.ndarray) -> int:
    """Pairs ``i < j`` with ``values[i] > values[j]``: a bottom-up merge sort, vectorized per level.

    At each level a stable argsort merges the two sorted halves of every block; a right-half value
    that lands in slot ``p`` of its block passed ``p - j`` left values (``j``: its index in its
    half), and every other left value is larger than it.
    """
    if len(values) < 2:
        return 0
    size = 1 << (len(values) - 1).bit_length()
    merged = np.full(size, values.max(), dtype=np.int64)  # padding at the end adds no inversions
    merged[: len(values)] = values
    inversions, width = 0, 1
    while width < size:
        blocks = merged.reshape(-1, 2 * width)
        order = np.argsort(blocks, axis=1, kind="stable")
        passed_left = (
            int(np.nonzero(order >= width)[1].sum()) - len(blocks) * width * (width - 1) // 2
        )
        inversions += len(blocks) * width * width - passed_left
        merged = np.sort(blocks, axis=1).ravel()
        width *= 2
    return inversions
