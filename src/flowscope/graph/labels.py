"""Edge labels placed where they overlap no box, no edge and no other label.

A label ("?×784", "3 tensors") is tried at points along its edge's route, middle first: to the
right and to the left of the point, then off its four corners (which clears a slanted stretch
on two of them); the first free place wins. A label with no free
place is dropped (the app shows it in the edge's tooltip). Obstacles: collapsed nodes with
their annotations, the title bars of expanded nodes, the drawn edges (at their stroke width)
and the labels placed before. A uniform grid keeps the checks local.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import pairwise

from flowscope.graph.view import (
    ANNOTATION_HEIGHT,
    HEADER,
    Scene,
    SceneEdge,
    SceneNode,
    annotation_width,
)
from flowscope.layout.route import segment_intersects_box
from flowscope.layout.types import NodeBox, Point

LABEL_CHAR_WIDTH = 5.0  # a little wider than an 8 px sans-serif character, for safety
LABEL_HEIGHT = 9.0
LABEL_GAP = 4.0  # between the route and a label beside it
CORNER_GAP = 2.0  # between the route and a label off one of its points' corners
ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)  # places along a route, in order
CELL = 64.0

Box = tuple[float, float, float, float]  # left, top, right, bottom


def label_size(text: str) -> tuple[float, float]:
    return len(text) * LABEL_CHAR_WIDTH, LABEL_HEIGHT


def node_box(node: SceneNode) -> Box:
    """What a label must not cover of a node: a collapsed node with its annotations, the title
    bar of an expanded one."""
    p = node.placed
    if node.expanded:
        return (node.x, node.y, node.x + p.width, node.y + min(HEADER, p.height))
    rows = max(len(p.in_annotations), len(p.out_annotations))
    extra = (rows * ANNOTATION_HEIGHT - p.height) / 2 if rows * ANNOTATION_HEIGHT > p.height else 0
    left = annotation_width(p.in_annotations) + (2 if p.in_annotations else 0)
    right = annotation_width(p.out_annotations) + (2 if p.out_annotations else 0)
    return (node.x - left, node.y - extra, node.x + p.width + right, node.y + p.height + extra)


class _Grid:
    """Boxes and segments bucketed by the grid cells they touch."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.items: list[tuple[Box, tuple[Point, Point, float] | None]] = []

    def add_box(self, box: Box) -> None:
        self._add(box, None)

    def add_segment(self, a: Point, b: Point, width: float) -> None:
        half = width / 2
        box = (
            min(a[0], b[0]) - half,
            min(a[1], b[1]) - half,
            max(a[0], b[0]) + half,
            max(a[1], b[1]) + half,
        )
        self._add(box, (a, b, half))

    def _add(self, box: Box, segment: tuple[Point, Point, float] | None) -> None:
        index = len(self.items)
        self.items.append((box, segment))
        for cell in _cells(box):
            self.cells[cell].append(index)

    def free(self, box: Box) -> bool:
        seen: set[int] = set()
        for cell in _cells(box):
            for index in self.cells.get(cell, ()):
                if index in seen:
                    continue
                seen.add(index)
                other, segment = self.items[index]
                if not _overlap(box, other):
                    continue
                if segment is None:
                    return False
                a, b, half = segment
                grown = NodeBox(
                    (box[0] + box[2]) / 2,
                    (box[1] + box[3]) / 2,
                    box[2] - box[0] + 2 * half,
                    box[3] - box[1] + 2 * half,
                )
                if segment_intersects_box(a, b, grown):
                    return False
        return True


def _cells(box: Box) -> Iterator[tuple[int, int]]:
    for cx in range(math.floor(box[0] / CELL), math.floor(box[2] / CELL) + 1):
        for cy in range(math.floor(box[1] / CELL), math.floor(box[3] / CELL) + 1):
            yield cx, cy


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def point_along(route: Sequence[Point], t: float) -> Point:
    """The point a fraction ``t`` of the way along a polyline."""
    lengths = [math.dist(a, b) for a, b in pairwise(route)]
    goal = t * sum(lengths)
    for (a, b), length in zip(pairwise(route), lengths):
        if goal <= length and length > 0:
            f = goal / length
            return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
        goal -= length
    return route[-1]


def place_labels(scene: Scene, widths: list[float]) -> list[Box | None]:
    """The box of every edge's label (left, top, right, bottom), or None where the edge has
    no label to show or no room for it. ``widths`` are the edges' stroke widths."""
    grid = _Grid()
    for node in scene.nodes:
        grid.add_box(node_box(node))
    for item, width in zip(scene.edges, widths):
        if _drawn(item):
            for a, b in pairwise(item.route):
                grid.add_segment(a, b, width + 1)
    placed: list[Box | None] = []
    for item, width in zip(scene.edges, widths):
        label = item.edge.metaedge.label
        box = None
        if label and _drawn(item) and not item.edge.bridge:
            box = _first_free(grid, item.route, label_size(label), LABEL_GAP + width / 2)
            if box is not None:
                grid.add_box(box)
        placed.append(box)
    return placed


def _drawn(item: SceneEdge) -> bool:
    return not item.edge.hidden and len(item.route) >= 2


def _first_free(
    grid: _Grid, route: tuple[Point, ...], size: tuple[float, float], gap: float
) -> Box | None:
    w, h, c = *size, CORNER_GAP
    for t in ALONG:
        x, y = point_along(route, t)
        for box in (
            (x + gap, y - h / 2, x + gap + w, y + h / 2),
            (x - gap - w, y - h / 2, x - gap, y + h / 2),
            (x + c, y - c - h, x + c + w, y - c),
            (x - c - w, y + c, x - c, y + c + h),
            (x - c - w, y - c - h, x - c, y - c),
            (x + c, y + c, x + c + w, y + c + h),
        ):
            if grid.free(box):
                return box
    return None
