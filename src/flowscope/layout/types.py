"""Input and output types of the layered layout.

Coordinates are in pixels with the origin at the top-left corner and y growing downwards (SVG).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from math import inf
from typing import Literal

Point = tuple[float, float]
Direction = Literal["TB", "BT"]


@dataclass(frozen=True, slots=True)
class LayoutNode:
    """A box to place. ``kind`` is the caller's tag; it does not affect the layout or the cache."""

    id: str
    width: float
    height: float
    kind: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class LayoutEdge:
    """A directed edge; ``id`` maps its route back to the caller. Heavier edges are kept shorter."""

    id: str
    source: str
    target: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class LayoutGraph:
    """One group to lay out: its direct children and the edges between them.

    Immutable and hashable, so equal graphs share one cached layout.
    """

    nodes: tuple[LayoutNode, ...]
    edges: tuple[LayoutEdge, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "nodes", tuple(self.nodes))
        object.__setattr__(self, "edges", tuple(self.edges))


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    """Layout parameters; the defaults are TensorBoard's (bottom-to-top, separations 5 / 25 / 5)."""

    direction: Direction = "BT"
    node_sep: float = 5.0
    rank_sep: float = 25.0
    edge_sep: float = 5.0
    aspect: float = 16 / 10  # width / height that packed components approach: a screen's

    def __post_init__(self) -> None:
        if self.direction not in ("TB", "BT"):
            raise ValueError(f"direction must be 'TB' or 'BT', not {self.direction!r}")
        if not (0 <= self.node_sep < inf and 0 <= self.edge_sep < inf and 0 < self.rank_sep < inf):
            raise ValueError("separations must be finite, node_sep and edge_sep >= 0, rank_sep > 0")
        if not 0 < self.aspect < inf:
            raise ValueError(f"aspect must be positive and finite, not {self.aspect!r}")


@dataclass(frozen=True, slots=True)
class NodeBox:
    """A placed node: center and size."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class LayoutResult:
    """A laid-out group; treat it as read-only (results are shared through the cache).

    ``edges`` maps every input edge id to its polyline, from the source's border to the target's
    border (empty for self-loops). ``reversed_edges`` holds the ids of edges drawn against the flow
    to break cycles. ``width`` and ``height`` bound every box and route point. ``parts`` is how
    many blocks were packed (connected components, and the grid of loose nodes).
    """

    nodes: Mapping[str, NodeBox]
    edges: Mapping[str, tuple[Point, ...]]
    width: float
    height: float
    reversed_edges: frozenset[str] = frozenset()
    parts: int = 1
