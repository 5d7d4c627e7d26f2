"""Layered (Sugiyama-style) layout of one group of nodes; a module per phase, run by ``engine``."""

from flowscope.layout.engine import clear_layout_cache, layout_group
from flowscope.layout.route import segment_intersects_box
from flowscope.layout.types import (
    Direction,
    LayoutEdge,
    LayoutGraph,
    LayoutNode,
    LayoutOptions,
    LayoutResult,
    NodeBox,
    Point,
)

__all__ = [
    "Direction",
    "LayoutEdge",
    "LayoutGraph",
    "LayoutNode",
    "LayoutOptions",
    "LayoutResult",
    "NodeBox",
    "Point",
    "clear_layout_cache",
    "layout_group",
    "segment_intersects_box",
]
