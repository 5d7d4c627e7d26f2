"""Series of repeated groups in the naming styles models use, and TensorFlow's ``cond``,
``cond_1``, ... repeats of one scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowscope.cli.demo import write_profile_run
from flowscope.graph import Graph, load
from flowscope.graph.formats.graphdef import from_graph_def
from tests.support.graph_checks import overlapping_boxes
from tests.support.graphdefs import GRAPHS, graph_def


def blocks(names: list[str], ops: tuple[str, ...] = ("MatMul", "Relu")) -> Graph:
    """A chain through groups ``names``, each holding the same ops."""
    nodes = [("x", "Placeholder", [])]
    previous = "x"
    for name in names:
        for op in ops:
            nodes.append((f"{name}/{op.lower()}", op, [previous]))
            previous = f"{name}/{op.lower()}"
    nodes.append(("out", "Identity", [previous]))
    return load(from_graph_def(graph_def(*nodes)))


@pytest.mark.parametrize(
    ("names", "series"),
    [
        ([f"layer_{i}" for i in range(1, 9)], "layer_[1-8]"),
        ([f"layers.{i}" for i in range(12)], "layers[0-11]"),
        ([f"block{i}" for i in range(1, 7)], "block[1-6]"),
        ([f"encoder/layer.{i}" for i in range(6)], "encoder/layer[0-5]"),
        (["dense"] + [f"dense_{i}" for i in range(1, 7)], "dense, dense_[1-6]"),
    ],
)
def test_naming_styles_form_a_series_that_expands_to_its_members(names, series) -> None:
    graph = blocks(names)
    assert list(graph.model.series) == [series]
    members = [m.name for m in graph.model.series[series].members]
    assert members == names
    graph.expand(series)
    shown = {node.placed.node.name for node in graph.scene().nodes}
    assert series in shown and set(names) <= shown


def test_groups_of_different_structure_do_not_form_a_series() -> None:
    nodes = [("x", "Placeholder", [])]
    for i in range(1, 7):
        nodes.append((f"layer_{i}/op", "Relu" if i % 2 else "Tanh", ["x"]))
    graph = load(from_graph_def(graph_def(*nodes)))
    assert all(s.kind == "op" for s in graph.model.series.values())


def test_demo_cond_groups_form_one_series(tmp_path: Path) -> None:
    write_profile_run(str(tmp_path))
    graph = load(str(tmp_path / "tf1_profile"))
    series = graph.model.series["cond, cond_[1-11]"]
    assert [m.name for m in series.members] == ["cond"] + [f"cond_{i}" for i in range(1, 12)]
    top = [c.name for c in graph.children(graph.model.tree.root())]
    assert "cond, cond_[1-11]" in top and "cond" not in top and "cond_11" not in top
    assert "cond_12" in top  # another template (it guards the logits)
    graph.expand("cond, cond_[1-11]")
    shown = {node.placed.node.name for node in graph.scene().nodes}
    assert {"cond", "cond_5", "cond_11"} <= shown


def test_expanded_series_members_are_packed_not_in_a_row() -> None:
    graph = load(str(GRAPHS / "tf1_train"))
    graph.expand("cond, cond_[1-11]")
    members = [n for n in graph.scene().nodes if n.parent == "cond, cond_[1-11]"]
    assert len(members) == 12
    rows = {round(n.y) for n in members}
    assert 2 <= len(rows) <= 6
    assert not overlapping_boxes(graph.scene())
