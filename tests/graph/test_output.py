"""Overlays from step stats, the JSON form, SVG, DOT and export."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from flowscope.graph import export, load
from flowscope.graph.formats.graphdef import from_graph_def
from flowscope.proto.run_metadata_pb2 import RunMetadata
from tests.support.graphdefs import GRAPHS, graph_def


def with_stats() -> RunMetadata:
    meta = RunMetadata()
    for device, runs in (
        ("/cpu:0", [("g/a", 100, 30, [500, -1]), ("g/b", 140, 10, [64])]),
        ("/gpu:0", [("g/a", 90, 20, [700]), ("other", 0, 5, [1])]),
    ):
        dev = meta.step_stats.dev_stats.add(device=device)
        for name, start, rel_end, allocations in runs:
            stats = dev.node_stats.add(
                node_name=name, all_start_micros=start, all_end_rel_micros=rel_end
            )
            for total in allocations:
                stats.memory.add(allocator_name="x", total_bytes=total)
    return meta


def test_overlays_per_op_and_group():
    flat = from_graph_def(
        graph_def(("g/a", "MatMul", []), ("g/b", "Relu", ["g/a"]), ("c", "Relu", ["g/b"]))
    )
    flat.run_metadata = with_stats()
    g = load(flat)
    g.expand("g")
    stats = {n["name"]: n["stats"] for n in g.to_json(colour_by="memory")["nodes"]}
    # g/a: memory is the max over executions of the positive bytes (500 vs 700); time
    # from the earliest start (90) to the latest end (130)
    assert stats["g/a"]["memory_bytes"] == 700 and stats["g/a"]["compute_time_us"] == 40
    assert stats["g/b"]["memory_bytes"] == 64 and stats["g/b"]["compute_time_us"] == 10
    assert stats["g"]["memory_bytes"] == 764 and stats["g"]["compute_time_us"] == 60
    assert "memory_bytes" not in stats["c"]


def test_overlays_on_real_trace(tf1):
    tf1.expanded.clear()
    tf1.expand("layer_1/conv")
    tf1.expand("layer_2")
    nodes = {n["name"]: n for n in tf1.to_json(colour_by="compute_time")["nodes"]}
    assert nodes["layer_2/relu"]["stats"]["compute_time_us"] > 0  # grappler fused the MatMul
    assert nodes["layer_2/relu"]["stats"]["memory_bytes"] == 1024
    assert nodes["gradients"]["stats"]["memory_bytes"] > 200704
    assert (
        nodes["gradients"]["stats"]["compute_time_us"]
        > nodes["layer_2/relu"]["stats"]["compute_time_us"]
    )
    assert nodes["layer_1/conv/MatMul"]["stats"]["xla_clusters"] == {"cluster_0": 1}
    assert nodes["x"]["stats"]["devices"] == {"/device:CPU:0": 1}
    colours = {n["colour"] for n in tf1.to_json(colour_by="device")["nodes"]}
    assert len(colours) >= 2
    tf1.expanded.clear()


def test_json_form(bert):
    bert.expanded.clear()
    bert.expand("BertModel/BertLayer[2]")
    data = bert.to_json()
    json.dumps(data)
    assert data["version"] == 1 and data["width"] > 0
    nodes = {n["name"]: n for n in data["nodes"]}
    series = nodes["BertModel/BertLayer[0-11]"]
    assert series["kind"] == "series" and series["expanded"] and series["members"] == 12
    layer = nodes["BertModel/BertLayer[3]"]
    assert layer["kind"] == "meta" and not layer["expanded"] and layer["template"] is not None
    assert layer["colour"] == nodes["BertModel/BertLayer[2]"]["colour"] != "#d9d9d9"
    op = next(n for n in data["nodes"] if n["kind"] == "op")
    assert set(op) >= {
        "name",
        "kind",
        "label",
        "op",
        "x",
        "y",
        "width",
        "height",
        "template",
        "colour",
        "stats",
        "expanded",
        "annotations",
        "parent",
        "column",
    }
    edge = next(e for e in data["edges"] if e["route"])
    assert set(edge) >= {
        "source",
        "target",
        "route",
        "width",
        "label",
        "control_only",
        "reference",
        "bridge",
        "hidden",
        "count",
    }
    bert.expanded.clear()


def test_svg_and_dot(tf1):
    tf1.expanded.clear()
    tf1.expand("layer_2/conv")
    svg = tf1.to_svg()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "layer_2" in svg and tf1._repr_svg_() == svg
    dot = tf1.to_dot()
    assert dot.startswith("digraph") and 'subgraph "cluster_layer_2"' in dot
    assert dot.count("{") == dot.count("}")
    tf1.expanded.clear()


@pytest.mark.parametrize("suffix", [".svg", ".dot", ".json"])
def test_export(tmp_path, suffix):
    out = tmp_path / f"graph{suffix}"
    export(str(GRAPHS / "torch_resnet"), str(out), expand=["Net/Sequential[blocks]/Block[1]"])
    text = out.read_text()
    assert "Block[1]" in text
    if suffix == ".json":
        data = json.loads(text)
        assert any(
            n["name"] == "Net/Sequential[blocks]/Block[1]" and n["expanded"] for n in data["nodes"]
        )


def test_export_all_and_bad_suffix(tmp_path):
    graph = export(str(GRAPHS / "keras_mlp"), str(tmp_path / "g.json"), expand_all=True)
    assert graph.expanded == set() or all(graph.model.tree.find(n) for n in graph.expanded)
    with pytest.raises(ValueError):
        export(str(GRAPHS / "keras_mlp"), str(tmp_path / "g.png"))


def test_function_library_graph():
    g = load(str(GRAPHS / "tf2_trace"))
    name = g.functions[0]
    body = g.function(name)
    assert {n.op for n in body.model.flat.nodes.values()} >= {"_Arg", "MatMul", "_Retval"}
    calls = [n for n in g.model.hierarchy.nodes if n.startswith("block/PartitionedCall")]
    assert "block/PartitionedCall/MatMul" in calls  # the call expands into its body
