"""Phase 7: pack laid-out components into a box of a wanted aspect ratio.

Boxes (components, or a block of loose nodes) are taken tallest first and placed in rows:
a box goes under the last box of the row's current stack when it fits below it within the
row's height, else to the right of the row, else it opens a new row. The rows' width limit is
chosen among a few candidates so that the whole approaches the wanted width / height ratio
without leaving much empty space. Loose nodes (single nodes without edges) are first gathered
into a grid of their own, so that a hundred of them do not each take a place in the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flowscope.layout.types import Point

CANDIDATE_WIDTHS = 24  # row width limits tried between the widest box and one row of all


@dataclass(frozen=True, slots=True)
class Packed:
    """Top-left corners of the packed boxes (in input order) and the bounding size."""

    corners: list[Point]
    width: float
    height: float


def pack_boxes(sizes: list[tuple[float, float]], gap: float, aspect: float) -> Packed:
    """Packs boxes of ``sizes`` with ``gap`` between them, approaching ``aspect`` (width / height)."""
    if not sizes:
        return Packed([], 0.0, 0.0)
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i][1], -sizes[i][0], i))
    widest = max(w for w, _ in sizes)
    one_row = sum(w for w, _ in sizes) + gap * (len(sizes) - 1)
    best: tuple[float, Packed] | None = None
    for limit in _candidates(widest, one_row):
        packed = _pack_rows([sizes[i] for i in order], gap, limit)
        score = _score(packed, sizes, aspect)
        if best is None or score < best[0] - 1e-9:
            best = (score, packed)
    assert best is not None
    corners: list[Point] = [(0.0, 0.0)] * len(sizes)
    for slot, i in enumerate(order):
        corners[i] = best[1].corners[slot]
    return Packed(corners, best[1].width, best[1].height)


def grid_boxes(sizes: list[tuple[float, float]], gaps: Point, aspect: float) -> Packed:
    """Places boxes in input order in a grid of equal cells whose shape approaches ``aspect``,
    ``gaps`` apart (between columns, between rows)."""
    if not sizes:
        return Packed([], 0.0, 0.0)
    cell_w = max(w for w, _ in sizes) + gaps[0]
    cell_h = max(h for _, h in sizes) + gaps[1]
    count = len(sizes)
    columns = max(1, min(count, round(math.sqrt(count * aspect * cell_h / max(cell_w, 1.0)))))
    rows = math.ceil(count / columns)
    corners = [
        ((i % columns) * cell_w + (cell_w - gaps[0] - w) / 2, (i // columns) * cell_h)
        for i, (w, _) in enumerate(sizes)
    ]
    return Packed(corners, columns * cell_w - gaps[0], rows * cell_h - gaps[1])


def _candidates(widest: float, one_row: float) -> list[float]:
    widest = max(widest, 1.0)
    if one_row <= widest:
        return [widest]
    ratio = one_row / widest
    steps = CANDIDATE_WIDTHS - 1
    return [widest * ratio ** (k / steps) for k in range(CANDIDATE_WIDTHS)]


def _score(packed: Packed, sizes: list[tuple[float, float]], aspect: float) -> float:
    """Lower is better: how far the shape is from ``aspect``, times how much space is empty."""
    if packed.width <= 0 or packed.height <= 0:
        return 0.0
    shape = packed.width / packed.height / aspect
    filled = sum(w * h for w, h in sizes) / (packed.width * packed.height)
    return max(shape, 1 / shape) / max(filled, 1e-9) ** 0.5


def _pack_rows(sizes: list[tuple[float, float]], gap: float, limit: float) -> Packed:
    """Rows of stacks, as the module says, for boxes sorted tallest first."""
    corners: list[Point] = []
    row_top = row_height = row_right = 0.0
    stack_left = stack_width = stack_bottom = 0.0
    width = 0.0
    for w, h in sizes:
        if corners and w <= stack_width and stack_bottom + gap + h <= row_top + row_height:
            corners.append((stack_left, stack_bottom + gap))
            stack_bottom += gap + h
            continue
        if corners and row_right + gap + w <= limit:
            stack_left = row_right + gap
        else:
            if corners:
                row_top += row_height + gap
            row_height, stack_left = h, 0.0
        corners.append((stack_left, row_top))
        stack_width, stack_bottom = w, row_top + h
        row_right = stack_left + w
        width = max(width, row_right)
    return Packed(corners, width, row_top + row_height)
