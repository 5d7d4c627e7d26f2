"""Each layout phase on its own."""

import random
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowscope.layout import NodeBox, segment_intersects_box
from flowscope.layout.acyclic import find_back_edges
from flowscope.layout.normalize import split_long_edges
from flowscope.layout.order import count_crossings, count_inversions, depth_first_order, order_ranks
from flowscope.layout.position import assign_x
from flowscope.layout.rank import assign_ranks, topological_order


def random_edges(num_nodes: int, num_edges: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    pairs = [(rng.randrange(num_nodes), rng.randrange(num_nodes)) for _ in range(num_edges)]
    return [(a, b) for a, b in pairs if a != b]


def layered(num_nodes: int, edges: list[tuple[int, int]]):
    weighted = [(a, b, 1.0) for a, b in edges]
    return split_long_edges(assign_ranks(num_nodes, weighted), weighted)


# acyclic


@pytest.mark.parametrize("seed", range(5))
def test_reversing_back_edges_leaves_a_dag(seed):
    edges = random_edges(60, 150, seed)
    back = find_back_edges(60, edges)
    assert back
    oriented = [(b, a, 1.0) if i in back else (a, b, 1.0) for i, (a, b) in enumerate(edges)]
    topological_order(60, oriented)  # raises on a cycle


def test_a_dag_has_no_back_edges():
    edges = [(a, b) for a, b in random_edges(80, 200, 1) if a < b]
    assert find_back_edges(80, edges) == set()


def test_a_long_cycle_needs_no_recursion():
    length = 20_000
    edges = [(i, (i + 1) % length) for i in range(length)]
    assert find_back_edges(length, edges) == {length - 1}


# rank


@pytest.mark.parametrize("seed", range(5))
def test_every_edge_points_to_a_higher_rank(seed):
    edges = [(a, b, 1.0) for a, b in random_edges(80, 200, seed) if a < b]
    rank = assign_ranks(80, edges)
    assert min(rank) == 0
    assert all(rank[b] >= rank[a] + 1 for a, b, _ in edges)


def test_a_source_sits_just_above_its_consumer():
    # chain 0 -> 1 -> 2 -> 3; parameter 4 feeds 3 only
    rank = assign_ranks(5, [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (4, 3, 1.0)])
    assert rank[4] == rank[3] - 1 == 2


def test_heavier_edges_are_shorter():
    # 0 -> 1 -> 2 -> 3 -> 4 and 0 -> 5 -> 4: node 5 goes next to its heavier neighbour
    chain = [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0)]
    assert assign_ranks(6, [*chain, (0, 5, 3.0), (5, 4, 1.0)])[5] == 1
    assert assign_ranks(6, [*chain, (0, 5, 1.0), (5, 4, 3.0)])[5] == 3


def test_topological_order_rejects_a_cycle():
    with pytest.raises(ValueError):
        topological_order(2, [(0, 1, 1.0), (1, 0, 1.0)])


# normalize


def test_segments_join_adjacent_ranks():
    graph = layered(60, [(a, b) for a, b in random_edges(60, 150, 3) if a < b])
    assert all(graph.rank[b] == graph.rank[a] + 1 for a, b, _ in graph.segments)
    assert all(len(graph.above[v]) == 1 for v in range(graph.num_real, graph.num_nodes))


def test_long_edges_from_one_node_share_a_trunk():
    # 0 -> 1 -> 2 -> 3 -> 4 -> 5, and 0 also feeds 3, 4 and 5
    chain = [(i, i + 1) for i in range(5)]
    graph = layered(6, [*chain, (0, 3), (0, 4), (0, 5)])
    assert graph.num_nodes - graph.num_real == 4  # ranks 1..4, not 2 + 3 + 4 dummies
    carried = {(a, b): w for a, b, w in graph.segments}
    assert carried[0, graph.trunks[0][0]] == 3.0  # the trunk's first segment carries 3 edges


# order


@given(st.lists(st.integers(0, 6), max_size=60))
def test_count_inversions_matches_brute_force(values):
    expected = sum(
        1 for i in range(len(values)) for j in range(i + 1, len(values)) if values[i] > values[j]
    )
    assert count_inversions(np.array(values, dtype=np.int64)) == expected


def brute_force_crossings(graph, ranks) -> int:
    slot = {node: i for nodes in ranks for i, node in enumerate(nodes)}
    segments = [(a, b) for a, b, _ in graph.segments]
    return sum(
        1
        for i, (a, b) in enumerate(segments)
        for c, d in segments[i + 1 :]
        if graph.rank[a] == graph.rank[c] and (slot[a] - slot[c]) * (slot[b] - slot[d]) < 0
    )


@pytest.mark.parametrize("seed", range(4))
def test_count_crossings_matches_brute_force(seed):
    graph = layered(40, [(a, b) for a, b in random_edges(40, 90, seed) if a < b])
    ranks = depth_first_order(graph)
    random.Random(seed).shuffle(ranks[1])
    assert count_crossings(graph, ranks) == brute_force_crossings(graph, ranks)


def test_ordering_removes_crossings_of_a_twisted_graph():
    # two ranks of five, wired in reverse: input order has every pair crossing
    edges = [(i, 9 - i) for i in range(5)] + [(i, 9 - ((i + 1) % 5)) for i in range(5)]
    graph = layered(10, edges)
    input_order = [list(range(5)), list(range(5, 10))]
    assert count_crossings(graph, input_order) > 0
    assert count_crossings(graph, order_ranks(graph)) < count_crossings(graph, input_order)


@pytest.mark.parametrize("seed", range(3))
def test_sweeps_never_end_worse_than_they_start(seed):
    graph = layered(150, [(a, b) for a, b in random_edges(150, 260, seed) if a < b])
    start = count_crossings(graph, order_ranks(graph, sweeps=0))
    assert count_crossings(graph, order_ranks(graph)) < start


def test_ordering_is_a_permutation_of_each_rank():
    graph = layered(80, [(a, b) for a, b in random_edges(80, 160, 9) if a < b])
    ranks = order_ranks(graph)
    assert sorted(v for nodes in ranks for v in nodes) == list(range(graph.num_nodes))
    assert all(graph.rank[v] == r for r, nodes in enumerate(ranks) for v in nodes)


# position


@pytest.mark.parametrize("seed", range(4))
def test_nodes_of_a_rank_keep_order_and_separation(seed):
    graph = layered(100, [(a, b) for a, b in random_edges(100, 200, seed) if a < b])
    ranks = order_ranks(graph)
    rng = random.Random(seed)
    dummies = graph.num_nodes - graph.num_real
    widths = [rng.choice((1.0, 20.0, 300.0)) for _ in range(graph.num_real)] + [0.0] * dummies
    x = assign_x(graph, ranks, widths, node_sep=7.0, edge_sep=3.0)
    for nodes in ranks:
        for a, b in pairwise(nodes):
            gap = sum(3.0 if graph.is_dummy(v) else 7.0 for v in (a, b)) / 2
            assert x[b] - x[a] >= (widths[a] + widths[b]) / 2 + gap - 1e-6
    assert min(x[v] - widths[v] / 2 for v in range(graph.num_nodes)) == pytest.approx(0.0)


def test_a_long_edge_runs_straight():
    # 0 -> 1 -> 2 -> 3 and the long edge 0 -> 3 with its two dummies
    graph = layered(4, [(0, 1), (1, 2), (2, 3), (0, 3)])
    x = assign_x(graph, order_ranks(graph), [20.0] * 4 + [0.0] * 2, 5.0, 5.0)
    assert x[4] == x[5]


def test_a_parent_is_centered_over_its_children():
    graph = layered(3, [(0, 1), (0, 2)])
    x = assign_x(graph, order_ranks(graph), [40.0, 30.0, 30.0], 5.0, 5.0)
    assert x[0] == pytest.approx((x[1] + x[2]) / 2)


# route geometry


@pytest.mark.parametrize(
    ("start", "end", "crosses"),
    [
        ((-10, 0), (10, 0), True),  # straight through
        ((-10, -10), (10, 10), True),  # diagonal through the center
        ((-10, 5), (10, 5), False),  # along the top border
        ((5, -10), (5, 10), False),  # along the right border
        ((-10, -20), (10, 20), True),  # steep diagonal
        ((6, -10), (6, 10), False),  # beside the box
        ((-10, 10), (10, -10), True),  # other diagonal
        ((-1, 0), (1, 0), True),  # wholly inside
        ((-20, 0), (-6, 0), False),  # stops short
        ((4, 6), (6, 4), False),  # cuts a corner outside the box
        ((0, 0), (0, 0), True),  # a point inside
    ],
)
def test_segment_intersects_box(start, end, crosses):
    assert segment_intersects_box(start, end, NodeBox(0, 0, 10, 10)) is crosses


def test_a_zero_size_box_is_never_crossed():
    assert not segment_intersects_box((-1, 0), (1, 0), NodeBox(0, 0, 0, 0))
