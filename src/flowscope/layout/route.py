"""Phase 6: edge routes as polylines through their dummies, and a geometry check for them.

Inside a rank's band a route only runs vertically, at its own node's or dummy's x, which no other
box in that rank covers; it changes x only in the empty gap between two bands. So no route passes
through a box other than its endpoints. Routes start on the bottom border of the upper node and
end on the top border of the lower node; collinear points are dropped. Edges sharing a trunk
share its route: the trunk's vertical stretches are found once, so a route costs its bends, not
its length.
"""

from __future__ import annotations

from flowscope.layout.normalize import LayeredGraph
from flowscope.layout.types import NodeBox, Point


def route_edges(
    graph: LayeredGraph, x: list[float], heights: list[float], bands: list[tuple[float, float]]
) -> list[list[Point]]:
    """Polyline of every edge of ``graph``, from its upper end to its lower end."""
    straight_runs: dict[int, list[tuple[int, int]]] = {}
    routes = []
    for upper, lower in graph.edges:
        top, bottom = bands[graph.rank[upper]]
        points = [(x[upper], (top + bottom + heights[upper]) / 2), (x[upper], bottom)]
        trunk = graph.trunks[upper]
        dummies = graph.rank[lower] - graph.rank[upper] - 1
        if dummies:
            if upper not in straight_runs:
                straight_runs[upper] = _straight_runs([x[dummy] for dummy in trunk])
            for first, last in straight_runs[upper]:
                if first >= dummies:
                    break
                last = min(last, dummies - 1)
                points += [
                    (x[trunk[first]], bands[graph.rank[trunk[first]]][0]),
                    (x[trunk[last]], bands[graph.rank[trunk[last]]][1]),
                ]
        top, bottom = bands[graph.rank[lower]]
        points += [(x[lower], top), (x[lower], (top + bottom - heights[lower]) / 2)]
        routes.append(_simplify(points))
    return routes


def _straight_runs(xs: list[float]) -> list[tuple[int, int]]:
    """First and last index of every run of equal values: a trunk's vertical stretches."""
    starts = [i for i in range(len(xs)) if i == 0 or xs[i] != xs[i - 1]]
    return list(zip(starts, [start - 1 for start in starts[1:]] + [len(xs) - 1]))


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and points in the middle of a straight run."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2 and _collinear(kept[-2], kept[-1], point):
            kept[-1] = point
        else:
            kept.append(point)
    return kept


def _collinear(a: Point, b: Point, c: Point) -> bool:
    cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    scale = abs(c[0] - a[0]) + abs(c[1] - a[1])
    return abs(cross) <= 1e-9 * scale * scale


def segment_intersects_box(start: Point, end: Point, box: NodeBox, tolerance: float = 1e-6) -> bool:
    """Whether segment ``start``-``end`` enters the box's interior shrunk by ``tolerance``.

    Touching the border does not count. Liang–Barsky clipping: intersect the segment's parameter
    range [0, 1] with the range inside each pair of box sides.
    """
    low, high = 0.0, 1.0
    for origin, delta, center, size in (
        (start[0], end[0] - start[0], box.x, box.width),
        (start[1], end[1] - start[1], box.y, box.height),
    ):
        near, far = center - size / 2 + tolerance, center + size / 2 - tolerance
        if near >= far:
            return False
        if delta == 0:
            if not near < origin < far:
                return False
            continue
        enter, leave = sorted(((near - origin) / delta, (far - origin) / delta))
        low, high = max(low, enter), min(high, leave)
        if low >= high:
            return False
    return True
