"""Layout invariants on real graphs at several expansion states, caching, splitting."""

from __future__ import annotations

import random

import pytest

from flowscope.graph import load
from flowscope.graph.formats.graphdef import from_graph_def
from flowscope.graph.hierarchy import Group
from tests.support.graph_checks import crossing_routes, overlapping_boxes, representation_errors
from tests.support.graphdefs import graph_def


def expansion_states(graph, seed: int = 0):
    """Nothing, the top groups, a random tenth of the groups, then everything."""
    groups = [n.name for n in graph.model.hierarchy.by_id if isinstance(n, Group) and n.name]
    rng = random.Random(seed)
    yield "collapsed", []
    yield "top", [g for g in groups if "/" not in g]
    yield "random", rng.sample(groups, max(1, len(groups) // 10))
    yield "all", None


@pytest.mark.parametrize("fixture", ["tf1", "bert", "torch_resnet", "inception", "resnet50"])
def test_invariants_at_several_expansions(fixture, request):
    graph = request.getfixturevalue(fixture)
    try:
        for state, names in expansion_states(graph):
            graph.expanded.clear()
            if names is None:
                graph.expand_all()
            for name in names or ():
                graph.expand(name)
            scene = graph.scene()
            assert overlapping_boxes(scene) == [], state
            assert crossing_routes(scene) == [], state
            assert representation_errors(graph, scene) == [], state
            assert all(len(e.route) >= 2 for e in scene.edges if not e.edge.hidden), state
    finally:
        graph.expanded.clear()


def test_expanding_lays_out_only_the_node_and_its_ancestors(graphs_dir):
    bert = load(str(graphs_dir / "torch_bert"))
    bert.expand("BertModel/BertLayer[0-11]")
    bert.scene()
    before = bert.layouts_computed
    bert.expand("BertModel/BertLayer[4]")
    bert.scene()
    # BertLayer[4] itself, then the series, BertModel and the root
    assert bert.layouts_computed - before == 4
    before = bert.layouts_computed
    bert.collapse("BertModel/BertLayer[4]")
    bert.scene()
    assert bert.layouts_computed == before  # the earlier layouts come back from the cache


def test_expand_reveals_an_op_through_series_and_ungroup_persists(bert):
    bert.expanded.clear()
    op = "BertModel/BertLayer[7]/Linear[intermediate]/linear"
    bert.expand(op)
    assert {"BertModel", "BertModel/BertLayer[0-11]", "BertModel/BertLayer[7]"} <= bert.expanded
    names = {n.placed.node.name for n in bert.scene().nodes}
    assert op in names
    bert.ungroup("BertModel/BertLayer[0-11]")
    bert.expand("BertModel/BertLayer[2]")
    names = {n.placed.node.name for n in bert.scene().nodes}
    assert "BertModel/BertLayer[0-11]" not in names and "BertModel/BertLayer[11]" in names
    bert.collapse("BertModel")
    bert.expand("BertModel")
    assert "BertModel/BertLayer[0-11]" not in {n.placed.node.name for n in bert.scene().nodes}
    bert.regroup("BertModel/BertLayer[0-11]")
    bert.expanded.clear()


def test_wide_flat_group_is_split_into_parts():
    nodes = [("x", "Placeholder", [])]
    nodes += [(f"op{i}x", "Relu", ["x" if i % 50 == 0 else f"op{i - 1}x"]) for i in range(2500)]
    g = load(from_graph_def(graph_def(*nodes)))
    top = [n.placed.node for n in g.scene().nodes]
    chunks = [n for n in top if n.kind == "chunk"]
    assert [len(c.items) for c in chunks] == [1000, 1000, 501]
    g.expand(chunks[1].name)
    scene = g.scene()
    assert sum(1 for n in scene.nodes if n.parent == chunks[1].name) == 1000
    assert overlapping_boxes(scene) == [] and crossing_routes(scene) == []
    assert representation_errors(g, scene) == []
    g.expand("op1700x")  # an op inside a part: the part opens
    assert chunks[1].name in g.expanded


def test_bridges_become_stubs_in_tall_groups(monkeypatch):
    monkeypatch.setattr("flowscope.graph.view.BRIDGE_BUDGET", 0)
    nodes = [("x", "Placeholder", [])]
    prev = "x"
    for name in "abcdefgh":
        nodes.append((f"enc/{name}/op", "Relu", [prev]))
        prev = f"enc/{name}/op"
    nodes.append(("head", "AddN", [f"enc/{name}/op" for name in "abcdefgh"]))
    g = load(from_graph_def(graph_def(*nodes)))
    g.expand("enc")
    scene = g.scene()
    stubs = [e for e in scene.edges if e.edge.stub]
    assert len(stubs) == 9 and all(len(e.route) == 2 for e in stubs)  # 8 out, 1 in
    assert overlapping_boxes(scene) == [] and crossing_routes(scene) == []
    assert representation_errors(g, scene) == []
