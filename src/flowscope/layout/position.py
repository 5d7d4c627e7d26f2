"""Phase 5: coordinates. x by sweeps that pull nodes towards their neighbours; y from rank heights.

Each sweep visits the ranks in turn and asks every node for a desired x, the weighted mean x of
its neighbours in the rank(s) just visited. Keeping the rank's order and separations, the desired
positions are made feasible twice, by pushing overlapping nodes right (a running maximum) and by
pushing them left (a running minimum); the mean of the two feasible placements is feasible too,
and centers a crowd of nodes on the spot they all want. Segment weights are multiplied by 1, 2 or
8 when they join 0, 1 or 2 dummies (Gansner et al., 1993), so long edges run straight.
"""

from __future__ import annotations

from itertools import accumulate

from flowscope.layout.normalize import LayeredGraph

SWEEPS = ("down", "up", "down", "up", "both")
_DUMMY_FACTOR = (1.0, 2.0, 8.0)


def assign_x(
    graph: LayeredGraph,
    ranks: list[list[int]],
    widths: list[float],
    node_sep: float,
    edge_sep: float,
) -> list[float]:
    """Center x of every node (dummies included), the leftmost box edge at 0."""
    above: list[list[tuple[int, float]]] = [[] for _ in range(graph.num_nodes)]
    below: list[list[tuple[int, float]]] = [[] for _ in range(graph.num_nodes)]
    for upper, lower, weight in graph.segments:
        weight *= _DUMMY_FACTOR[graph.is_dummy(upper) + graph.is_dummy(lower)]
        above[lower].append((upper, weight))
        below[upper].append((lower, weight))
    around = [a + b for a, b in zip(above, below)]

    # Half of each node's footprint: half its width plus half the gap it wants to its neighbours.
    half = [(widths[v] + (edge_sep if graph.is_dummy(v) else node_sep)) / 2 for v in range(graph.num_nodes)]
    offsets = [list(accumulate((half[a] + half[b] for a, b in zip(nodes, nodes[1:])), initial=0.0)) for nodes in ranks]
    x = [0.0] * graph.num_nodes
    for nodes, offset in zip(ranks, offsets):
        for node, position in zip(nodes, offset):
            x[node] = position - offset[-1] / 2

    for sweep in SWEEPS:
        visit = list(zip(ranks, offsets))
        neighbours = {"down": above, "up": below, "both": around}[sweep]
        for nodes, offset in reversed(visit) if sweep == "up" else visit:
            desired = [_weighted_mean(neighbours[node], x, x[node]) for node in nodes]
            for node, position in zip(nodes, _closest_feasible(desired, offset)):
                x[node] = position

    leftmost = min((x[v] - widths[v] / 2 for v in range(graph.num_nodes)), default=0.0)
    return [value - leftmost for value in x]


def _weighted_mean(neighbours: list[tuple[int, float]], x: list[float], default: float) -> float:
    if not neighbours:
        return default
    total = sum(weight for _, weight in neighbours)
    return sum(x[other] * weight for other, weight in neighbours) / total


def _closest_feasible(desired: list[float], offset: list[float]) -> list[float]:
    """Positions near ``desired`` with ``x[i+1] - x[i] >= offset[i+1] - offset[i]``."""
    # In shifted coordinates ``x[i] - offset[i]`` the constraint is just "non-decreasing".
    shifted = [d - o for d, o in zip(desired, offset)]
    pushed_right = accumulate(shifted, max)
    pushed_left = reversed(list(accumulate(reversed(shifted), min)))
    return [(r + l) / 2 + o for r, l, o in zip(pushed_right, pushed_left, offset)]


def rank_bands(ranks: list[list[int]], heights: list[float], rank_sep: float) -> list[tuple[float, float]]:
    """Top and bottom y of every rank: as tall as its tallest node, ``rank_sep`` apart."""
    bands = []
    top = 0.0
    for nodes in ranks:
        bottom = top + max((heights[v] for v in nodes), default=0.0)
        bands.append((top, bottom))
        top = bottom + rank_sep
    return bands
