"""Output of a laid-out view: the JSON form (see ``docs/graph-json.md``), SVG and DOT."""

from __future__ import annotations

from html import escape

from flowscope.graph.display import DisplayNode
from flowscope.graph.hierarchy import Group, OpLeaf
from flowscope.graph.overlays import (
    NO_DATA_COLOUR,
    category_colour,
    histogram,
    leaf_ranges,
    scale_colour,
)
from flowscope.graph.view import ANNOTATION_HEIGHT, HEADER, GraphView, Scene, SceneNode

JSON_VERSION = 1
COLOUR_MODES = ("structure", "device", "xla", "compute_time", "memory", "node_data")
OP_FILL = "#ffffff"
EXPANDED_FILL = "#fafafa"
EDGE_COLOUR, REF_COLOUR = "#9e9e9e", "#e8710a"


def node_stats(view: GraphView, node: DisplayNode) -> dict:
    """Op count, device and XLA histograms, and step-stats figures of a display node."""
    members = node.base_members()
    model = view.model
    stats: dict = {
        "op_count": sum(1 if isinstance(m, OpLeaf) else m.op_count for m in members),
        "devices": dict(histogram(members, "device").most_common()),
        "xla_clusters": dict(histogram(members, "xla").most_common()),
    }
    if model.overlays.available:
        stats.update(model.overlays.stats(leaf_ranges(members)))
    if view.node_data is not None:
        stats["node_data"] = view.node_data.value(leaf_ranges(members))
    return stats


def _template(node: DisplayNode) -> int | None:
    if isinstance(node.base, Group):
        return node.base.template
    if node.series is not None and node.series.kind == "group":
        return node.series.template
    return None


class Colours:
    """Fill colours of nodes under one colour mode."""

    def __init__(self, view: GraphView, mode: str) -> None:
        if mode not in COLOUR_MODES:
            raise ValueError(f"colour mode must be one of {COLOUR_MODES}, not {mode!r}")
        self.view, self.mode = view, mode
        h = view.model.hierarchy
        which = "device" if mode == "device" else "xla"
        self.categories = {
            name: category_colour(k)
            for k, name in enumerate(
                sorted(h.root.device_hist if which == "device" else h.root.xla_hist)
            )
        }
        overlays = view.model.overlays
        self.maximum = 0.0
        if mode in ("compute_time", "memory") and overlays.available:
            key = "compute_time_us" if mode == "compute_time" else "memory_bytes"
            self.maximum = overlays.stats([(0, len(h.leaves))]).get(key, 0.0)
        data = view.node_data
        if mode == "node_data" and data is not None:
            whole = data.value([(0, len(h.leaves))]) if data.aggregate == "sum" else None
            self.maximum = whole if whole is not None else data.range[1]

    def fill(self, node: DisplayNode, stats: dict) -> str:
        if self.mode == "structure":
            template = _template(node)
            if template is not None:
                return self.view.model.template_colour(template)
            return OP_FILL if node.kind == "op" else self.view.model.template_colour(-1)
        if self.mode in ("device", "xla"):
            counts = stats["devices" if self.mode == "device" else "xla_clusters"]
            top = next(iter(counts), "")
            return self.categories.get(top, NO_DATA_COLOUR)
        if self.mode == "node_data":
            value = stats.get("node_data")
            return NO_DATA_COLOUR if value is None else scale_colour(value, self.maximum)
        key = "compute_time_us" if self.mode == "compute_time" else "memory_bytes"
        return scale_colour(stats.get(key, 0.0), self.maximum)


def to_json(view: GraphView, colour_by: str = "structure") -> dict:
    """The documented JSON form of the current view."""
    scene = view.scene()
    colours = Colours(view, colour_by)
    model = view.model
    nodes = []
    for item in scene.nodes:
        p = item.placed
        node = p.node
        stats = node_stats(view, node)
        entry = {
            "name": node.name,
            "kind": node.kind,
            "label": node.label,
            "op": node.base.op.op if isinstance(node.base, OpLeaf) else None,
            "parent": item.parent,
            "expanded": item.expanded,
            "column": p.column,
            "x": round(item.x, 2),
            "y": round(item.y, 2),
            "width": round(p.width, 2),
            "height": round(p.height, 2),
            "template": _template(node),
            "colour": colours.fill(node, stats),
            "stats": stats,
            "annotations": {
                side: [
                    {"kind": a.kind, "node": a.node, "label": a.label, "control": a.control}
                    for a in annotations
                ]
                for side, annotations in (("in", p.in_annotations), ("out", p.out_annotations))
            },
        }
        if node.kind in ("series", "chunk"):
            entry["members"] = len(node.items)
        nodes.append(entry)
    edges = []
    for k, scene_edge in enumerate(scene.edges):
        e = scene_edge.edge
        m = e.metaedge
        edges.append(
            {
                "id": f"{scene_edge.parent}:{k}",
                "parent": scene_edge.parent,
                "source": e.source,
                "target": e.target,
                "bridge": e.bridge,
                "count": m.count,
                "data": m.data,
                "control": m.control,
                "reference": m.ref,
                "size": m.size,
                "label": m.label,
                "width": round(m.width(model.hierarchy.shapes_known), 3),
                "control_only": m.control_only,
                "hidden": e.hidden,
                "route": [[round(x, 2), round(y, 2)] for x, y in scene_edge.route],
            }
        )
    return {
        "version": JSON_VERSION,
        "width": round(scene.width, 2),
        "height": round(scene.height, 2),
        "colour_by": colour_by,
        "nodes": nodes,
        "edges": edges,
    }


def _text(
    x: float, y: float, text: str, size: float = 11, anchor: str = "middle", colour: str = "#333"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}" dominant-baseline="central">{escape(text)}</text>'
    )


def _fit(text: str, width: float, char_width: float) -> str:
    room = max(int(width / char_width), 2)
    return text if len(text) <= room else text[: room - 1] + "…"


def _node_svg(item: SceneNode, fill: str) -> list[str]:
    p, x, y = item.placed, item.x, item.y
    w, h = p.width, p.height
    node = p.node
    out = []
    if item.expanded:
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
            f'fill="{EXPANDED_FILL}" stroke="{fill if fill != OP_FILL else "#bdbdbd"}" '
            f'stroke-width="1.5"/>'
        )
        out.append(_text(x + 8, y + HEADER / 2, _fit(node.label, w - 16, 6.3), 11, "start", "#555"))
    elif node.kind == "op":
        out.append(
            f'<ellipse cx="{x + w / 2:.1f}" cy="{y + h / 2:.1f}" rx="{w / 2:.1f}" '
            f'ry="{h / 2:.1f}" fill="{fill}" stroke="#757575"/>'
        )
        out.append(_text(x + w / 2, y + h / 2, _fit(node.label, w - 8, 6.3), 10))
    else:
        if node.kind == "series":
            for shift in (6, 3):
                out.append(
                    f'<rect x="{x + shift:.1f}" y="{y - shift:.1f}" width="{w:.1f}" '
                    f'height="{h:.1f}" rx="5" fill="{fill}" stroke="#9e9e9e"/>'
                )
        dash = ' stroke-dasharray="4,3"' if node.kind == "chunk" else ""
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="5" '
            f'fill="{fill}" stroke="#757575"{dash}/>'
        )
        out.append(_text(x + w / 2, y + h / 2, _fit(node.label, w - 10, 6.3), 11))
    for side, notes in ((-1, p.in_annotations), (1, p.out_annotations)):
        top = y + h / 2 - (len(notes) - 1) * ANNOTATION_HEIGHT / 2
        edge_x = x if side < 0 else x + w
        for k, a in enumerate(notes):
            ay = top + k * ANNOTATION_HEIGHT
            dash = ' stroke-dasharray="2,2"' if a.control else ""
            if a.kind != "elided":
                out.append(
                    f'<line x1="{edge_x:.1f}" y1="{y + h / 2:.1f}" '
                    f'x2="{edge_x + side * 10:.1f}" y2="{ay:.1f}" stroke="#bbb"{dash}/>'
                )
            out.append(
                _text(edge_x + side * 12, ay, a.label, 8, "end" if side < 0 else "start", "#777")
            )
    return out


def to_svg(view: GraphView, colour_by: str = "structure") -> str:
    """The current view as a standalone SVG document."""
    scene: Scene = view.scene()
    colours = Colours(view, colour_by)
    shapes_known = view.model.hierarchy.shapes_known
    margin = 10
    width, height = scene.width + 2 * margin, scene.height + 2 * margin
    header = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="{-margin} {-margin} {width:.0f} {height:.0f}" '
        'font-family="Helvetica, Arial, sans-serif">'
    )
    markers = (
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE_COLOUR}"/>'
        '</marker><marker id="ref" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path d="M10,0 L0,5 L10,10 z" fill="{REF_COLOUR}"/>'
        "</marker></defs>"
    )
    background = f'<rect x="{-margin}" y="{-margin}" width="100%" height="100%" fill="white"/>'
    parts = [header, markers, background]
    for item in scene.nodes:  # parents come before their children
        if item.expanded:
            parts += _node_svg(
                item, colours.fill(item.placed.node, node_stats(view, item.placed.node))
            )
    for scene_edge in scene.edges:
        e = scene_edge.edge
        if e.hidden or len(scene_edge.route) < 2:
            continue
        m = e.metaedge
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in scene_edge.route)
        colour = REF_COLOUR if m.ref else EDGE_COLOUR
        dash = ' stroke-dasharray="4,3"' if m.control_only else ""
        start = ' marker-start="url(#ref)"' if m.ref else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="{m.width(shapes_known):.2f}"{dash}{start} marker-end="url(#arrow)"/>'
        )
        if m.label and not e.bridge:
            (x0, y0), (x1, y1) = (
                scene_edge.route[len(scene_edge.route) // 2 - 1],
                scene_edge.route[len(scene_edge.route) // 2],
            )
            parts.append(_text((x0 + x1) / 2 + 4, (y0 + y1) / 2, m.label, 8, "start", "#888"))
    for item in scene.nodes:
        if not item.expanded:
            parts += _node_svg(
                item, colours.fill(item.placed.node, node_stats(view, item.placed.node))
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _dot_id(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(view: GraphView) -> str:
    """The current view as Graphviz DOT: expanded nodes as clusters, positions as ``pos``
    (points, y up) so that ``neato -n`` keeps this layout."""
    scene = view.scene()
    children: dict[str, list[SceneNode]] = {}
    for item in scene.nodes:
        children.setdefault(item.parent, []).append(item)
    anchor: dict[str, str] = {}  # expanded node -> a visible node inside it

    def anchor_of(name: str) -> str:
        while name in anchor:
            name = anchor[name]
        return name

    lines = [
        "digraph G {",
        "  compound=true; rankdir=BT;",
        '  node [shape=box, style="rounded,filled"];',
    ]

    def emit(parent: str, indent: str) -> None:
        for item in children.get(parent, []):
            node = item.placed.node
            if item.expanded:
                inner = children.get(node.name, [])
                if inner:
                    anchor[node.name] = inner[0].placed.node.name
                lines.append(f"{indent}subgraph {_dot_id('cluster_' + node.name)} {{")
                lines.append(f"{indent}  label={_dot_id(node.label)};")
                emit(node.name, indent + "  ")
                if not inner:
                    lines.append(f"{indent}  {_dot_id(node.name)} [label={_dot_id(node.label)}];")
                lines.append(f"{indent}}}")
            else:
                cx, cy = (
                    item.x + item.placed.width / 2,
                    scene.height - item.y - item.placed.height / 2,
                )
                shape = "ellipse" if node.kind == "op" else "box"
                lines.append(
                    f"{indent}{_dot_id(node.name)} [label={_dot_id(node.label)}, "
                    f'shape={shape}, pos="{cx:.1f},{cy:.1f}"];'
                )

    emit("", "  ")
    expanded = {item.placed.node.name for item in scene.nodes if item.expanded}
    for scene_edge in scene.edges:
        e = scene_edge.edge
        if e.hidden or e.bridge:
            continue
        attrs = []
        if e.source in expanded:
            attrs.append(f"ltail={_dot_id('cluster_' + e.source)}")
        if e.target in expanded:
            attrs.append(f"lhead={_dot_id('cluster_' + e.target)}")
        if e.metaedge.label:
            attrs.append(f"label={_dot_id(e.metaedge.label)}")
        if e.metaedge.control_only:
            attrs.append("style=dashed")
        attr_text = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(
            f"  {_dot_id(anchor_of(e.source))} -> {_dot_id(anchor_of(e.target))}{attr_text};"
        )
    lines.append("}")
    return "\n".join(lines)
