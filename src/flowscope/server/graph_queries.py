"""What the graph routes compute on a loaded graph: the view with its legend, node info,
search, and the transitive inputs of a node. Callers hold the entry's lock."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from flowscope.graph import Graph
from flowscope.graph.display import DisplayNode
from flowscope.graph.flat import attr_text, shape_label
from flowscope.graph.hierarchy import Group, OpLeaf
from flowscope.graph.overlays import NO_DATA_COLOUR, leaf_ranges, scale_colour
from flowscope.graph.render import Colours, node_stats
from flowscope.graph.templates import UNIQUE_COLOUR
from flowscope.server.graph_store import Entry

ATTR_TEXT_LIMIT = 160
EDGE_LIST_LIMIT = 40
SEARCH_LIMIT = 30
LEGEND_ITEMS = 24
HIDDEN_ATTRS = frozenset({"_output_shapes"})  # shown with the outputs instead


@dataclass
class ViewState:
    """What the user expanded, ungrouped, moved, and the colour mode."""

    expanded: list[str] = field(default_factory=list)
    ungrouped: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    colour: str = "structure"
    depth: int | None = None  # expand exactly this many levels, replacing ``expanded``


def apply_state(graph: Graph, state: ViewState) -> None:
    """Sets the view state on ``graph``; names it does not know are ignored."""
    graph.expanded = set()
    if state.depth is not None:
        graph.expand_all(state.depth)
    else:
        graph.expanded.update(state.expanded)
    graph.ungrouped = {s for s in state.ungrouped if s in graph.model.series}
    graph.choices = {name: "exclude" for name in state.exclude}
    graph.choices.update((name, "include") for name in state.include)


def view(graph: Graph, state: ViewState) -> dict:
    """The documented view JSON, plus the legend, the effective expansion state and what
    the colour modes have to show."""
    body = graph.to_json(state.colour)
    model = graph.model
    h = model.hierarchy
    body["legend"] = legend(graph, body)
    body["expanded"] = sorted(graph.expanded - {""})
    body["ungrouped"] = sorted(graph.ungrouped)
    body["available"] = {
        "device": bool(h.root.device_hist),
        "xla": bool(h.root.xla_hist),
        "compute_time": model.overlays.available,
        "memory": model.overlays.available,
        "node_data": graph.node_data is not None,
    }
    body["op_count"] = len(h.leaves)
    return body


def legend(graph: Graph, body: dict) -> dict:
    """``{mode, items: [{label, colour}], scale, note}`` for the view's colour mode."""
    mode = body["colour_by"]
    model = graph.model
    items: list[dict] = []
    scale = None
    note = None
    if mode == "structure":
        first: dict[int, str] = {}  # template -> name of its first visible node
        for node in body["nodes"]:
            template = node["template"]
            if template is not None and template in model.template_colours:
                first.setdefault(template, node["name"])
        names = unique_suffixes(list(first.values()))
        for template, name in list(first.items())[:LEGEND_ITEMS]:
            count = len(model.templates.get(template, ()))
            items.append(
                {"label": f"{names[name]} (×{count})", "colour": model.template_colours[template]}
            )
        if len(first) > LEGEND_ITEMS:
            note = f"and {len(first) - LEGEND_ITEMS} more repeated structures; "
        note = (note or "") + "groups of one colour have the same inner structure"
        items.append({"label": "unique group", "colour": UNIQUE_COLOUR})
        items.append({"label": "op", "colour": NO_DATA_COLOUR})
    elif mode in ("device", "xla"):
        counts = (
            model.hierarchy.root.device_hist if mode == "device" else model.hierarchy.root.xla_hist
        )
        colours = Colours(graph, mode).categories
        for name, count in sorted(counts.items(), key=lambda kv: -kv[1])[:LEGEND_ITEMS]:
            items.append({"label": f"{name} ({count} ops)", "colour": colours[name]})
        if counts:
            items.append({"label": "none", "colour": NO_DATA_COLOUR})
        else:
            note = (
                "no device placement in this graph"
                if mode == "device"
                else ("no XLA clusters in this graph")
            )
    else:
        maximum = Colours(graph, mode).maximum
        units = {"compute_time": "us", "memory": "bytes"}
        data = graph.node_data
        if maximum > 0:
            scale = {
                "low": scale_colour(0, maximum),
                "high": scale_colour(maximum, maximum),
                "max": maximum,
                "unit": units.get(mode) or (data.name if data else ""),
            }
        elif mode == "node_data":
            note = "no node data loaded: load a JSON of values keyed by node name"
        else:
            note = "no step stats (RunMetadata) for this graph"
    return {"mode": mode, "items": items, "scale": scale, "note": note}


def unique_suffixes(names: list[str]) -> dict[str, str]:
    """Each name's shortest ending of whole path segments that no other name shares."""
    parts = {name: name.split("/") for name in names}
    result = {}
    for name, segments in parts.items():
        for k in range(1, len(segments) + 1):
            suffix = "/".join(segments[-k:])
            if not any(o != name and "/".join(p[-k:]) == suffix for o, p in parts.items()):
                break
        result[name] = suffix if k in (1, len(segments)) else "…/" + suffix
    return result


def find_node(graph: Graph, name: str) -> DisplayNode:
    """The display node ``name``; builds the view first, for chunks (made on demand)."""
    node = graph.model.tree.find(name)
    if node is None:
        graph.scene()
        node = graph.model.tree.find(name)
    if node is None:
        raise KeyError(name)
    return node


def _attr_text(value: object) -> str:
    text = attr_text(value)
    return text if len(text) <= ATTR_TEXT_LIMIT else text[: ATTR_TEXT_LIMIT - 1] + "…"


def _consumers(graph: Graph) -> dict[str, list]:
    by_source: dict[str, list] = {}
    for edge in graph.model.flat.edges:
        by_source.setdefault(edge.src, []).append(edge)
    return by_source


def _op_entry(graph: Graph, op_name: str, shape: str, control: bool, count: int = 1) -> dict:
    """One input or output: the op, its drawn node (None for a folded Const) and the shape."""
    h = graph.model.hierarchy
    leaf = h.leaf_of_op.get(op_name)
    op = graph.model.flat.nodes.get(op_name)
    return {
        "name": op_name,
        "node": leaf.name if leaf is not None else None,
        "op": op.op if op is not None else None,
        "shape": shape,
        "control": control,
        "count": count,
    }


def _op_edges(entry: Entry, leaf: OpLeaf) -> tuple[list[dict], list[dict]]:
    graph = entry.graph
    nodes = graph.model.flat.nodes
    inputs = []
    for src, output, control, _ in leaf.op.inputs:
        shapes = nodes[src].output_shapes if src in nodes else []
        shape = shape_label(shapes[output]) if 0 <= output < len(shapes) else ""
        inputs.append(_op_entry(graph, src, shape, control))
    outputs = []
    for edge in entry.index("consumers", _consumers).get(leaf.op.name, []):
        shapes = graph.model.flat.shape_of(edge)
        shape = (
            shape_label(shapes[0])
            if len(shapes) == 1
            else (f"{len(shapes)} tensors" if shapes else "")
        )
        outputs.append(_op_entry(graph, edge.dst, shape, edge.control))
    return inputs, outputs


def _boundary_edges(graph: Graph, node: DisplayNode) -> tuple[list[dict], list[dict], int, int]:
    """Base edges crossing the border of a group, series or chunk, by op outside."""
    h = graph.model.hierarchy
    inside = np.zeros(len(h.leaves), dtype=bool)
    for lo, hi in leaf_ranges(node.base_members()):
        inside[lo:hi] = True
    src_in, dst_in = inside[h.edge_src], inside[h.edge_dst]
    found = []
    for crossing, outside in ((~src_in & dst_in, h.edge_src), (src_in & ~dst_in, h.edge_dst)):
        grouped: dict[int, list[int]] = {}
        for k in np.flatnonzero(crossing).tolist():
            grouped.setdefault(int(outside[k]), []).append(k)
        entries = []
        for pos, ks in list(grouped.items())[:EDGE_LIST_LIMIT]:
            labels = {h.edge_label[k] for k in ks}
            shape = labels.pop() if len(labels) == 1 else f"{len(ks)} tensors"
            control = bool(h.edge_control[ks].all())
            entries.append(_op_entry(graph, h.leaves[pos].op.name, shape, control, len(ks)))
        found.append((entries, len(grouped)))
    (inputs, n_in), (outputs, n_out) = found
    return inputs, outputs, n_in, n_out


def node_info(entry: Entry, name: str) -> dict:
    """Everything the info panel shows about the display node ``name``."""
    graph = entry.graph
    node = find_node(graph, name)
    model = graph.model
    base = node.base
    info: dict = {
        "name": node.name,
        "kind": node.kind,
        "label": node.label,
        "op": None,
        "device": None,
        "attrs": [],
        "stats": node_stats(graph, node),
        "choice": graph.choices.get(node.name),
        "template": None,
        "template_groups": 0,
        "series": None,
        "constants": [],
        "summaries": [],
        "function": None,
    }
    if isinstance(base, OpLeaf):
        op = base.op
        info.update(op=op.op, device=op.device or None, function=op.function or None)
        info["attrs"] = [
            {"key": key, "value": _attr_text(op.attr[key])}
            for key in sorted(op.attr)
            if key not in HIDDEN_ATTRS
        ]
        info["constants"], info["summaries"] = list(base.in_embedded), list(base.out_embedded)
        inputs, outputs = _op_edges(entry, base)
        info.update(inputs=inputs, outputs=outputs)
        info.update(inputs_total=len(inputs), outputs_total=len(outputs))
    else:
        inputs, outputs, n_in, n_out = _boundary_edges(graph, node)
        info.update(inputs=inputs, outputs=outputs, inputs_total=n_in, outputs_total=n_out)
        info["children"] = len(graph.children(node))
        devices = info["stats"]["devices"]
        info["device"] = next(iter(devices), None)
    if isinstance(base, Group):
        info["template"] = base.template
        info["template_groups"] = len(model.templates.get(base.template, ()))
    if node.kind == "series":
        info["series"] = {"name": node.name, "grouped": node.name not in graph.ungrouped}
        info["members"] = len(node.items)
    elif base is not None:
        series = model.tree.series_of.get(base.id)
        if series is not None and series.name in graph.ungrouped:
            info["series"] = {"name": series.name, "grouped": False}
    if node.kind == "chunk":
        info["members"] = len(node.items)
    return info


SEPARATORS = re.compile(r"[_\-\s.]+")
REGEX_SYNTAX = re.compile(r"[\\^$.|?*+()\[\]{}]")


def _loose(text: str) -> str:
    """Lower case without separators: ``Mixed_6`` and ``mixed6`` read the same."""
    return SEPARATORS.sub("", text.lower())


def name_matcher(query: str) -> Callable[[str], bool]:
    """Whether a name matches ``query``, ignoring case: a regex, or plain text (also when
    it is not a valid regex) that also matches whatever its words are joined by."""
    plain = not REGEX_SYNTAX.search(query)
    try:
        pattern = re.compile(query, re.IGNORECASE)
    except re.error:
        pattern, plain = re.compile(re.escape(query), re.IGNORECASE), True
    loose = _loose(query)
    if not plain or not loose:
        return lambda name: pattern.search(name) is not None
    return lambda name: pattern.search(name) is not None or loose in _loose(name)


def search(graph: Graph, query: str, limit: int = SEARCH_LIMIT) -> dict:
    """Nodes whose name matches ``query`` (see `name_matcher`), best first, each with the
    nodes to expand to show it."""
    matches = name_matcher(query)
    names = [n for n in graph.model.hierarchy.nodes if n and matches(n)]
    names += [n for n in graph.model.series if matches(n)]
    lowered = query.lower()

    def rank(name: str) -> tuple:
        label = name.rpartition("/")[2].lower()
        return (label != lowered, not label.startswith(lowered), name.count("/"), len(name))

    names.sort(key=rank)
    hits: list[dict] = []
    for name in names:
        if len(hits) == limit:
            break
        try:
            path = graph.display_path(name)
        except KeyError:  # e.g. inside a series the user ungrouped: shown as itself
            continue
        node = path[-1]
        hits.append(
            {
                "name": name,
                "kind": node.kind,
                "op": node.base.op.op if isinstance(node.base, OpLeaf) else None,
                "expand": [p.name for p in path[1:-1] if p.expandable],
                "target": node.name,
            }
        )
    return {"query": query, "total": len(names), "hits": hits}


def _input_lists(graph: Graph) -> list[list[int]]:
    h = graph.model.hierarchy
    inputs: list[list[int]] = [[] for _ in h.leaves]
    for src, dst in zip(h.edge_src.tolist(), h.edge_dst.tolist()):
        inputs[dst].append(src)
    return inputs


def trace_inputs(entry: Entry, name: str) -> dict:
    """The visible nodes holding an op that ``name`` depends on, through data and
    control edges (``name`` itself included)."""
    graph = entry.graph
    node = find_node(graph, name)
    h = graph.model.hierarchy
    inputs = entry.index("inputs", _input_lists)
    start = [p for lo, hi in leaf_ranges(node.base_members()) for p in range(lo, hi)]
    seen = np.zeros(len(h.leaves), dtype=bool)
    seen[start] = True
    queue = deque(start)
    while queue:
        for src in inputs[queue.popleft()]:
            if not seen[src]:
                seen[src] = True
                queue.append(src)
    traced = np.flatnonzero(seen)
    ids = set(np.unique(h.paths[traced]).tolist()) - {-1}
    scene = graph.scene()
    shown = [
        item.placed.node.name
        for item in scene.nodes
        if any(m.id in ids for m in item.placed.node.base_members())
    ]
    return {"name": node.name, "ops": len(traced) - len(start), "nodes": shown}
