"""The Keras "conceptual graph": a model config (``model.to_json()``) as a flat graph.

Each layer is an op named by its layer name, typed by its class; nested models
become name scopes. Both the Keras 2 (``[[layer, node, tensor, kwargs]]``) and the
Keras 3 (``keras_history``) inbound-node formats are read.
"""

from __future__ import annotations

import json
from typing import Any

from flowscope.graph.flat import FlatGraph, Input, OpNode, Shape, Tensor, new_graph

MODEL_CLASSES = frozenset({"Functional", "Model", "Sequential"})


def from_keras_json(text: str | bytes) -> FlatGraph:
    """The graph of a model config; ValueError when ``text`` is not one."""
    try:
        config = json.loads(text)
    except RecursionError:
        raise ValueError("the Keras model config is nested too deeply") from None
    if not isinstance(config, dict):
        kind = type(config).__name__
        raise ValueError(f"a Keras model config is a JSON object, not {kind}")  # noqa: TRY004
    nodes: dict[str, OpNode] = {}
    try:
        _add_model(config, "", nodes)
    except (AttributeError, TypeError, KeyError, IndexError, RecursionError) as err:
        raise ValueError(f"not a Keras model config ({type(err).__name__}: {err})") from None
    return new_graph(nodes.values(), format="keras")


def _is_model(layer: dict) -> bool:
    return layer.get("class_name") in MODEL_CLASSES and "layers" in layer.get("config", {})


def _layer_name(layer: dict) -> str:
    return layer.get("name") or layer.get("config", {}).get("name", "layer")


def _add_model(model: dict, prefix: str, nodes: dict[str, OpNode]) -> tuple[list[str], list[str]]:
    """Adds the layers of ``model`` under ``prefix``; returns its input and output op names."""
    config = model.get("config", {})
    layers = config.get("layers", [])
    ends: dict[str, tuple[list[str], list[str]]] = {}  # nested model -> (inputs, outputs)
    previous: list[str] = []
    for layer in layers:
        name = prefix + _layer_name(layer)
        if _is_model(layer):
            ends[name] = _add_model(layer, name + "/", nodes)
        else:
            nodes[name] = OpNode(name, layer.get("class_name", "Layer"), attr=_attrs(layer))
            ends[name] = ([name], [name])
        inbound = layer.get("inbound_nodes")
        sources = _history(inbound) if inbound is not None else [(n, None) for n in previous]
        for i, (src, shape) in enumerate(sources):
            src_outputs = ends.get(prefix + src, ([], [prefix + src]))[1]
            targets = ends[name][0]
            target = targets[min(i, len(targets) - 1)] if targets else name
            for out in src_outputs:
                if out in nodes:
                    nodes[target].inputs.append(Input(out))
                    if shape is not None and not nodes[out].outputs:
                        nodes[out].outputs = [Tensor(shape)]
        previous = [_layer_name(layer)]
    inputs = [prefix + _ref_name(r) for r in config.get("input_layers", [])]
    outputs = [prefix + _ref_name(r) for r in config.get("output_layers", [])]
    names = [prefix + _layer_name(layer) for layer in layers]
    return (inputs or names[:1]), (outputs or names[-1:])


def _ref_name(ref: Any) -> str:
    """``["dense", 0, 0]`` or ``[["dense", 0, 0]]`` names layer ``dense``."""
    while isinstance(ref, list) and ref and isinstance(ref[0], list):
        ref = ref[0]
    return ref[0] if isinstance(ref, list) else str(ref)


def _history(inbound: Any) -> list[tuple[str, Shape | None]]:
    """The (layer, shape) pairs a layer's inbound nodes read, in order."""
    found: list[tuple[str, Shape | None]] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            cfg = item.get("config", {})
            if item.get("class_name") == "__keras_tensor__" and "keras_history" in cfg:
                shape = cfg.get("shape")
                found.append(
                    (
                        cfg["keras_history"][0],
                        None
                        if shape is None
                        else tuple(-1 if d is None else int(d) for d in shape),
                    )
                )
                return
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            if len(item) >= 3 and isinstance(item[0], str) and isinstance(item[1], int):
                found.append((item[0], None))  # Keras 2: [layer, node, tensor, kwargs]
                return
            for value in item:
                walk(value)

    walk(inbound)
    return found


def _attrs(layer: dict) -> dict[str, Any]:
    """Scalar config entries, and lists of ints, as attributes for the info card."""
    attrs: dict[str, Any] = {}
    for key, value in layer.get("config", {}).items():
        scalar = isinstance(value, (str, int, float, bool)) or value is None
        if scalar or (
            isinstance(value, list) and all(isinstance(v, (int, type(None))) for v in value)
        ):
            attrs[key] = value
    return attrs
