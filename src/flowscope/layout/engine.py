"""Lay out one group: run the phases on each connected component, then pack them (``pack``).

Phases: break cycles (acyclic), assign ranks (rank), split long edges (normalize), order ranks
(order), place nodes (position), draw edges (route). The layout is computed top-to-bottom and
mirrored for bottom-to-top. Components and a grid of the loose nodes are then packed to approach
the wanted aspect ratio. Results are cached in a small LRU keyed by the graph and the
options: a ``LayoutGraph`` hashes and compares by its structure (ids, sizes, edges, weights), so
laying out an unchanged group again, even one rebuilt from scratch, costs a hash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from flowscope.layout.acyclic import find_back_edges
from flowscope.layout.normalize import split_long_edges
from flowscope.layout.order import order_ranks
from flowscope.layout.pack import grid_boxes, pack_boxes
from flowscope.layout.position import assign_x, rank_bands
from flowscope.layout.rank import assign_ranks
from flowscope.layout.route import route_edges
from flowscope.layout.types import (
    Direction,
    LayoutGraph,
    LayoutOptions,
    LayoutResult,
    NodeBox,
    Point,
)

CACHE_SIZE = 128  # layouts kept; a 1,000-node group's layout takes about 1 MB

Edge = tuple[int, int, float]
_DEFAULTS = LayoutOptions()


def layout_group(
    graph: LayoutGraph,
    *,
    direction: Direction = _DEFAULTS.direction,
    node_sep: float = _DEFAULTS.node_sep,
    rank_sep: float = _DEFAULTS.rank_sep,
    edge_sep: float = _DEFAULTS.edge_sep,
    aspect: float = _DEFAULTS.aspect,
    cache: bool = True,
) -> LayoutResult:
    """Place the nodes of ``graph`` in ranks and route its edges around them.

    ``direction`` "BT" puts sources at the bottom (TensorBoard), "TB" at the top. ``node_sep`` is
    the horizontal gap between boxes, ``edge_sep`` between edges passing through a rank,
    ``rank_sep`` the vertical gap between ranks and between packed components, ``aspect`` the
    width / height ratio the packed components approach. Raises ValueError on duplicate ids,
    edges to unknown nodes, sizes that are negative or not finite, and weights that are not
    positive and finite.
    """
    options = LayoutOptions(direction, node_sep, rank_sep, edge_sep, aspect)
    return _cached_layout(graph, options) if cache else compute_layout(graph, options)


def clear_layout_cache() -> None:
    """Forget every cached layout."""
    _cached_layout.cache_clear()


def compute_layout(graph: LayoutGraph, options: LayoutOptions) -> LayoutResult:
    """Uncached layout of ``graph``."""
    kept, edges = _index(graph)
    sizes = [(node.width, node.height) for node in graph.nodes]
    centers: list[Point] = [(0.0, 0.0)] * len(sizes)
    routes: list[list[Point]] = [[] for _ in graph.edges]
    reversed_ids: set[str] = set()
    components = _components(len(sizes), edges)
    loose = [nodes[0] for nodes, edge_indices in components if len(nodes) == 1]
    parts = [(nodes, edge_indices) for nodes, edge_indices in components if len(nodes) > 1]
    laid = []
    for nodes, edge_indices in parts:
        local = {node: i for i, node in enumerate(nodes)}
        part = _layout_component(
            [sizes[node] for node in nodes],
            [(local[edges[e][0]], local[edges[e][1]], edges[e][2]) for e in edge_indices],
            options,
        )
        if options.direction == "BT":
            part.flip()
        laid.append(part)
    grid = grid_boxes(
        [sizes[node] for node in loose], (options.node_sep, options.rank_sep), options.aspect
    )
    blocks = [(part.width, part.height) for part in laid]
    if loose:
        blocks.append((grid.width, grid.height))
    packed = pack_boxes(blocks, max(options.rank_sep, options.node_sep), options.aspect)
    for (nodes, edge_indices), part, (left, top) in zip(parts, laid, packed.corners):
        for node, (x, y) in zip(nodes, part.centers):
            centers[node] = (x + left, y + top)
        for e, route in zip(edge_indices, part.routes):
            routes[kept[e]] = [(x + left, y + top) for x, y in route]
        reversed_ids.update(graph.edges[kept[edge_indices[e]]].id for e in part.reversed_edges)
    if loose:
        left, top = packed.corners[-1]
        for node, (x, y) in zip(loose, grid.corners):
            w, h = sizes[node]
            centers[node] = (left + x + w / 2, top + y + h / 2)
    return LayoutResult(
        nodes={
            node.id: NodeBox(x, y, node.width, node.height)
            for node, (x, y) in zip(graph.nodes, centers)
        },
        edges={edge.id: tuple(route) for edge, route in zip(graph.edges, routes)},
        width=packed.width,
        height=packed.height,
        reversed_edges=frozenset(reversed_ids),
        parts=len(blocks),
    )


_cached_layout = lru_cache(maxsize=CACHE_SIZE)(compute_layout)


def _index(graph: LayoutGraph) -> tuple[list[int], list[Edge]]:
    """Validate ``graph``; return the positions of its edges that are not self-loops, and
    those edges as ``(source index, target index, weight)``."""
    position: dict[str, int] = {}
    for i, node in enumerate(graph.nodes):
        if position.setdefault(node.id, i) != i:
            raise ValueError(f"duplicate node id {node.id!r}")
        if not (0 <= node.width < math.inf and 0 <= node.height < math.inf):
            raise ValueError(f"node {node.id!r} needs a finite, non-negative size")
    if len({edge.id for edge in graph.edges}) != len(graph.edges):
        raise ValueError("duplicate edge ids")
    kept: list[int] = []
    edges: list[Edge] = []
    for i, edge in enumerate(graph.edges):
        if edge.source not in position or edge.target not in position:
            raise ValueError(f"edge {edge.id!r} joins an unknown node")
        if not 0 < edge.weight < math.inf:
            raise ValueError(f"edge {edge.id!r} needs a finite, positive weight")
        if edge.source != edge.target:
            kept.append(i)
            edges.append((position[edge.source], position[edge.target], edge.weight))
    return kept, edges


def _components(num_nodes: int, edges: list[Edge]) -> list[tuple[list[int], list[int]]]:
    """Connected components as (nodes, edge indices), ordered by their first node in input order."""
    parent = list(range(num_nodes))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for source, target, _ in edges:
        a, b = find(source), find(target)
        parent[max(a, b)] = min(a, b)
    members: dict[int, tuple[list[int], list[int]]] = {}
    for node in range(num_nodes):
        members.setdefault(find(node), ([], []))[0].append(node)
    for e, (source, _, _) in enumerate(edges):
        members[find(source)][1].append(e)
    return list(members.values())


@dataclass(slots=True)
class _Component:
    centers: list[Point]
    routes: list[list[Point]]  # per input edge, from its source to its target
    reversed_edges: set[int]
    width: float
    height: float

    def flip(self) -> None:
        """Mirrors the component top to bottom (for bottom-to-top layouts)."""
        self.centers = [(x, self.height - y) for x, y in self.centers]
        self.routes = [[(x, self.height - y) for x, y in route] for route in self.routes]


def _layout_component(
    sizes: list[tuple[float, float]], edges: list[Edge], options: LayoutOptions
) -> _Component:
    """Top-to-bottom layout of one connected component, its leftmost box edge and top at 0."""
    back = find_back_edges(len(sizes), [(source, target) for source, target, _ in edges])
    oriented = [
        (target, source, w) if e in back else (source, target, w)
        for e, (source, target, w) in enumerate(edges)
    ]
    merged, merged_of = _merge_parallel(oriented)

    graph = split_long_edges(assign_ranks(len(sizes), merged), merged)
    ranks = order_ranks(graph)
    dummies = [0.0] * (graph.num_nodes - graph.num_real)
    widths = [w for w, _ in sizes] + dummies
    heights = [h for _, h in sizes] + dummies
    x = assign_x(graph, ranks, widths, options.node_sep, options.edge_sep)
    bands = rank_bands(ranks, heights, options.rank_sep)
    merged_routes = route_edges(graph, x, heights, bands)
    return _Component(
        centers=[(x[v], sum(bands[graph.rank[v]]) / 2) for v in range(graph.num_real)],
        routes=[
            merged_routes[m][::-1] if e in back else merged_routes[m]
            for e, m in enumerate(merged_of)
        ],
        reversed_edges=back,
        width=max(x[v] + widths[v] / 2 for v in range(graph.num_nodes)),
        height=bands[-1][1],
    )


def _merge_parallel(edges: list[Edge]) -> tuple[list[Edge], list[int]]:
    """One edge per (source, target) pair, weighing as much as its copies together, and the
    index of each input edge's merged edge."""
    weights: dict[tuple[int, int], float] = {}
    for source, target, weight in edges:
        weights[source, target] = weights.get((source, target), 0.0) + weight
    index = {pair: i for i, pair in enumerate(weights)}
    return [(*pair, weight) for pair, weight in weights.items()], [index[s, t] for s, t, _ in edges]
