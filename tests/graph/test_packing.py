"""Disconnected parts of a group are packed towards the screen's shape, not laid in a row:
on the committed real graphs and on the demo's profiled TF1 graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowscope.cli.demo import write_profile_run
from flowscope.graph import Graph, load
from flowscope.graph.render import node_stats
from flowscope.graph.view import GroupLayout
from tests.support.graph_checks import overlapping_boxes
from tests.support.graphdefs import GRAPHS, REAL_GRAPHS

SCREEN = 16 / 10


def main_components(layout: GroupLayout) -> int:
    """How many connected parts the main graph of a laid-out group has."""
    main = {p.node.name for p in layout.children if p.column == "main"}
    parent = {name: name for name in main}

    def find(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for edge in layout.edges:
        if edge.route and edge.source in main and edge.target in main:
            parent[find(edge.source)] = find(edge.target)
    return len({find(name) for name in main})


def check_packed(graph: Graph) -> None:
    root = graph.layout_of(graph.model.tree.root())
    scene = graph.scene()
    assert not overlapping_boxes(scene)
    if main_components(root) >= 3:
        shape = scene.width / scene.height / graph.aspect
        assert 1 / 3 <= shape <= 3, (scene.width, scene.height)


@pytest.fixture(scope="module")
def demo_profile(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    logdir = tmp_path_factory.mktemp("demo")
    write_profile_run(str(logdir))
    return load(str(Path(logdir) / "tf1_profile"))


def test_demo_profile_with_gradient_descent_expanded_fits_a_screen(demo_profile: Graph) -> None:
    demo_profile.expanded = set()
    check_packed(demo_profile)
    demo_profile.expand("GradientDescent")
    root = demo_profile.layout_of(demo_profile.model.tree.root())
    assert main_components(root) >= 3
    check_packed(demo_profile)


@pytest.mark.parametrize("aspect", [0.7, 1.0, 2.5])
def test_packing_follows_the_screen(demo_profile: Graph, aspect: float) -> None:
    demo_profile.expanded = set()
    demo_profile.aspect = aspect
    try:
        check_packed(demo_profile)
    finally:
        demo_profile.aspect = SCREEN


@pytest.mark.parametrize("source", [*REAL_GRAPHS, "tf1_train.pbtxt"])
def test_real_graphs_fit_a_screen_at_first_view_and_expanded(source: str) -> None:
    graph = load(str(GRAPHS / source))
    check_packed(graph)
    root = graph.model.tree.root()
    biggest = max(graph.children(root), key=lambda c: node_stats(graph, c)["op_count"])
    if biggest.expandable:
        graph.expand(biggest.name)
        check_packed(graph)
