"""Edge labels overlap no box and no other label, and boxes do not overlap: on the committed
real graphs and the demo, at the first view, one expand and two levels expanded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowscope.cli.demo import write_profile_run
from flowscope.graph import Graph, load
from flowscope.graph.formats.graphdef import from_graph_def
from flowscope.graph.render import node_stats, to_json, to_svg
from tests.support.graph_checks import overlapping_boxes
from tests.support.graphdefs import GRAPHS, REAL_GRAPHS, graph_def


def overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 1e-6 and b[0] < a[2] - 1e-6 and a[1] < b[3] - 1e-6 and b[1] < a[3] - 1e-6


def label_collisions(body: dict) -> list[tuple[str, str]]:
    """(label, what it covers) for labels over a collapsed node, a title bar or a label."""
    covered = []
    for node in body["nodes"]:
        x, y, w, h = node["x"], node["y"], node["width"], node["height"]
        covered.append((node["name"], [x, y, x + w, y + (min(24, h) if node["expanded"] else h)]))
    bad = []
    for edge in body["edges"]:
        box = edge["label_box"]
        if box is None:
            continue
        name = f"{edge['source']}->{edge['target']}"
        bad += [(name, other) for other, area in covered if overlaps(box, area)]
        covered.append((f"label of {name}", box))
    return bad


def check(graph: Graph) -> dict:
    assert not overlapping_boxes(graph.scene())
    body = to_json(graph)
    assert not label_collisions(body)
    return body


def states(graph: Graph):
    """The first view, the biggest top-level group expanded, and two levels expanded."""
    graph.expanded = set()
    yield
    root = graph.model.tree.root()
    biggest = max(graph.children(root), key=lambda c: node_stats(graph, c)["op_count"])
    if biggest.expandable:
        graph.expand(biggest.name)
        yield
    graph.expanded = set()
    graph.expand_all(1)
    yield


@pytest.mark.parametrize("source", REAL_GRAPHS)
def test_real_graphs_have_no_overlapping_boxes_or_labels(source: str) -> None:
    graph = load(str(GRAPHS / source))
    shown = 0
    for _ in states(graph):
        body = check(graph)
        shown += sum(e["label_box"] is not None for e in body["edges"])
    if source in ("tf1_train", "torch_bert"):
        assert shown > 5  # labels are placed, not all dropped


def test_demo_profile_labels(tmp_path: Path) -> None:
    write_profile_run(str(tmp_path))
    graph = load(str(tmp_path / "tf1_profile"))
    graph.expand("GradientDescent")
    body = check(graph)
    labelled = [e for e in body["edges"] if e["label"] and not e["bridge"] and not e["hidden"]]
    assert sum(e["label_box"] is not None for e in labelled) >= len(labelled) - 1


def test_crowded_labels_are_dropped_not_stacked() -> None:
    """Many labelled edges into one node: each label placed is free, the rest dropped."""
    nodes = [("sink", "AddN", [f"in{i}" for i in range(12)])]
    nodes += [(f"in{i}", "Placeholder", []) for i in range(12)]
    shapes = {f"in{i}": [[1, 784]] for i in range(12)}
    graph = load(from_graph_def(graph_def(*nodes, shapes=shapes)))
    body = check(graph)
    assert any(e["label_box"] for e in body["edges"])


def test_svg_draws_curves_and_the_placed_labels() -> None:
    graph = load(str(GRAPHS / "tf1_train"))
    svg = to_svg(graph)
    assert "<polyline" not in svg and re.search(r'<path d="M[^"]*C', svg)
    body = to_json(graph)
    for edge in body["edges"]:
        if edge["label_box"] is not None:
            assert f">{edge['label']}</text>" in svg.replace("&#x27;", "'")
