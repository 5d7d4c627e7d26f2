"""Import: GraphDef parsing, files, event files, torch names, Keras configs, functions."""

from __future__ import annotations

import itertools

import pytest

from flowscope.graph.flat import shape_label, tensor_size
from flowscope.graph.formats.graphdef import from_graph_def, parse_input
from flowscope.graph.importer import list_graph_runs, load_flat, strip_blocks
from flowscope.graph.keras import from_keras_json
from tests.support.graphdefs import GRAPHS, attr_string, graph_def


def test_parse_input_forms():
    assert parse_input("^a/b") == ("a/b", -1, True)
    assert parse_input("a/b:2") == ("a/b", 2, False)
    assert parse_input("a/b") == ("a/b", 0, False)
    assert parse_input("MatMul:product:0") == ("MatMul", 0, False)


def test_control_output_index_consecutive_and_self_loops():
    g = from_graph_def(
        graph_def(
            ("a", "Split", []),
            ("b", "Foo", ["a:0", "a:1", "^a", "b", "a:2"]),
            ("c", "Bar", ["^b", "missing"]),
        )
    )
    edges = [(e.src, e.dst, e.outputs, e.control) for e in g.edges]
    assert edges == [
        ("a", "b", (0, 1), False),  # consecutive inputs from one op: one edge
        ("a", "b", (), True),
        ("a", "b", (2,), False),
        ("b", "c", (), True),
    ]
    assert g.dropped_inputs == 1


def test_names_like_object_keys():
    names = ["length", "__proto__", "constructor", "toString", "hasOwnProperty"]
    g = from_graph_def(
        graph_def(*[(n, "Foo", [names[i - 1]] if i else []) for i, n in enumerate(names)])
    )
    assert list(g.nodes) == names
    assert [(e.src, e.dst) for e in g.edges] == list(itertools.pairwise(names))


def test_reference_edges_devices_xla_shapes():
    gd = graph_def(
        ("w", "VariableV2", [], "/device:GPU:0"),
        ("init", "Const", []),
        ("assign", "Assign", ["w", "init"]),
        ("read", "Identity", ["w"]),
        shapes={"w": [[-1, 784]], "init": [[]]},
    )
    gd.node[3].attr["_XlaCluster"].CopyFrom(attr_string("cluster_7"))
    g = from_graph_def(gd)
    refs = {(e.src, e.dst): e.ref for e in g.edges}
    assert refs == {("w", "assign"): True, ("init", "assign"): False, ("w", "read"): False}
    assert g.nodes["w"].device == "/device:GPU:0"
    assert g.nodes["read"].xla_cluster == "cluster_7"
    assert g.nodes["w"].output_shapes == [(-1, 784)]
    assert shape_label((-1, 784)) == "?×784" and shape_label(()) == "scalar"
    assert tensor_size((-1, 784)) == 784 and tensor_size(None) == 1


def test_pb_pbtxt_and_event_graph_agree():
    pb = load_flat(str(GRAPHS / "tf1_train.pbtxt"))
    events = load_flat(str(GRAPHS / "tf1_train"))
    assert len(pb.nodes) == len(events.nodes) > 400
    assert {(e.src, e.dst) for e in pb.edges} == {(e.src, e.dst) for e in events.edges}
    assert any(e.ref for e in pb.edges) and any(e.control for e in pb.edges)
    assert events.run_metadata is not None and events.run_metadata.step_stats.dev_stats


def test_strip_blocks_skips_quoted_braces():
    text = 'node { name: "a{" experimental_type { args { type_id: 1 } } op: "X" }'
    assert strip_blocks(text, ("experimental_type",)) == 'node { name: "a{"  op: "X" }'


def test_logdir_tags_and_selection():
    runs = list_graph_runs(str(GRAPHS / "tf1_train"))
    assert runs["."].op_graphs and "step_1" in runs["."].profiles
    with pytest.raises(ValueError, match="no tag"):
        load_flat(str(GRAPHS / "tf1_train"), tag="nope")
    profiled = load_flat(str(GRAPHS / "tf1_train"), tag="step_1")
    assert profiled.run_metadata.step_stats.dev_stats


def test_tf2_trace_inlines_function_calls():
    g = load_flat(str(GRAPHS / "tf2_trace"))
    assert "__inference_dense" in next(iter(g.functions))
    calls = [n for n in g.nodes.values() if n.op == "PartitionedCall"]
    assert calls and calls[0].function in g.functions


def test_torch_scopes_readable(torch_resnet):
    flat = torch_resnet.model.flat
    names = set(flat.nodes)
    assert "Net/Sequential[blocks]/Block[2]/Conv2d[conv1]/convolution" in names
    assert "Net/Sequential[blocks]/Block[2]/Conv2d[conv1]/weight" in names
    assert not any(n.rpartition("/")[2][:1].isdigit() for n in names)  # no debug numbers
    assert all(flat.nodes[n].original_name for n in names)


def test_torch_parameters_join_call_scopes(bert):
    names = set(bert.model.flat.nodes)
    assert "BertModel/BertLayer[3]/Linear[intermediate]/weight" in names
    assert not any("ModuleList[layer]" in n for n in names)


def test_keras_conceptual_graph_from_callback_logdir():
    g = load_flat(str(GRAPHS / "keras_mlp"))
    assert [n.op for n in g.nodes.values()] == ["InputLayer", "Dense", "Dense", "Dense", "Dense"]
    assert [(e.src, e.dst) for e in g.edges] == [
        ("features", "dense_1"),
        ("dense_1", "dense_2"),
        ("dense_2", "dense_3"),
        ("dense_3", "head"),
    ]
    assert g.nodes["features"].output_shapes == [(-1, 16)]


def test_keras2_nested_model_config():
    config = """{"class_name": "Model", "config": {"name": "outer", "layers": [
      {"class_name": "InputLayer", "name": "in", "config": {"name": "in"}, "inbound_nodes": []},
      {"class_name": "Sequential", "name": "inner", "config": {"name": "inner", "layers": [
         {"class_name": "Dense", "config": {"name": "d1", "units": 4}},
         {"class_name": "Dense", "config": {"name": "d2", "units": 4}}]},
       "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Dense", "name": "out", "config": {"name": "out"},
       "inbound_nodes": [[["inner", 0, 0, {}]]]}],
      "input_layers": [["in", 0, 0]], "output_layers": [["out", 0, 0]]}}"""
    g = from_keras_json(config)
    assert [(e.src, e.dst) for e in g.edges] == [
        ("in", "inner/d1"),
        ("inner/d1", "inner/d2"),
        ("inner/d2", "out"),
    ]
