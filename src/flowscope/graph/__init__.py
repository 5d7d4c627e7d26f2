"""Readable dataflow graphs: import, name-scope hierarchy, series, templates, auxiliary
extraction, bundled edges, overlays, and per-group cached layouts exported to SVG/DOT/JSON."""

from flowscope.graph.api import Graph, export, from_jax, from_torch, load
from flowscope.graph.flat import FlatGraph
from flowscope.graph.importer import list_graph_runs, load_flat

__all__ = [
    "FlatGraph",
    "Graph",
    "export",
    "from_jax",
    "from_torch",
    "list_graph_runs",
    "load",
    "load_flat",
]
