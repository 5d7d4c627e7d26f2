"""A view: the transformed graph plus what the user expanded, ungrouped and moved.

Each expanded node is laid out over its display children, children first: an
expanded child's size is its own layout's size. A layout is cached under its
node, the sizes of its children and the user's choices for them, so expanding a
node lays out that node and then only its ancestors (whose child sizes change);
everything else comes from the cache. Inside an expanded node, auxiliary nodes
go to an in-column on the left and an out-column on the right of the main graph;
bridge edges run from the node's border (bottom for inputs, top for outputs,
the flow being bottom-to-top) to the children they reach; control-only bridges
are left to the parent's dashed metaedge. When full bridges would cross too many
ranks (a tall group with many bridges, costly to lay out), each becomes a short
stub out of its child.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass, field

from flowscope.graph.display import DisplayNode
from flowscope.graph.edges import Metaedge
from flowscope.graph.extraction import Annotation, Child, extract
from flowscope.graph.flat import SINK
from flowscope.graph.hierarchy import Group, Node, OpLeaf
from flowscope.graph.model import GraphModel
from flowscope.graph.node_data import NodeData
from flowscope.graph.suggest import unknown_node_message
from flowscope.layout.engine import layout_group
from flowscope.layout.types import LayoutEdge, LayoutGraph, LayoutNode, Point

CHAR_WIDTH, ANNOTATION_CHAR_WIDTH = 6.3, 5.4
OP_HEIGHT, GROUP_HEIGHT, ANNOTATION_HEIGHT = 20.0, 28.0, 12.0
OP_WIDTH_RANGE, GROUP_WIDTH_RANGE = (40.0, 180.0), (60.0, 220.0)
ANNOTATION_LINE, ANNOTATION_MAX_WIDTH = 14.0, 120.0
PADDING, HEADER, COLUMN_GAP = 10.0, 24.0, 20.0
CACHE_SIZE = 4096
IN_PORT, OUT_PORT = "\0in", "\0out"
BRIDGE_BUDGET = 2000  # rank crossings of all bridges above which bridges become stubs
STUB_LENGTH = 10.0


@dataclass(slots=True)
class Placed:
    """A child inside its parent's layout; ``x``, ``y`` is its box centre relative to the
    parent's top-left corner, ``width``/``height`` its box without annotations."""

    node: DisplayNode
    x: float
    y: float
    width: float
    height: float
    column: str
    in_annotations: list[Annotation]
    out_annotations: list[Annotation]


@dataclass(slots=True)
class PlacedEdge:
    """A metaedge (or bridge edge, whose border end is the parent itself) with its route."""

    metaedge: Metaedge
    source: str
    target: str
    route: tuple[Point, ...]
    hidden: str | None = None  # "extracted" | "control": drawn as annotations only
    bridge: bool = False
    stub: bool = False  # a bridge drawn as a short arrow out of its child


@dataclass(slots=True)
class GroupLayout:
    width: float
    height: float
    children: list[Placed] = field(default_factory=list)
    edges: list[PlacedEdge] = field(default_factory=list)


@dataclass(slots=True)
class SceneNode:
    """A visible node in absolute coordinates (box top-left ``x``, ``y``)."""

    placed: Placed
    parent: str
    x: float
    y: float
    expanded: bool


@dataclass(slots=True)
class SceneEdge:
    edge: PlacedEdge
    parent: str
    route: tuple[Point, ...]


@dataclass
class Scene:
    width: float
    height: float
    nodes: list[SceneNode]
    edges: list[SceneEdge]


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def collapsed_size(node: DisplayNode) -> tuple[float, float]:
    if node.kind == "op":
        return _clamp(len(node.label) * CHAR_WIDTH + 16, OP_WIDTH_RANGE), OP_HEIGHT
    return _clamp(len(node.label) * CHAR_WIDTH + 24, GROUP_WIDTH_RANGE), GROUP_HEIGHT


def annotation_width(annotations: list[Annotation]) -> float:
    widths = (ANNOTATION_LINE + len(a.label) * ANNOTATION_CHAR_WIDTH for a in annotations)
    return min(max(widths, default=0.0), ANNOTATION_MAX_WIDTH)


class GraphView:
    """Expansion state and user choices over a `GraphModel`, with cached layouts."""

    def __init__(self, model: GraphModel) -> None:
        self.model = model
        self.expanded: set[str] = set()
        self.ungrouped: set[str] = set()
        self.choices: dict[str, str] = {}  # node name -> "include" | "exclude"
        self.node_data: NodeData | None = None  # values that colour the nodes, if loaded
        self._cache: OrderedDict[tuple, GroupLayout] = OrderedDict()
        self._current: dict[str, GroupLayout] = {}  # layouts of the last pass, by node
        self._structures: dict[tuple, tuple] = {}
        self.layouts_computed = 0

    # -- state ----------------------------------------------------------------------------

    def expand(self, name: str) -> None:
        """Expands ``name`` and every node on the way to it (an op's ancestors)."""
        path = self.display_path(name)
        self.expanded.update(n.name for n in path if n.expandable)

    def collapse(self, name: str) -> None:
        self.expanded.discard(name)

    def expand_all(self, max_depth: int | None = None) -> None:
        """Expands every group, series and chunk (down to ``max_depth`` levels)."""
        stack = [(self.model.tree.root(), 0)]
        while stack:
            node, depth = stack.pop()
            if node.expandable and (max_depth is None or depth <= max_depth):
                self.expanded.add(node.name)
                stack.extend((c, depth + 1) for c in self.children(node))

    def ungroup(self, series: str) -> None:
        if series not in self.model.series:
            raise KeyError(f"no series named {series!r}")
        self.ungrouped.add(series)

    def regroup(self, series: str) -> None:
        self.ungrouped.discard(series)

    def include(self, name: str) -> None:
        """Keeps ``name`` in the main graph of its parent, whatever extraction says."""
        self.choices[name] = "include"

    def exclude(self, name: str) -> None:
        """Moves ``name`` to an auxiliary column of its parent."""
        self.choices[name] = "exclude"

    def reset_choice(self, name: str) -> None:
        self.choices.pop(name, None)

    # -- display tree ---------------------------------------------------------------------

    def children(self, node: DisplayNode) -> list[DisplayNode]:
        return self.model.tree.children(node, self.ungrouped)

    def display_path(self, name: str) -> list[DisplayNode]:
        """Display nodes from the root down to the one named ``name``."""
        tree = self.model.tree
        target = tree.find(name)
        if target is None:
            names = [*self.model.hierarchy.nodes, *self.model.series]
            raise KeyError(unknown_node_message(name, names))
        wanted = self._covering_ids(target)
        path = [tree.root()]
        while path[-1].name != target.name:
            step = next(
                (
                    c
                    for c in self.children(path[-1])
                    if c.name == target.name or any(m.id in wanted for m in c.base_members())
                ),
                None,
            )
            if step is None:  # e.g. a series that is ungrouped: not on screen
                raise KeyError(f"{name!r} is not shown in the current view")
            path.append(step)
        return path

    def _covering_ids(self, target: DisplayNode) -> set[int]:
        """Ids of the hierarchy nodes whose display nodes lie on the way to ``target``."""
        ids: set[int] = set()
        for member in target.base_members():
            node: Node | None = member
            while node is not None:
                ids.add(node.id)
                node = node.parent
        return ids

    # -- layout ---------------------------------------------------------------------------

    def layout_of(self, node: DisplayNode) -> GroupLayout:
        """The layout of an expanded node's children (computed children first, cached)."""
        children = self.children(node)
        inner = [
            (self.layout_of(c) if c.name in self.expanded and c.expandable else None)
            for c in children
        ]
        key = (
            node.name,
            self.model.tree.relevant_ungrouped(node, self.ungrouped),
            tuple(
                (c.name, (lay.width, lay.height) if lay else None, self.choices.get(c.name))
                for c, lay in zip(children, inner)
            ),
        )
        result = self._cache.get(key)
        if result is not None:
            self._cache.move_to_end(key)
        else:
            result = self._compute(node, children, inner)
            self.layouts_computed += 1
            self._cache[key] = result
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        self._current[node.name] = result
        return result

    def _child_info(self, node: DisplayNode) -> Child:
        base = node.base
        noop = False
        constants: list[str] = []
        summaries: list[str] = []
        if isinstance(base, OpLeaf):
            noop = base.op.role == SINK
            constants, summaries = base.in_embedded, base.out_embedded
        elif isinstance(base, Group) and base.root_op is not None:
            noop = base.root_op.op.role == SINK
        return Child(node.name, node.label, noop, self.choices.get(node.name), constants, summaries)

    def _structure(self, node: DisplayNode, children: list[DisplayNode]):
        """Metaedges, bridges and extraction of ``node``'s children: they depend on the
        children and the user's choices for them, not on sizes, so expanding a child
        reuses them."""
        infos = [self._child_info(c) for c in children]
        key = (node.name, tuple(c.name for c in children), tuple(i.choice for i in infos))
        found = self._structures.get(key)
        if found is None:
            if node.group is None:
                raise ValueError(f"{node.name} has no child graph")
            slot_of = {m.id: k for k, c in enumerate(children) for m in c.base_members()}
            metaedges, bridges = self.model.edges.bundle(node.group, slot_of)
            found = (metaedges, bridges, extract(infos, metaedges))
            self._structures[key] = found
            if len(self._structures) > CACHE_SIZE:
                self._structures.pop(next(iter(self._structures)))
        return found

    def _compute(
        self, node: DisplayNode, children: list[DisplayNode], inner: list[GroupLayout | None]
    ) -> GroupLayout:
        metaedges, bridges, found = self._structure(node, children)
        sizes = [
            (lay.width, lay.height) if lay else collapsed_size(c) for c, lay in zip(children, inner)
        ]
        outer = []
        for k, (w, h) in enumerate(sizes):
            side = max(
                annotation_width(found.in_annotations[k]),
                annotation_width(found.out_annotations[k]),
            )
            rows = max(len(found.in_annotations[k]), len(found.out_annotations[k]))
            outer.append((w + 2 * side, max(h, rows * ANNOTATION_HEIGHT)))

        main = [k for k in range(len(children)) if found.column[k] == "main"]
        drawn = [(i, e) for i, e in enumerate(metaedges) if i not in found.hidden]
        shown_bridges = [
            (i, b)
            for i, b in enumerate(bridges)
            if b.data and found.column[max(b.src, b.dst)] == "main"
        ]
        shown = {i for i, _ in shown_bridges}
        result = None
        if main:
            result = layout_group(self._main_graph(main, outer, drawn, []))
            if shown_bridges and _bridge_spans(result, main, shown_bridges) <= BRIDGE_BUDGET:
                result = layout_group(self._main_graph(main, outer, drawn, shown_bridges))

        in_col = [k for k in range(len(children)) if found.column[k] == "in"]
        out_col = [k for k in range(len(children)) if found.column[k] == "out"]
        col_width = lambda ks: max((outer[k][0] for k in ks), default=0.0)
        in_w, out_w = col_width(in_col), col_width(out_col)
        main_w = result.width if result else 0.0
        main_h = result.height if result else 0.0
        main_x = PADDING + (in_w + COLUMN_GAP if in_col else 0.0)
        centres: dict[int, tuple[float, float]] = {}
        if result:
            for k in main:
                box = result.nodes[str(k)]
                centres[k] = (main_x + box.x, HEADER + box.y)
        heights = [
            self._stack(in_col, outer, PADDING + in_w / 2, centres),
            self._stack(out_col, outer, main_x + main_w + COLUMN_GAP + out_w / 2, centres),
        ]
        label_w = collapsed_size(node)[0]
        width = max(
            main_x + main_w + (COLUMN_GAP + out_w if out_col else 0.0) + PADDING,
            label_w + 2 * PADDING,
        )
        height = HEADER + max(main_h, *heights) + PADDING

        placed = [
            Placed(
                c,
                *centres[k],
                *sizes[k],
                found.column[k],
                found.in_annotations[k],
                found.out_annotations[k],
            )
            for k, c in enumerate(children)
        ]
        edges = []
        offset = (main_x, HEADER)
        for i, e in enumerate(metaedges):
            route: tuple[Point, ...] = ()
            if result and i not in found.hidden:
                route = self._snap(result.edges[f"e{i}"], offset, placed[e.src], placed[e.dst])
            edges.append(
                PlacedEdge(
                    e, children[e.src].name, children[e.dst].name, route, found.hidden.get(i)
                )
            )
        for i, b in enumerate(bridges):
            inside = placed[max(b.src, b.dst)]
            route = ()
            stub = False
            if i in shown and (result is None or f"b{i}" not in result.edges):
                route, stub = _stub(inside, incoming=b.src < 0), True
            elif result and f"b{i}" in result.edges:
                points = self._snap(
                    result.edges[f"b{i}"],
                    offset,
                    placed[b.src] if b.src >= 0 else None,
                    placed[b.dst] if b.dst >= 0 else None,
                )
                border = (points[0][0], height) if b.src < 0 else (points[-1][0], 0.0)
                route = (border, *points) if b.src < 0 else (*points, border)
            src = children[b.src].name if b.src >= 0 else node.name
            dst = children[b.dst].name if b.dst >= 0 else node.name
            hidden = None if route else ("control" if b.control_only else "extracted")
            edges.append(PlacedEdge(b, src, dst, route, hidden, bridge=True, stub=stub))
        return GroupLayout(width, height, placed, edges)

    @staticmethod
    def _main_graph(main, outer, drawn, bridges) -> LayoutGraph:
        nodes = [LayoutNode(str(k), *outer[k]) for k in main]
        edges = [LayoutEdge(f"e{i}", str(e.src), str(e.dst), 1.0 + e.count**0.5) for i, e in drawn]
        ins = [(i, b) for i, b in bridges if b.src < 0]
        outs = [(i, b) for i, b in bridges if b.dst < 0]
        if ins:  # a port below every source carries the bridges from the border
            has_input = {e.dst for _, e in drawn}
            nodes.append(LayoutNode(IN_PORT, 0.0, 0.0))
            edges += [LayoutEdge(f"b{i}", IN_PORT, str(b.dst)) for i, b in ins]
            edges += [
                LayoutEdge(f"p{k}", IN_PORT, str(k), 0.01) for k in main if k not in has_input
            ]
        if outs:  # and a port above every sink carries the bridges to the border
            has_output = {e.src for _, e in drawn}
            nodes.append(LayoutNode(OUT_PORT, 0.0, 0.0))
            edges += [LayoutEdge(f"b{i}", str(b.src), OUT_PORT) for i, b in outs]
            edges += [
                LayoutEdge(f"q{k}", str(k), OUT_PORT, 0.01) for k in main if k not in has_output
            ]
        return LayoutGraph(tuple(nodes), tuple(edges))

    @staticmethod
    def _stack(column: list[int], outer, x: float, centres: dict) -> float:
        """Stacks a column's nodes top-down from the header; returns its height."""
        y = HEADER
        for k in column:
            h = outer[k][1]
            centres[k] = (x, y + h / 2)
            y += h + 2 * ANNOTATION_HEIGHT
        return y - HEADER

    @staticmethod
    def _snap(route, offset, source: Placed | None, target: Placed | None) -> tuple[Point, ...]:
        """Shifts a route into the parent's frame and brings its ends from the outer box
        (with annotations) to the node's own box, straight along the route's end."""
        points = [(x + offset[0], y + offset[1]) for x, y in route]
        for index, end in ((0, source), (-1, target)):
            if end is not None and points:
                x, y = points[index]
                side = 1.0 if y > end.y else -1.0
                points[index] = (x, end.y + side * end.height / 2)
        return tuple(points)

    # -- scene ----------------------------------------------------------------------------

    def scene(self) -> Scene:
        """Every visible node and edge in absolute coordinates."""
        root = self.model.tree.root()
        self._current = {}
        layout = self.layout_of(root)
        nodes: list[SceneNode] = []
        edges: list[SceneEdge] = []
        stack = [(root, layout, 0.0, 0.0)]
        while stack:
            parent, lay, ox, oy = stack.pop()
            for p in lay.children:
                expanded = p.node.name in self.expanded and p.node.expandable
                x, y = ox + p.x - p.width / 2, oy + p.y - p.height / 2
                nodes.append(SceneNode(p, parent.name, x, y, expanded))
                if expanded:
                    stack.append((p.node, self._current[p.node.name], x, y))
            for e in lay.edges:
                edges.append(SceneEdge(e, parent.name, tuple((ox + a, oy + b) for a, b in e.route)))
        return Scene(layout.width, layout.height, nodes, edges)


def _bridge_spans(result, main: list[int], bridges: list[tuple[int, Metaedge]]) -> int:
    """How many ranks full bridge edges would cross in ``result`` (laid out without them):
    y grows downwards and inputs enter at the bottom, outputs leave at the top."""
    levels = sorted({box.y for box in result.nodes.values()})
    level = {k: bisect_left(levels, result.nodes[str(k)].y) for k in main}
    bottom = len(levels) - 1
    return sum(bottom - level[b.dst] if b.src < 0 else level[b.src] for _, b in bridges)


def _stub(inside: Placed, incoming: bool) -> tuple[Point, ...]:
    """A short arrow into the bottom (inputs) or out of the top (outputs) of a child."""
    x = inside.x + min(8.0, inside.width / 4)
    if incoming:
        bottom = inside.y + inside.height / 2
        return ((x, bottom + STUB_LENGTH), (x, bottom))
    top = inside.y - inside.height / 2
    return ((x, top), (x, top - STUB_LENGTH))
