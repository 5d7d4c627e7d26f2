"""``layout_group`` end to end: geometry invariants, determinism, direction, cache, speed."""

import time
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowscope.layout import (
    LayoutEdge,
    LayoutGraph,
    LayoutNode,
    LayoutOptions,
    LayoutResult,
    NodeBox,
    clear_layout_cache,
    layout_group,
    segment_intersects_box,
)
from tests.support.layout_graphs import chain, network_like_dag, random_graph

TOLERANCE = 1e-6


def check_layout(graph: LayoutGraph, result: LayoutResult, options: LayoutOptions) -> None:
    """Assert every invariant a caller relies on."""
    assert list(result.nodes) == [node.id for node in graph.nodes]
    assert list(result.edges) == [edge.id for edge in graph.edges]
    boxes = [result.nodes[node.id] for node in graph.nodes]
    assert [(b.width, b.height) for b in boxes] == [(n.width, n.height) for n in graph.nodes]
    assert_no_overlap(boxes, options)
    lefts, rights, tops, bottoms = box_sides(boxes)
    points = np.array([p for route in result.edges.values() for p in route]).reshape(-1, 2)
    assert min(lefts.min(initial=0), tops.min(initial=0), points.min(initial=0)) >= -TOLERANCE
    assert max(rights.max(initial=0), points[:, 0].max(initial=0)) <= result.width + TOLERANCE
    assert max(bottoms.max(initial=0), points[:, 1].max(initial=0)) <= result.height + TOLERANCE

    ids = [node.id for node in graph.nodes]
    for edge in graph.edges:
        route = result.edges[edge.id]
        if edge.source == edge.target:
            assert route == ()
            continue
        assert len(route) >= 2
        assert on_border(route[0], result.nodes[edge.source])
        assert on_border(route[-1], result.nodes[edge.target])
        for (x0, y0), (x1, y1) in pairwise(route):
            x_low, x_high, y_low, y_high = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            near = (lefts < x_high) & (rights > x_low) & (tops < y_high) & (bottoms > y_low)
            for index in np.flatnonzero(near):
                if ids[index] not in (edge.source, edge.target):
                    crossed = segment_intersects_box((x0, y0), (x1, y1), boxes[index])
                    assert not crossed, (edge, ids[index])


def box_sides(boxes: list[NodeBox]) -> tuple[np.ndarray, ...]:
    x, y, w, h = (np.array([getattr(b, f) for b in boxes]) for f in ("x", "y", "width", "height"))
    return x - w / 2, x + w / 2, y - h / 2, y + h / 2


def assert_no_overlap(boxes: list[NodeBox], options: LayoutOptions) -> None:
    """Boxes are ``node_sep`` apart horizontally or ``rank_sep`` apart vertically."""
    lefts, rights, tops, bottoms = box_sides(boxes)
    horizontal_gap = np.maximum(lefts[:, None] - rights[None, :], lefts[None, :] - rights[:, None])
    vertical_gap = np.maximum(tops[:, None] - bottoms[None, :], tops[None, :] - bottoms[:, None])
    apart = (horizontal_gap >= options.node_sep - TOLERANCE) | (
        vertical_gap >= options.rank_sep - TOLERANCE
    )
    np.fill_diagonal(apart, True)
    assert apart.all(), np.argwhere(~apart)[:5]


def on_border(point: tuple[float, float], box: NodeBox) -> bool:
    dx, dy = abs(point[0] - box.x) - box.width / 2, abs(point[1] - box.y) - box.height / 2
    return max(dx, dy) == pytest.approx(0.0, abs=TOLERANCE)


def layout(graph: LayoutGraph, **options) -> LayoutResult:
    result = layout_group(graph, cache=False, **options)
    check_layout(graph, result, LayoutOptions(**options))
    return result


@st.composite
def graphs(draw) -> LayoutGraph:
    """Small graphs with cycles, self-loops, parallel edges, isolated nodes and wild sizes."""
    count = draw(st.integers(1, 18))
    size = st.tuples(st.sampled_from((0, 1, 7, 30, 120, 500)), st.sampled_from((0, 1, 10, 30, 200)))
    nodes = [LayoutNode(f"n{i}", *draw(size)) for i in range(count)]
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=3 * count
        )
    )
    weight = st.sampled_from((0.5, 1.0, 4.0))
    edges = [LayoutEdge(f"e{k}", f"n{a}", f"n{b}", draw(weight)) for k, (a, b) in enumerate(pairs)]
    return LayoutGraph(nodes, edges)


options_strategy = st.fixed_dictionaries(
    {
        "direction": st.sampled_from(("TB", "BT")),
        "node_sep": st.sampled_from((0.0, 5.0, 20.0)),
        "rank_sep": st.sampled_from((1.0, 25.0)),
        "edge_sep": st.sampled_from((0.0, 5.0)),
    }
)


@settings(max_examples=150, deadline=None)
@given(graphs(), options_strategy)
def test_random_graphs_keep_every_invariant(graph, options):
    layout(graph, **options)


@pytest.mark.parametrize("seed", range(3))
def test_random_dags(seed):
    layout(random_graph(150, 300, seed, sizes=(5, 40, 250)))


@pytest.mark.parametrize("seed", range(3))
def test_random_graphs_with_cycles(seed):
    result = layout(random_graph(120, 300, seed, acyclic=False), direction="TB")
    assert result.reversed_edges


@pytest.mark.parametrize("seed", range(2))
def test_network_like_graphs(seed):
    layout(network_like_dag(300, seed))


def test_disconnected_graph_packs_components_side_by_side():
    nodes = [LayoutNode(f"n{i}", 30 + 10 * i, 20) for i in range(8)]
    edges = [LayoutEdge("a", "n1", "n2"), LayoutEdge("b", "n2", "n3"), LayoutEdge("c", "n5", "n6")]
    result = layout(LayoutGraph(nodes, edges))
    # components in input order: {0}, {1,2,3}, {4}, {5,6}, {7}
    spans = [
        (
            min(result.nodes[i].x - result.nodes[i].width / 2 for i in ids),
            max(result.nodes[i].x + result.nodes[i].width / 2 for i in ids),
        )
        for ids in (["n0"], ["n1", "n2", "n3"], ["n4"], ["n5", "n6"], ["n7"])
    ]
    assert all(
        right + 5.0 <= next_left + TOLERANCE for (_, right), (next_left, _) in pairwise(spans)
    )


def test_nodes_of_very_different_sizes():
    sizes = [(1, 1), (800, 40), (10, 300), (0, 0), (200, 200), (5, 5), (600, 10)]
    nodes = [LayoutNode(f"n{i}", w, h) for i, (w, h) in enumerate(sizes)]
    edges = [
        LayoutEdge(f"e{i}", f"n{a}", f"n{b}")
        for i, (a, b) in enumerate(
            [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (0, 4), (5, 6), (0, 6), (2, 6)]
        )
    ]
    layout(LayoutGraph(nodes, edges))
    layout(LayoutGraph(nodes, edges), direction="TB", node_sep=0.0, edge_sep=0.0)


@pytest.mark.parametrize("direction", ["TB", "BT"])
def test_direction_puts_sources_at_the_start(direction):
    graph = network_like_dag(120, 4)
    result = layout(graph, direction=direction)
    sign = 1 if direction == "TB" else -1
    for edge in graph.edges:
        assert sign * (result.nodes[edge.target].y - result.nodes[edge.source].y) > 0
    first, last = result.edges[graph.edges[0].id][0], result.edges[graph.edges[0].id][-1]
    assert sign * (last[1] - first[1]) > 0


def test_bottom_to_top_is_the_default_and_mirrors_top_to_bottom():
    graph = network_like_dag(60, 2)
    down, up = layout(graph, direction="TB"), layout_group(graph, cache=False)
    assert up.width == down.width and up.height == down.height
    for node in graph.nodes:
        assert up.nodes[node.id].x == down.nodes[node.id].x
        assert up.nodes[node.id].y == pytest.approx(down.height - down.nodes[node.id].y)


def test_same_input_gives_identical_output():
    graph = random_graph(200, 400, 5, acyclic=False)
    rebuilt = LayoutGraph(list(graph.nodes), list(graph.edges))
    assert layout_group(graph, cache=False) == layout_group(rebuilt, cache=False)


def test_parallel_edges_share_a_route_and_self_loops_have_none():
    nodes = [LayoutNode(n, 40, 20) for n in "abc"]
    edges = [
        LayoutEdge("ab1", "a", "b"),
        LayoutEdge("ab2", "a", "b", weight=2.0),
        LayoutEdge("ba", "b", "a"),
        LayoutEdge("bc", "b", "c"),
        LayoutEdge("loop", "c", "c"),
    ]
    result = layout(LayoutGraph(nodes, edges))
    assert result.edges["ab1"] == result.edges["ab2"]
    assert result.edges["ba"] == result.edges["ab1"][::-1]
    assert result.reversed_edges == {"ba"}
    assert result.edges["loop"] == ()


def test_empty_and_single_node_groups():
    empty = layout(LayoutGraph((), ()))
    assert (empty.width, empty.height) == (0.0, 0.0)
    single = layout(LayoutGraph([LayoutNode("x", 30, 20)]))
    assert single.nodes["x"] == NodeBox(15.0, 10.0, 30, 20)
    assert (single.width, single.height) == (30, 20)


def test_a_long_chain_needs_no_recursion():
    result = layout_group(chain(5000), direction="TB", cache=False)
    assert [result.nodes[f"n{i}"].y for i in (0, 1, 4999)] == [5.0, 40.0, 4999 * 35 + 5.0]


@pytest.mark.parametrize(
    "graph",
    [
        LayoutGraph([LayoutNode("a", 1, 1), LayoutNode("a", 1, 1)]),
        LayoutGraph([LayoutNode("a", 1, 1)], [LayoutEdge("e", "a", "b")]),
        LayoutGraph(
            [LayoutNode("a", 1, 1), LayoutNode("b", 1, 1)],
            [LayoutEdge("e", "a", "b"), LayoutEdge("e", "b", "a")],
        ),
        LayoutGraph(
            [LayoutNode("a", 1, 1), LayoutNode("b", 1, 1)], [LayoutEdge("e", "a", "b", weight=0.0)]
        ),
        LayoutGraph([LayoutNode("a", -1, 1)]),
        LayoutGraph([LayoutNode("a", float("nan"), 1)]),
        LayoutGraph([LayoutNode("a", 1, float("inf"))]),
    ],
)
def test_invalid_graphs_are_rejected(graph):
    with pytest.raises(ValueError):
        layout_group(graph, cache=False)


@pytest.mark.parametrize(
    "options",
    [{"direction": "LR"}, {"rank_sep": 0.0}, {"node_sep": -1.0}, {"edge_sep": float("nan")}],
)
def test_invalid_options_are_rejected(options):
    with pytest.raises(ValueError):
        layout_group(LayoutGraph([LayoutNode("a", 1, 1)]), **options)


def test_unchanged_groups_come_from_the_cache():
    clear_layout_cache()
    graph = network_like_dag(80, 1)
    first = layout_group(graph)
    assert layout_group(LayoutGraph(list(graph.nodes), list(graph.edges))) is first
    retagged = LayoutGraph(
        [LayoutNode(n.id, n.width, n.height, kind="meta") for n in graph.nodes], graph.edges
    )
    assert layout_group(retagged) is first  # the kind tag does not change the layout
    assert layout_group(graph, direction="TB") is not first
    assert layout_group(graph, cache=False) == first
    clear_layout_cache()
    assert layout_group(graph) is not first


def test_a_thousand_nodes_lay_out_quickly():
    graph = network_like_dag(1000)
    start = time.process_time()
    layout_group(graph, cache=False)
    assert time.process_time() - start < 3.0
