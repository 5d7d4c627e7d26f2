"""The display tree: the hierarchy as drawn, with series gathered and wide groups split.

A display node is an op, a group (``meta``), a series or an artificial sub-group
(``chunk``). A group's display children are its children with each grouped series
standing in for its members (at the first member's place); more than
``max_children`` of them are split in graph order into chunks of that size, so
that no single layout is huge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowscope.graph.hierarchy import Group, Hierarchy, Node, OpLeaf
from flowscope.graph.series import Series

MAX_CHILDREN = 1000


@dataclass(eq=False, slots=True)
class DisplayNode:
    """A node as drawn. ``base`` is the hierarchy node of ops and groups; ``group`` is
    the hierarchy group whose child graph holds this node's edges when expanded."""

    name: str
    kind: str  # "op" | "meta" | "series" | "chunk"
    label: str
    base: Node | None = None
    series: Series | None = None
    group: Group | None = None
    items: list[DisplayNode] = field(default_factory=list)  # children of series and chunks

    @property
    def expandable(self) -> bool:
        return self.kind != "op"

    def base_members(self) -> list[Node]:
        """The hierarchy nodes this display node covers (itself for ops and groups)."""
        if self.base is not None:
            return [self.base]
        return [m for item in self.items for m in item.base_members()]


class DisplayTree:
    """Builds display nodes on demand for a given set of ungrouped series."""

    def __init__(self, h: Hierarchy, series: dict[str, Series], max_children: int = MAX_CHILDREN):
        self.h = h
        self.series = series
        self.max_children = max_children
        self.series_of: dict[int, Series] = {m.id: s for s in series.values() for m in s.members}
        self.series_in: dict[int, list[Series]] = {}
        for s in series.values():
            self.series_in.setdefault(s.parent.id, []).append(s)
        self._children: dict[tuple[str, frozenset[str]], list[DisplayNode]] = {}
        self._nodes: dict[str, DisplayNode] = {}

    def of(self, node: Node) -> DisplayNode:
        """The display node of a hierarchy node."""
        shown = self._nodes.get(node.name)
        if shown is None:
            kind = "op" if isinstance(node, OpLeaf) else "meta"
            group = node if isinstance(node, Group) else node.parent
            shown = DisplayNode(node.name, kind, node.label, base=node, group=group)
            self._nodes[node.name] = shown
        return shown

    def of_series(self, series: Series) -> DisplayNode:
        shown = self._nodes.get(series.name)
        if shown is None:
            items = [self.of(m) for m in series.members]
            shown = DisplayNode(
                series.name, "series", series.label, series=series, group=series.parent, items=items
            )
            self._nodes[series.name] = shown
        return shown

    def root(self) -> DisplayNode:
        return self.of(self.h.root)

    def relevant_ungrouped(self, node: DisplayNode, ungrouped: set[str]) -> frozenset[str]:
        """The ungrouped series that change ``node``'s children."""
        if node.kind != "meta" or node.base is None:
            return frozenset()
        return frozenset(
            s.name for s in self.series_in.get(node.base.id, ()) if s.name in ungrouped
        )

    def children(self, node: DisplayNode, ungrouped: set[str]) -> list[DisplayNode]:
        """Display children of an expandable node."""
        key = (node.name, self.relevant_ungrouped(node, ungrouped))
        cached = self._children.get(key)
        if cached is not None:
            return cached
        if node.kind == "meta" and isinstance(node.base, Group):
            items: list[DisplayNode] = []
            placed: set[str] = set()
            for child in node.base.children:
                series = self.series_of.get(child.id)
                if series is None or series.name in key[1]:
                    items.append(self.of(child))
                elif series.name not in placed:
                    placed.add(series.name)
                    items.append(self.of_series(series))
        else:
            items = node.items
        if len(items) > self.max_children and node.kind != "chunk":
            items = self._chunks(node, items)
        self._children[key] = items
        return items

    def _chunks(self, parent: DisplayNode, items: list[DisplayNode]) -> list[DisplayNode]:
        """Splits ``items`` into chunks of at most `max_children`, nesting chunks as needed;
        a chunk is named by the range of original items it covers."""
        size = self.max_children
        spans = [(k, k + 1) for k in range(len(items))]
        while len(items) > size:
            grouped: list[DisplayNode] = []
            grouped_spans: list[tuple[int, int]] = []
            for k in range(0, len(items), size):
                part, first, last = (
                    items[k : k + size],
                    spans[k][0],
                    spans[min(k + size, len(items)) - 1][1],
                )
                name = f"{parent.name}/({first + 1}-{last})"
                while any(c.name == name for c in grouped):
                    name += "'"
                chunk = DisplayNode(
                    name,
                    "chunk",
                    f"{parts_label(part)} [{first + 1}-{last}]",
                    group=parent.group,
                    items=part,
                )
                self._nodes[name] = chunk
                grouped.append(chunk)
                grouped_spans.append((first, last))
            items, spans = grouped, grouped_spans
        return items

    def find(self, name: str) -> DisplayNode | None:
        """A display node already built, or the display node of a hierarchy node."""
        shown = self._nodes.get(name)
        if shown is not None:
            return shown
        if name in self.series:
            return self.of_series(self.series[name])
        node = self.h.nodes.get(name)
        return self.of(node) if node is not None else None


def parts_label(items: list[DisplayNode]) -> str:
    return f"{items[0].label} … {items[-1].label}" if len(items) > 1 else items[0].label
