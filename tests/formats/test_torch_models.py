"""The tiny Llama, BERT and ResNet as torch.export ``.pt2``, dynamo ONNX and TorchScript
ONNX: hierarchy, series, extracted parameters, edge shapes, and every source op once."""

from __future__ import annotations

from collections import Counter

import onnx
import pytest
import torch
import transformers.modeling_outputs  # noqa: F401  (registers the Llama's output type)

from flowscope.graph import load
from flowscope.graph.flat import PARAMETER, FlatGraph
from flowscope.graph.formats import read_model_file
from flowscope.graph.hierarchy import Group

from .model_files import HIDDEN, INPUT_SHAPE, KINDS, LAYERS, MODELS, series_name

CASES = [(m, k) for m in ("llama", "bert", "resnet") for k in KINDS]
SOURCE_OPS = (
    "Initializer",
    "Input",
    "Output",
    "parameter",
    "buffer",
    "constant",
    "input",
    "output",
)


@pytest.fixture(scope="module", params=CASES, ids=[f"{m}.{k}" for m, k in CASES])
def case(request):
    model, kind = request.param
    flat = read_model_file(str(MODELS / f"{model}.{kind}"))
    assert isinstance(flat, FlatGraph)
    return model, kind, flat, load(flat)


def test_layer_scopes_form_one_series_of_one_template(case):
    model, kind, _flat, graph = case
    h = graph.model.hierarchy
    series = graph.model.series[series_name(model, kind)]
    assert series.kind == "group" and len(series.members) == 6
    assert all(m.name.startswith(LAYERS[model]) for m in series.members)
    assert len({m.template for m in series.members}) == 1
    assert all(isinstance(h.nodes[m.name], Group) for m in series.members)
    assert len(graph.model.template_colours) >= 1  # repeated structure gets a colour


def test_parameters_are_annotations_on_their_readers(case):
    _model, _kind, flat, graph = case
    h = graph.model.hierarchy
    parameters = [n.name for n in flat.nodes.values() if n.role == PARAMETER]
    assert len(parameters) > 10
    assert all(h.embedded[p] == "in" and p not in h.leaf_of_op for p in parameters)
    read = {name for leaf in h.leaves for name in leaf.in_embedded}
    used = {e.src for e in flat.edges}
    assert {p for p in parameters if p in used} <= read


def test_edges_carry_shapes(case):
    model, kind, _flat, graph = case
    h = graph.model.hierarchy
    assert INPUT_SHAPE[model] in h.edge_label
    if kind != "script.onnx":
        assert HIDDEN[model] in h.edge_label


def test_first_view_is_small_and_renders(case):
    _model, _kind, _flat, graph = case
    scene = graph.scene()
    assert 2 <= len(scene.nodes) < 40
    assert graph.to_svg().startswith("<svg")


@pytest.mark.parametrize("model", ["llama", "bert", "resnet"])
@pytest.mark.parametrize("kind", ["dynamo.onnx", "script.onnx"])
def test_every_onnx_node_appears_once(model, kind):
    source = onnx.load(str(MODELS / f"{model}.{kind}"), load_external_data=False)
    flat = read_model_file(str(MODELS / f"{model}.{kind}"))
    ops = Counter(n.original_name for n in flat.nodes.values() if n.op not in SOURCE_OPS)
    assert ops == Counter(n.name for n in source.graph.node)
    initializers = {n.name for n in flat.nodes.values() if n.op == "Initializer"}
    assert initializers == {t.name for t in source.graph.initializer}


@pytest.mark.parametrize("model", ["llama", "bert", "resnet"])
def test_every_exported_node_appears_once(model):
    program = torch.export.load(str(MODELS / f"{model}.pt2"))
    flat = read_model_file(str(MODELS / f"{model}.pt2"))
    calls = Counter(n.name for n in program.graph.nodes if n.op == "call_function")
    ops = Counter(n.original_name for n in flat.nodes.values() if n.op not in SOURCE_OPS)
    assert ops == calls
    placeholders = {n.name for n in program.graph.nodes if n.op == "placeholder"}
    inputs = {n.original_name for n in flat.nodes.values() if n.op in SOURCE_OPS[3:7]}
    assert inputs == placeholders


def test_module_classes_label_the_scopes():
    flat = read_model_file(str(MODELS / "llama.pt2"))
    assert flat.scope_types["model/layers.3"] == "LlamaDecoderLayer"
    assert flat.scope_types["model/layers.3/self_attn"] == "LlamaAttention"
    dynamo = read_model_file(str(MODELS / "llama.dynamo.onnx"))
    assert dynamo.scope_types["model/layers.3/self_attn"] == "LlamaAttention"
