"""Auxiliary extraction: TensorBoard's order and quartile rule, and user choices."""

from __future__ import annotations

from flowscope.graph import load
from flowscope.graph.formats.graphdef import from_graph_def
from tests.support.graphdefs import graph_def


def n(i: int) -> str:
    """Names without a trailing number, so that no op series forms."""
    return "n" + "abcdefghijklmnop"[i]


def crafted() -> list[tuple]:
    """A chain n(0)..n(14), a hub feeding n(1)..n(10) and a sink reading n(2)..n(7).

    In-degrees sorted: 0,0,1,1,1,1,2 x10,6 -> Q1 = 1, Q3 = 2, bound max(2 + 1, 4) = 4:
    the sink (6) goes to the in-column. Out-degrees: 0,0,1 x8,2 x6,10 -> Q1 = 1, Q3 = 2,
    bound max(2 + 4, 4) = 6: the hub (10) goes to the out-column.
    """
    nodes = [("hub", "Identity", []), (n(0), "Placeholder", [])]
    nodes += [(n(i), "Relu", [n(i - 1)] + (["hub"] if i <= 10 else [])) for i in range(1, 15)]
    nodes.append(("sink", "AddN", [n(i) for i in range(2, 8)]))
    return nodes


def columns(graph) -> dict[str, str]:
    return {n.placed.node.name: n.placed.column for n in graph.scene().nodes}


def test_quartile_rule_extracts_expected_nodes():
    g = load(from_graph_def(graph_def(*crafted())))
    cols = columns(g)
    assert {n: c for n, c in cols.items() if c != "main"} == {"sink": "in", "hub": "out"}
    annotations = {n.placed.node.name: n.placed for n in g.scene().nodes}
    assert [a.label for a in annotations[n(1)].in_annotations] == ["hub"]
    assert [a.label for a in annotations["hub"].out_annotations] == [
        n(1),
        n(2),
        n(3),
        n(4),
        n(5),
        "... 5 more",
    ]


def test_quartile_rule_needs_fifteen_unpinned_nodes():
    g = load(from_graph_def(graph_def(*crafted())))
    for name in (n(12), n(13), n(14)):
        g.include(name)
    assert set(columns(g).values()) == {"main"}  # 14 unpinned nodes: rule off


def test_included_node_stays_in_main_graph():
    g = load(from_graph_def(graph_def(*crafted())))
    g.include("hub")
    cols = columns(g)
    assert cols["hub"] == "main" and cols["sink"] == "in"


def test_noop_excluded_control_pruning_and_isolated():
    g = load(
        from_graph_def(
            graph_def(
                ("a", "Placeholder", []),
                ("b", "Relu", ["a"]),
                ("c", "Relu", ["b"]),
                ("init", "NoOp", ["^a", "^b"]),
                ("ctl", "Identity", ["a", "^b"]),
                *[(f"d{c}", "Relu", ["^ctl"]) for c in "vwxyz"],
                ("lonely", "Relu", ["init"]),
            )
        )
    )
    g.exclude("c")
    scene = g.scene()
    cols = {n.placed.node.name: n.placed.column for n in scene.nodes}
    assert cols["init"] == "out"  # NoOp
    assert cols["c"] == "in"  # excluded, in-degree 1 > out-degree 0
    hidden = {(e.edge.source, e.edge.target): e.edge.hidden for e in scene.edges}
    assert all(hidden[("ctl", f"d{c}")] == "control" for c in "vwxyz")
    placed = {n.placed.node.name: n.placed for n in scene.nodes}
    assert all(a.control for a in placed["ctl"].out_annotations[:5])
    assert cols["lonely"] == "out"  # only edge went to an extracted node: in-annotation only
    assert cols["dv"] == "out"  # its only edge was pruned: in-annotation only


def test_user_choice_survives_expand_and_collapse(tf1):
    g = tf1
    g.expanded.clear()
    g.choices.clear()
    g.expand("layer_2")
    g.exclude("layer_2/conv")
    g.include("layer_[1-6]")
    assert columns(g)["layer_2/conv"] in ("in", "out")
    assert columns(g)["layer_[1-6]"] == "main"
    for step in (
        lambda: g.expand("gradients"),
        lambda: g.collapse("layer_2"),
        lambda: g.expand("loss"),
        lambda: g.expand("layer_2"),
        lambda: g.collapse("gradients"),
    ):
        step()
        cols = columns(g)
        assert cols["layer_[1-6]"] == "main"
        if "layer_2" in g.expanded:
            assert cols["layer_2/conv"] in ("in", "out")
    g.reset_choice("layer_2/conv")
    assert columns(g)["layer_2/conv"] == "main"
    g.expanded.clear()
    g.choices.clear()
