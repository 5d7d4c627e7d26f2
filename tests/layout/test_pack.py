"""Packing components and loose nodes towards an aspect ratio (``flowscope.layout.pack``)."""

import pytest

from flowscope.layout import LayoutEdge, LayoutGraph, LayoutNode, LayoutOptions, layout_group
from flowscope.layout.pack import grid_boxes, pack_boxes
from tests.layout.test_layout import check_layout


def chains(count: int, length: int, loose: int = 0) -> LayoutGraph:
    """``count`` chains of ``length`` nodes, and ``loose`` nodes without edges."""
    nodes = [LayoutNode(f"c{c}n{i}", 80, 20) for c in range(count) for i in range(length)]
    nodes += [LayoutNode(f"loose{i}", 60, 20) for i in range(loose)]
    edges = [
        LayoutEdge(f"c{c}e{i}", f"c{c}n{i}", f"c{c}n{i + 1}")
        for c in range(count)
        for i in range(length - 1)
    ]
    return LayoutGraph(tuple(nodes), tuple(edges))


@pytest.mark.parametrize("aspect", [0.5, 1.0, 16 / 10, 3.0])
def test_components_approach_the_aspect(aspect: float) -> None:
    graph = chains(12, 4, loose=30)
    result = layout_group(graph, aspect=aspect, cache=False)
    check_layout(graph, result, LayoutOptions(aspect=aspect))
    ratio = result.width / result.height / aspect
    assert 1 / 1.5 <= ratio <= 1.5, (result.width, result.height)


def test_one_component_is_not_reshaped() -> None:
    graph = chains(1, 6)
    result = layout_group(graph, cache=False)
    assert result.height > 5 * result.width / 2  # a tall chain stays a chain


def test_loose_nodes_form_a_grid() -> None:
    graph = chains(0, 0, loose=40)
    result = layout_group(graph, aspect=1.0, cache=False)
    rows = {round(box.y) for box in result.nodes.values()}
    columns = {round(box.x) for box in result.nodes.values()}
    assert 3 <= len(rows) <= 10 and 3 <= len(columns) <= 10


def test_pack_boxes_keeps_boxes_apart_and_fills_space() -> None:
    sizes = [(300.0, 400.0), (50.0, 100.0), (50.0, 100.0), (50.0, 100.0), (200.0, 40.0)]
    packed = pack_boxes(sizes, 10.0, 1.0)
    boxes = [(x, y, x + w, y + h) for (x, y), (w, h) in zip(packed.corners, sizes)]
    for i, a in enumerate(boxes):
        assert a[2] <= packed.width + 1e-9 and a[3] <= packed.height + 1e-9
        for b in boxes[i + 1 :]:
            assert a[2] + 10 <= b[0] or b[2] + 10 <= a[0] or a[3] + 10 <= b[1] or b[3] + 10 <= a[1]
    area = sum(w * h for w, h in sizes)
    assert area / (packed.width * packed.height) > 0.6


def test_grid_boxes_is_empty_for_no_boxes() -> None:
    assert grid_boxes([], (5.0, 25.0), 1.0).corners == []
    assert pack_boxes([], 5.0, 1.0).width == 0.0
