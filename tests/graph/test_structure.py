"""Hierarchy, metaedges, templates and series."""

from __future__ import annotations

from flowscope.graph import load
from flowscope.graph.edges import MAX_WIDTH, MIN_WIDTH, edge_width
from flowscope.graph.formats.graphdef import from_graph_def
from flowscope.graph.hierarchy import Group, Hierarchy
from flowscope.graph.templates import structure_colour
from tests.support.graphdefs import graph_def


def layered(k: int, nested: str = "conv") -> list[tuple]:
    """``k`` identical ``layer_i`` scopes, each holding a nested scope."""
    nodes = [("input", "Placeholder", [])]
    prev = "input"
    for i in range(1, k + 1):
        s = f"layer_{i}"
        nodes += [
            (f"{s}/{nested}/w", "VariableV2", []),
            (f"{s}/{nested}/MatMul", "MatMul", [prev, f"{s}/{nested}/w"]),
            (f"{s}/{nested}/add", "AddV2", [f"{s}/{nested}/MatMul"]),
            (f"{s}/relu", "Relu", [f"{s}/{nested}/add"]),
        ]
        prev = f"{s}/relu"
    return nodes + [("out", "Identity", [prev])]


def test_hierarchy_scopes_stats_and_root_op():
    h = Hierarchy(
        from_graph_def(
            graph_def(
                ("a", "NoOp", [], "/cpu:0"),
                ("a/b/c", "MatMul", [], "/gpu:0"),
                ("a/b/d", "MatMul", ["a/b/c"], "/gpu:0"),
                ("a/k", "Const", []),
                ("a/e", "Relu", ["a/b/d", "a/k"]),
                ("a/s", "ScalarSummary", ["a/e"]),
            )
        )
    )
    a, ab = h.group("a"), h.group("a/b")
    assert [c.name for c in a.children] == ["a/(a)", "a/b", "a/e"]
    assert a.root_op is h.nodes["a/(a)"] and h.leaf_of_op["a"].name == "a/(a)"
    assert a.op_count == 4 and a.op_hist == {"MatMul": 2, "NoOp": 1, "Relu": 1}
    assert a.device_hist == {"/gpu:0": 2, "/cpu:0": 1}
    assert (a.depth, ab.depth, a.height, ab.height) == (1, 2, 2, 1)
    assert h.leaf_of_op["a/e"].in_embedded == ["a/k"]
    assert h.leaf_of_op["a/e"].out_embedded == ["a/s"]
    assert "a/k" not in h.leaf_of_op and "a/s" not in h.leaf_of_op
    for group in (a, ab):  # leaf ranges are contiguous
        assert group.hi - group.lo == group.op_count


def test_metaedges_at_lowest_common_ancestor():
    gd = graph_def(
        ("x", "Placeholder", []),
        ("a/m", "MatMul", ["x"]),
        ("a/n", "Split", ["a/m"]),
        ("b/p", "Add", ["a/n:0", "a/n:1", "^a/m"]),
        ("b/q", "Assign", ["a/m"]),
        shapes={"x": [[-1, 784]], "a/m": [[-1, 10]], "a/n": [[-1, 5], [-1, 5]]},
    )
    g = load(from_graph_def(gd))
    edges = {
        (e.edge.source, e.edge.target): e.edge.metaedge
        for e in g.scene().edges
        if not e.edge.bridge
    }
    ab = edges[("a", "b")]
    assert (ab.data, ab.control, ab.ref, ab.tensors) == (2, 1, 1, 3)
    assert ab.size == 5 + 5 + 10 and ab.label == "3 tensors"
    assert edges[("x", "a")].label == "?×784" and edges[("x", "a")].size == 784


def test_edge_width_power_scale():
    assert edge_width(1) == MIN_WIDTH and edge_width(5e6) == MAX_WIDTH
    assert edge_width(1e9) == MAX_WIDTH and edge_width(100, shapes_known=False) == MIN_WIDTH
    expected = 0.75 + (1e3**0.3 - 1) / (5e6**0.3 - 1) * 11.25
    assert abs(edge_width(1e3) - expected) < 1e-9


def test_nested_identical_scopes_share_one_template():
    g = load(from_graph_def(graph_def(*layered(3))), min_series_size=5)
    h = g.model.hierarchy
    layers = [h.group(f"layer_{i}") for i in (1, 2, 3)]
    convs = [h.group(f"layer_{i}/conv") for i in (1, 2, 3)]
    assert len({x.template for x in layers}) == 1
    assert len({x.template for x in convs}) == 1
    assert layers[0].template != convs[0].template
    assert len(g.model.templates[layers[0].template]) == 3


def test_different_nested_structure_gets_another_template():
    nodes = layered(2) + [
        ("layer_3/conv/w", "VariableV2", []),
        ("layer_3/conv/MatMul", "MatMul", ["layer_2/relu", "layer_3/conv/w"]),
        ("layer_3/conv/add", "Sub", ["layer_3/conv/MatMul"]),
        ("layer_3/relu", "Relu", ["layer_3/conv/add"]),
    ]
    h = load(from_graph_def(graph_def(*nodes))).model.hierarchy
    assert h.group("layer_1").template == h.group("layer_2").template != h.group("layer_3").template


def test_real_graph_templates(tf1, bert, resnet50):
    h = tf1.model.hierarchy
    assert len({h.group(f"layer_{i}").template for i in range(1, 7)}) == 1
    assert len({h.group(f"layer_{i}/conv").template for i in range(1, 7)}) == 1
    hb = bert.model.hierarchy
    assert len({hb.group(f"BertModel/BertLayer[{i}]").template for i in range(12)}) == 1
    hr = resnet50.model.hierarchy
    convs = [
        g
        for g in hr.by_id
        if isinstance(g, Group) and g.name.endswith("_conv_1") and g.parent.name == "resnet50_1"
    ]
    assert len(convs) == 53 and len({c.template for c in convs}) == 1


def test_template_colours_stay_distinct_past_ten():
    colours = [structure_colour(k) for k in range(60)]
    assert len(set(colours)) == 60
    g = load(
        from_graph_def(
            graph_def(
                *[
                    (f"s{t}_{i}/{op}", op, [])
                    for t, op in enumerate(
                        ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"]
                    )
                    for i in range(2)
                ]
            )
        )
    )
    assert len(set(g.model.template_colours.values())) == 12


def test_op_series_rule_with_gaps():
    names = [f"add_{i}" for i in (1, 2, 3, 4, 5, 7, 8, 9)] + [f"mul_{i}" for i in range(1, 7)]
    nodes = [(n, "Add" if n.startswith("add") else "Mul", []) for n in names]
    nodes += [("add_10", "Mul", [])]  # another op type: not in the add series
    g = load(from_graph_def(graph_def(*nodes)))
    series = {s.label: [m.label for m in s.members] for s in g.model.series.values()}
    assert series == {
        "add_[1-5]": [f"add_{i}" for i in range(1, 6)],
        "mul_[1-6]": [f"mul_{i}" for i in range(1, 7)],
    }
    assert load(from_graph_def(graph_def(*nodes)), min_series_size=7).model.series == {}


def test_group_series_bert_and_layers(bert, tf1):
    series = bert.model.series["BertModel/BertLayer[0-11]"]
    assert series.kind == "group" and len(series.members) == 12
    assert [m.label for m in series.members] == [f"BertLayer[{i}]" for i in range(12)]
    assert [m.label for m in tf1.model.series["layer_[1-6]"].members] == [
        f"layer_{i}" for i in range(1, 7)
    ]


def test_group_series_number_in_the_middle():
    nodes = [("x", "Placeholder", [])]
    prev = "x"
    for i in range(1, 7):
        nodes += [
            (f"conv4_block{i}_out/conv", "Conv2D", [prev]),
            (f"conv4_block{i}_out/relu", "Relu", [f"conv4_block{i}_out/conv"]),
        ]
        prev = f"conv4_block{i}_out/relu"
    g = load(from_graph_def(graph_def(*nodes)))
    assert list(g.model.series) == ["conv4_block[1-6]_out"]


def test_series_that_would_create_a_cycle_is_not_formed():
    nodes = [("x", "Placeholder", [])]
    prev = "x"
    for i in range(1, 7):  # each block goes through a shared-looking outside op
        nodes += [(f"b_{i}/op", "Relu", [prev]), (f"mid_{i}", "Identity", [f"b_{i}/op"])]
        prev = f"mid_{i}"
    g = load(from_graph_def(graph_def(*nodes)))
    assert all(s.kind == "op" for s in g.model.series.values())
