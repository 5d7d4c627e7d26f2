"""The transformed graph: hierarchy, templates, series, edge index, display tree, overlays."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flowscope.graph.display import MAX_CHILDREN, DisplayTree
from flowscope.graph.edges import EdgeIndex
from flowscope.graph.flat import FlatGraph
from flowscope.graph.functions import inline_calls
from flowscope.graph.hierarchy import Group, Hierarchy
from flowscope.graph.overlays import Overlays
from flowscope.graph.series import DEFAULT_MIN_SIZE, Series, find_series
from flowscope.graph.templates import (
    UNIQUE_COLOUR,
    assign_templates,
    child_edge_lists,
    structure_colour,
)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Suspends garbage collection while a graph's many long-lived objects are built:
    the collector would only rescan them, again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@dataclass
class GraphModel:
    """Everything about a graph that does not depend on what the user expands."""

    flat: FlatGraph
    hierarchy: Hierarchy
    templates: dict[int, list[Group]]
    template_colours: dict[int, str]  # only templates with two or more groups
    series: dict[str, Series]
    edges: EdgeIndex
    tree: DisplayTree
    overlays: Overlays

    @classmethod
    def build(
        cls,
        flat: FlatGraph,
        min_series_size: int = DEFAULT_MIN_SIZE,
        max_children: int = MAX_CHILDREN,
        inline_functions: bool = True,
    ) -> GraphModel:
        with paused_gc():
            if inline_functions:
                flat = inline_calls(flat)
            h = Hierarchy(flat)
            child_edges = child_edge_lists(h)
            templates = assign_templates(h, child_edges)
            repeated = [t for t, groups in templates.items() if len(groups) > 1]
            colours = {t: structure_colour(rank) for rank, t in enumerate(repeated)}
            series = find_series(h, child_edges, min_series_size)
            return cls(
                flat,
                h,
                templates,
                colours,
                series,
                EdgeIndex(h),
                DisplayTree(h, series, max_children),
                Overlays(h, flat.run_metadata),
            )

    def template_colour(self, template: int) -> str:
        return self.template_colours.get(template, UNIQUE_COLOUR)
