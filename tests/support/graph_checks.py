"""Invariants of a laid-out view, shared by the graph tests."""

from __future__ import annotations

from collections import Counter

from flowscope.graph.view import GraphView, Scene
from flowscope.layout.route import segment_intersects_box
from flowscope.layout.types import NodeBox

EPS = 1e-6


def _box(x: float, y: float, w: float, h: float) -> NodeBox:
    return NodeBox(x + w / 2, y + h / 2, w, h)


def overlapping_boxes(scene: Scene) -> list[tuple[str, str]]:
    """Pairs of sibling boxes that overlap, and children sticking out of their parent."""
    by_parent: dict[str, list] = {}
    for n in scene.nodes:
        by_parent.setdefault(n.parent, []).append(n)
    boxes = {n.placed.node.name: n for n in scene.nodes}
    bad = []
    for parent, items in by_parent.items():
        items = sorted(items, key=lambda n: n.x)
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if b.x >= a.x + a.placed.width - EPS:
                    break
                if a.y < b.y + b.placed.height - EPS and b.y < a.y + a.placed.height - EPS:
                    bad.append((a.placed.node.name, b.placed.node.name))
            if parent in boxes:
                p = boxes[parent]
                if (
                    a.x < p.x - EPS
                    or a.y < p.y - EPS
                    or a.x + a.placed.width > p.x + p.placed.width + EPS
                    or a.y + a.placed.height > p.y + p.placed.height + EPS
                ):
                    bad.append((parent, a.placed.node.name))
    return bad


def crossing_routes(scene: Scene) -> list[tuple[str, str]]:
    """(edge, box) pairs where a drawn route enters a sibling box other than its ends."""
    by_parent: dict[str, list] = {}
    for n in scene.nodes:
        by_parent.setdefault(n.parent, []).append(n)
    bad = []
    for item in scene.edges:
        e = item.edge
        if e.hidden:
            continue
        ends = {e.source, e.target}
        for n in by_parent.get(item.parent, []):
            name = n.placed.node.name
            if name in ends:
                continue
            box = _box(n.x, n.y, n.placed.width, n.placed.height)
            for a, b in zip(item.route, item.route[1:]):
                if segment_intersects_box(a, b, box, tolerance=0.01):
                    bad.append((f"{e.source}->{e.target}", name))
                    break
    return bad


def representation_errors(view: GraphView, scene: Scene) -> list[str]:
    """Every base edge must be counted exactly once by a non-bridge edge of the view at
    the level where its two ends first part, unless both ends sit in one collapsed node."""
    h = view.model.hierarchy
    counted = Counter()
    for item in scene.edges:
        if not item.edge.bridge:
            counted.update(item.edge.metaedge.edges.tolist())
    visible_parent = {n.placed.node.name: n.parent for n in scene.nodes}
    expanded = {n.placed.node.name for n in scene.nodes if n.expanded} | {""}
    shown_of = {}  # leaf position -> deepest visible display node
    for n in scene.nodes:
        if not n.expanded:
            for m in n.placed.node.base_members():
                lo, hi = (m.pos, m.pos + 1) if hasattr(m, "pos") else (m.lo, m.hi)
                for p in range(lo, hi):
                    shown_of[p] = n.placed.node.name
    errors = []
    for k, (s, d) in enumerate(zip(h.edge_src.tolist(), h.edge_dst.tolist())):
        a, b = shown_of.get(s), shown_of.get(d)
        expected = 0 if a == b else 1
        if a is None or b is None:
            errors.append(f"edge {k}: an end is not visible")
        elif counted[k] != expected:
            errors.append(f"edge {k} {a}->{b} counted {counted[k]} times, expected {expected}")
    del visible_parent, expanded
    return errors
