"""The Python entry points: `load` a graph, expand it, render it; `export` for the CLI."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from typing import Any

from flowscope.graph.flat import FlatGraph
from flowscope.graph.importer import load_flat
from flowscope.graph.model import GraphModel, paused_gc
from flowscope.graph.node_data import NodeData
from flowscope.graph.render import to_dot, to_json, to_svg
from flowscope.graph.view import GraphView

EXPORT_FORMATS = (".svg", ".dot", ".json")


class Graph(GraphView):
    """A loaded graph and its view: ``expand``/``collapse`` nodes, ``ungroup`` series,
    ``include``/``exclude`` nodes, then render with ``to_svg``, ``to_dot`` or ``to_json``.
    Jupyter shows it inline."""

    def to_json(self, colour_by: str = "structure") -> dict:
        return to_json(self, colour_by)

    def to_svg(self, colour_by: str = "structure") -> str:
        return to_svg(self, colour_by)

    def to_dot(self) -> str:
        return to_dot(self)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def set_node_data(self, document: Any) -> NodeData:
        """Loads per-node values (a JSON text or object keyed by node name; see
        `flowscope.graph.node_data`) for the ``node_data`` colour mode."""
        self.node_data = NodeData(self.model.hierarchy, document)
        return self.node_data

    def function(self, name: str) -> Graph:
        """A library function of the graph as a graph of its own."""
        return Graph(GraphModel.build(self.model.flat.functions[name]))

    @property
    def functions(self) -> list[str]:
        return list(self.model.flat.functions)


def load(
    source: str | FlatGraph,
    run: str | None = None,
    tag: str | None = None,
    min_series_size: int = 5,
) -> Graph:
    """A graph from a ``.pb``/``.pbtxt`` file, a Keras ``.json``, an event file or a logdir
    (``run`` and ``tag`` pick one graph there), or from a `FlatGraph`."""
    with paused_gc():
        flat = source if isinstance(source, FlatGraph) else load_flat(str(source), run, tag)
        graph = Graph(GraphModel.build(flat, min_series_size=min_series_size))
    gc.collect()  # age the new objects now, not in a long pause at the first expand
    return graph


def from_torch(module: Any, example_args: tuple, kwargs: dict | None = None) -> Graph:
    """The graph of a torch module, through ``torch.export`` (needs torch)."""
    from flowscope.graph.formats.torch_export import from_torch as flat_of_module

    return load(flat_of_module(module, example_args, kwargs))


def from_jax(fn: Any, *args: Any, **kwargs: Any) -> Graph:
    """The graph of a JAX function traced on ``args`` by ``jax.make_jaxpr`` (needs jax)."""
    from flowscope.graph.formats.jax import from_jax as flat_of_function

    return load(flat_of_function(fn, *args, **kwargs))


def export(
    source: str,
    out_path: str,
    run: str | None = None,
    tag: str | None = None,
    expand: Iterable[str] = (),
    expand_all: bool = False,
) -> Graph:
    """Writes the view of ``source`` to ``out_path`` (``.svg``, ``.dot`` or ``.json``)
    with the named nodes expanded (or all of them)."""
    if not out_path.endswith(EXPORT_FORMATS):
        raise ValueError(f"{out_path}: the output must end in one of {EXPORT_FORMATS}")
    graph = load(source, run, tag)
    if expand_all:
        graph.expand_all()
    for name in expand:
        graph.expand(name)
    if out_path.endswith(".svg"):
        text = graph.to_svg()
    elif out_path.endswith(".dot"):
        text = graph.to_dot()
    else:
        text = json.dumps(graph.to_json(), indent=1)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    return graph
