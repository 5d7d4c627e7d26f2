"""Phase 5: coordinates. x by Brandes–Köpf alignment and compaction; y from rank heights.

Brandes and Köpf (2001), written from the paper: every node is aligned with the median of its
neighbours in the previous rank, unless that would cross an earlier alignment in the same rank or
a long edge's inner segment, so aligned nodes form vertical blocks; blocks are then packed as
tightly as the rank orders and separations allow. Doing this for the four combinations of
aligning upwards or downwards and packing leftwards or rightwards, and taking for each node the
mean of its two median candidates, gives a balanced placement in which most edges, and long
edges above all, run straight. The result keeps every separation: if each candidate layout puts
v at least ``s`` right of u, so do their order statistics.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from flowscope.layout.normalize import LayeredGraph

Neighbours = list[list[tuple[int, float]]]


def assign_x(
    graph: LayeredGraph,
    ranks: list[list[int]],
    widths: list[float],
    node_sep: float,
    edge_sep: float,
) -> list[float]:
    """Center x of every node (dummies included), the leftmost box edge at 0."""
    # Half of each node's footprint: half its width plus half the gap it wants to its neighbours.
    half = [
        (widths[v] + (edge_sep if graph.is_dummy(v) else node_sep)) / 2
        for v in range(graph.num_nodes)
    ]
    conflicts = _inner_segment_conflicts(graph, ranks)
    candidates = []  # (x, packed rightwards)
    for vertical, neighbours in ((ranks, graph.above), (ranks[::-1], graph.below)):
        for mirrored in (False, True):
            oriented = [nodes[::-1] for nodes in vertical] if mirrored else vertical
            x = np.array(_compact(oriented, _align(graph, oriented, neighbours, conflicts), half))
            candidates.append((-x if mirrored else x, mirrored))
    return _balance(candidates, np.asarray(widths, dtype=float)).tolist()


def _inner_segment_conflicts(graph: LayeredGraph, ranks: list[list[int]]) -> set[tuple[int, int]]:
    """Segments that cross an inner segment (one between two dummies), as pairs both ways round.

    Keeping them out of the alignment lets every long edge become one straight block.
    """
    slot = graph.slots(ranks)
    conflicts: set[tuple[int, int]] = set()
    for upper_rank, lower_rank in pairwise(ranks):
        # Between two consecutive inner segments (or a rank's ends), scanning the lower rank, a
        # segment whose upper end lies outside the inner segments' upper ends crosses one of them.
        bound_left, start = 0, 0
        for index, node in enumerate(lower_rank):
            inner = _inner_upper(graph, node)
            if inner is None and index < len(lower_rank) - 1:
                continue
            bound_right = len(upper_rank) - 1 if inner is None else slot[inner]
            for lower in lower_rank[start : index + 1]:
                for upper, _ in graph.above[lower]:
                    outside = not bound_left <= slot[upper] <= bound_right
                    if outside and not (graph.is_dummy(upper) and graph.is_dummy(lower)):
                        conflicts.update(((upper, lower), (lower, upper)))
            bound_left, start = bound_right, index + 1
    return conflicts


def _inner_upper(graph: LayeredGraph, node: int) -> int | None:
    """The upper end of ``node``'s inner segment, if it has one."""
    if graph.is_dummy(node) and graph.is_dummy(upper := graph.above[node][0][0]):
        return upper
    return None


def _align(
    graph: LayeredGraph,
    ranks: list[list[int]],
    neighbours: Neighbours,
    conflicts: set[tuple[int, int]],
) -> list[int]:
    """Block root of every node: ranks are visited in the given order, nodes left to right."""
    slot = graph.slots(ranks)
    root = list(range(graph.num_nodes))
    for nodes in ranks:
        taken = -1  # slot of the rightmost neighbour aligned so far: alignments must not cross
        for node in nodes:
            around = neighbours[node]
            if len(around) == 1:
                medians = [around[0][0]]
            else:
                ordered = sorted((other for other, _ in around), key=slot.__getitem__)
                medians = ordered[(len(ordered) - 1) // 2 : len(ordered) // 2 + 1]
            for other in medians:
                if taken < slot[other] and (node, other) not in conflicts:
                    root[node] = root[other]
                    taken = slot[other]
                    break
    return root


def _compact(ranks: list[list[int]], root: list[int], half: list[float]) -> list[float]:
    """x of every node: blocks packed leftwards, each as far left as the blocks on its left allow.

    A longest path, in topological order, over "block A is directly left of block B in some rank".
    """
    right_of: list[list[tuple[int, float]]] = [[] for _ in root]  # block -> (block, min distance)
    unplaced_left = [0] * len(root)
    for nodes in ranks:
        for left, right in pairwise(nodes):
            right_of[root[left]].append((root[right], half[left] + half[right]))
            unplaced_left[root[right]] += 1
    blocks = [node for node, block in enumerate(root) if node == block]
    ready = [block for block in blocks if not unplaced_left[block]]
    order = []
    position = [0.0] * len(root)
    while ready:
        block = ready.pop()
        order.append(block)
        for right, distance in right_of[block]:
            position[right] = max(position[right], position[block] + distance)
            unplaced_left[right] -= 1
            if not unplaced_left[right]:
                ready.append(right)
    assert len(order) == len(blocks), "aligned blocks cross"
    return [position[block] for block in root]


def _balance(candidates: list[tuple[np.ndarray, bool]], widths: np.ndarray) -> np.ndarray:
    """Align the candidates with the narrowest one (leftwards-packed ones by their left edge, the
    others by their right edge), then take the mean of each node's two median positions."""
    lefts = [float((x - widths / 2).min()) for x, _ in candidates]
    rights = [float((x + widths / 2).max()) for x, _ in candidates]
    narrowest = min(range(len(candidates)), key=lambda k: rights[k] - lefts[k])
    shifted = [
        x + (rights[narrowest] - rights[k] if rightwards else lefts[narrowest] - lefts[k])
        for k, (x, rightwards) in enumerate(candidates)
    ]
    ordered = np.sort(np.stack(shifted), axis=0)
    x = (ordered[1] + ordered[2]) / 2
    return x - (x - widths / 2).min()


def rank_bands(
    ranks: list[list[int]], heights: list[float], rank_sep: float
) -> list[tuple[float, float]]:
    """Top and bottom y of every rank: as tall as its tallest node, ``rank_sep`` apart."""
    bands = []
    top = 0.0
    for nodes in ranks:
        bottom = top + max((heights[v] for v in nodes), default=0.0)
        bands.append((top, bottom))
        top = bottom + rank_sep
    return bands
