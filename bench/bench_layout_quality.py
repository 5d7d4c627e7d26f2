"""Layout quality: flowscope's layout of every group against dagre's and Graphviz dot's.

    python bench/bench_layout_quality.py [--depths 0 1 2] [--dot-timeout 120]

For each committed real graph expanded to each depth, every group the view lays out (once, at
the first depth that shows it laid out so) is given,
with the same nodes, sizes and edges (the auxiliary columns left out, as flowscope lays them
out apart), to flowscope's ``layout_group``, to dagre (``node bench/dagre_layout.cjs``, dagre
from web/'s devDependencies, TensorBoard's settings) and to ``dot`` (Debian's graphviz), all
bottom to top with 5 px between nodes and 25 px between ranks. Measured per group:

* crossings: pairs of edge segments that cross, between edges that share no end (dot's splines
  are sampled, 4 points per Bézier piece);
* total edge length;
* aspect: width / height of the drawing;
* label overlaps: with a 30 x 9 px label at the middle of every edge, labels that overlap another
  label or a node other than their edge's ends (the naive placement, the same for every engine;
  flowscope's own placement, ``flowscope.graph.labels``, drops a label rather than overlap);
* time: the layout alone (dagre's in its process; dot's as the process's wall time).

Prints a Markdown table per graph and depth and the totals.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repo root: tests.support

import flowscope.graph.view as view_module
from flowscope.graph import Graph, load
from flowscope.graph.labels import point_along
from flowscope.layout import LayoutGraph, LayoutResult, layout_group
from tests.support.graphdefs import GRAPHS, REAL_GRAPHS

HIDDEN_EDGES = ("p", "q")  # flowscope's invisible edges that hang parts from a group's ports
LABEL = (30.0, 9.0)
CELL = 50.0
DPI = 72.0  # dot's points per inch

Point = tuple[float, float]
Segment = tuple[float, float, float, float, int]


@dataclass
class Drawing:
    """One engine's layout of one group: node boxes (centre, size) and edge polylines."""

    seconds: float
    width: float
    height: float
    nodes: dict[str, tuple[float, float, float, float]]
    edges: dict[str, list[Point]]


@dataclass
class Scores:
    crossings: int = 0
    length: float = 0.0
    aspect: float = 1.0
    label_overlaps: int = 0
    seconds: float = 0.0


@dataclass
class Group:
    graph: LayoutGraph
    aspect: float
    scores: dict[str, Scores] = field(default_factory=dict)


def groups_of(graph: Graph, depth: int) -> list[Group]:
    """The layout inputs of every group of ``graph`` expanded to ``depth`` (the last layout of
    each group: with its bridges, packed as the view packs it)."""
    seen: dict[LayoutGraph, Group] = {}
    last: list[Group] = []
    original = view_module.layout_group

    def recording(input_graph: LayoutGraph, **options: Any) -> LayoutResult:
        group = Group(input_graph, options.get("aspect", 1.6))
        last.append(group)
        return original(input_graph, **options)

    compute = view_module.GraphView._compute

    def computing(self: Graph, *args: Any) -> Any:
        before = len(last)
        result = compute(self, *args)
        if len(last) > before:
            group = last[-1]
            seen.setdefault(group.graph, group)
        return result

    view_module.layout_group = recording  # type: ignore[assignment]
    view_module.GraphView._compute = computing  # type: ignore[method-assign]
    try:
        graph.expanded = set()
        graph._cache.clear()
        graph.expand_all(depth)
        graph.scene()
    finally:
        view_module.layout_group = original
        view_module.GraphView._compute = compute  # type: ignore[method-assign]
    return [g for g in seen.values() if len(g.graph.nodes) >= 2]


def flowscope_drawing(group: Group) -> Drawing:
    start = time.perf_counter()
    result = layout_group(group.graph, aspect=group.aspect, cache=False)
    seconds = time.perf_counter() - start
    nodes = {k: (b.x, b.y, b.width, b.height) for k, b in result.nodes.items()}
    edges = {k: list(route) for k, route in result.edges.items()}
    return Drawing(seconds, result.width, result.height, nodes, edges)


def dagre_drawings(groups: list[Group]) -> list[Drawing]:
    payload = [
        {
            "nodes": [[n.id, n.width, n.height] for n in g.graph.nodes],
            "edges": [[e.id, e.source, e.target] for e in g.graph.edges if e.source != e.target],
        }
        for g in groups
    ]
    done = subprocess.run(
        ["node", str(ROOT / "bench" / "dagre_layout.cjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    drawings = []
    for g, out in zip(groups, json.loads(done.stdout)):
        sizes = {n.id: (n.width, n.height) for n in g.graph.nodes}
        nodes = {k: (x, y, *sizes[k]) for k, (x, y) in out["nodes"].items()}
        edges = {  # dagre gives NaN (null) where an edge meets a node of size zero
            k: [(p[0], p[1]) for p in points if None not in p] for k, points in out["edges"].items()
        }
        drawings.append(Drawing(out["seconds"], out["width"], out["height"], nodes, edges))
    return drawings


def dot_drawing(group: Group, timeout: float) -> Drawing | None:
    lines = ["digraph G {", "rankdir=BT; nodesep=0.07; ranksep=0.35; splines=true;"]
    lines.append('node [shape=box, fixedsize=true, label=""];')
    names = {n.id: f"n{k}" for k, n in enumerate(group.graph.nodes)}
    for n in group.graph.nodes:
        w, h = max(n.width, 0.01) / DPI, max(n.height, 0.01) / DPI
        lines.append(f"{names[n.id]} [width={w:.4f}, height={h:.4f}];")
    ids = {}
    for k, e in enumerate(group.graph.edges):
        if e.source != e.target:
            ids[k] = e.id
            lines.append(f"{names[e.source]} -> {names[e.target]} [id=e{k}];")
    lines.append("}")
    start = time.perf_counter()
    try:
        done = subprocess.run(
            ["dot", "-Tplain-ext"],
            input="\n".join(lines),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    seconds = time.perf_counter() - start
    back = {v: k for k, v in names.items()}
    nodes: dict[str, tuple[float, float, float, float]] = {}
    edges: dict[str, list[Point]] = {}
    height = width = 0.0
    edge_ids = iter(ids.values())
    for line in done.stdout.splitlines():
        parts = line.split()
        if parts[0] == "graph":
            width, height = float(parts[2]) * DPI, float(parts[3]) * DPI
        elif parts[0] == "node":
            x, y, w, h = (float(v) * DPI for v in parts[2:6])
            nodes[back[parts[1]]] = (x, height - y, w, h)
        elif parts[0] == "edge":
            count = int(parts[3])
            points = [
                (float(parts[4 + 2 * i]) * DPI, height - float(parts[5 + 2 * i]) * DPI)
                for i in range(count)
            ]
            edges[next(edge_ids)] = _sample_bezier(points)
    return Drawing(seconds, width, height, nodes, edges)


def _sample_bezier(points: list[Point]) -> list[Point]:
    out = [points[0]]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i : i + 4]
        for t in (0.25, 0.5, 0.75, 1.0):
            u = 1 - t
            out.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
                )
            )
    return out


def score(group: Group, drawing: Drawing) -> Scores:
    ends = {e.id: (e.source, e.target) for e in group.graph.edges}
    shown = {
        k: route
        for k, route in drawing.edges.items()
        if not k.startswith(HIDDEN_EDGES) and len(route) >= 2
    }
    length = sum(math.dist(a, b) for r in shown.values() for a, b in pairwise(r))
    aspect = drawing.width / drawing.height if drawing.height > 0 else 1.0
    return Scores(
        _crossings(shown, ends),
        length,
        aspect,
        _label_overlaps(shown, ends, drawing),
        drawing.seconds,
    )


def _bucketed(items: list[tuple[float, float, float, float]]) -> dict[tuple[int, int], list[int]]:
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x0, y0, x1, y1) in enumerate(items):
        for cx in range(math.floor(min(x0, x1) / CELL), math.floor(max(x0, x1) / CELL) + 1):
            for cy in range(math.floor(min(y0, y1) / CELL), math.floor(max(y0, y1) / CELL) + 1):
                cells[cx, cy].append(i)
    return cells


def _pairs(cells: dict[tuple[int, int], list[int]]) -> set[tuple[int, int]]:
    pairs = set()
    for members in cells.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                pairs.add((members[a], members[b]))
    return pairs


def _crossings(routes: dict[str, list[Point]], ends: dict[str, tuple[str, str]]) -> int:
    segments: list[Segment] = []
    owners: list[str] = []
    for k, route in routes.items():
        for a, b in pairwise(route):
            if a != b:
                segments.append((a[0], a[1], b[0], b[1], len(owners)))
                owners.append(k)
    cells = _bucketed([s[:4] for s in segments])
    count = 0
    for i, j in _pairs(cells):
        e, f = owners[i], owners[j]
        if e == f or set(ends.get(e, ())) & set(ends.get(f, ())):
            continue
        if _proper_cross(segments[i], segments[j]):
            count += 1
    return count


def _proper_cross(s: Segment, t: Segment) -> bool:
    def side(ax: float, ay: float, bx: float, by: float, px: float, py: float) -> float:
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax)

    d1 = side(s[0], s[1], s[2], s[3], t[0], t[1])
    d2 = side(s[0], s[1], s[2], s[3], t[2], t[3])
    d3 = side(t[0], t[1], t[2], t[3], s[0], s[1])
    d4 = side(t[0], t[1], t[2], t[3], s[2], s[3])
    eps = 1e-9
    return ((d1 > eps and d2 < -eps) or (d1 < -eps and d2 > eps)) and (
        (d3 > eps and d4 < -eps) or (d3 < -eps and d4 > eps)
    )


def _label_overlaps(
    routes: dict[str, list[Point]], ends: dict[str, tuple[str, str]], drawing: Drawing
) -> int:
    boxes: list[tuple[float, float, float, float]] = []
    owner: list[str] = []
    for name, (x, y, w, h) in drawing.nodes.items():
        if w > 0 and h > 0:
            boxes.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
            owner.append("node:" + name)
    first_label = len(boxes)
    for k, route in routes.items():
        x, y = point_along(route, 0.5)
        w, h = LABEL
        boxes.append((x + 3, y - h / 2, x + 3 + w, y + h / 2))
        owner.append(k)
    bad: set[int] = set()
    for i, j in _pairs(_bucketed(boxes)):
        if max(i, j) < first_label:
            continue
        a, b = boxes[i], boxes[j]
        if not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]):
            continue
        label, other = (i, j) if i >= first_label else (j, i)
        if other < first_label and owner[other][5:] in ends.get(owner[label], ()):
            continue
        bad.add(label)
        if other >= first_label:
            bad.add(other)
    return len(bad)


ENGINES = ("flowscope", "dagre", "dot")


def run(depths: list[int], dot_timeout: float, report: Callable[[str], None]) -> None:
    totals = {e: Scores() for e in ENGINES}
    wins = ties = compared = dot_missing = 0
    report(
        "| graph | depth | groups | crossings flowscope / dagre / dot | groups with fewer or equal "
        "(fewer) crossings than dagre | edge length flowscope / dagre / dot | median aspect | "
        "label overlaps | time flowscope / dagre / dot |"
    )
    report("|---|---|---|---|---|---|---|---|---|")
    done: set[LayoutGraph] = set()  # a group laid out alike at two depths is counted once
    for source in REAL_GRAPHS:
        graph = load(str(GRAPHS / source))
        for depth in depths:
            groups = [g for g in groups_of(graph, depth) if g.graph not in done]
            done.update(g.graph for g in groups)
            if not groups:
                continue
            for g, d in zip(groups, dagre_drawings(groups)):
                g.scores["dagre"] = score(g, d)
                g.scores["flowscope"] = score(g, flowscope_drawing(g))
                drawn = dot_drawing(g, dot_timeout)
                if drawn is None:
                    dot_missing += 1
                else:
                    g.scores["dot"] = score(g, drawn)
            row = {e: Scores() for e in ENGINES}
            aspects: dict[str, list[float]] = {e: [] for e in ENGINES}
            for g in groups:
                for e, s in g.scores.items():
                    r = row[e]
                    r.crossings += s.crossings
                    r.length += s.length
                    r.label_overlaps += s.label_overlaps
                    r.seconds += s.seconds
                    aspects[e].append(s.aspect)
                f, d = g.scores["flowscope"].crossings, g.scores["dagre"].crossings
                compared += 1
                wins += f < d
                ties += f == d
            better = sum(
                g.scores["flowscope"].crossings <= g.scores["dagre"].crossings for g in groups
            )
            fewer = sum(
                g.scores["flowscope"].crossings < g.scores["dagre"].crossings for g in groups
            )
            medians = [sorted(a)[len(a) // 2] if a else float("nan") for a in aspects.values()]
            report(
                f"| {source} | {depth} | {len(groups)} | "
                + " / ".join(str(row[e].crossings) for e in ENGINES)
                + f" | {better} ({fewer}) | "
                + " / ".join(f"{row[e].length / 1000:.0f}K" for e in ENGINES)
                + " | "
                + " / ".join(f"{m:.2f}" for m in medians)
                + " | "
                + " / ".join(str(row[e].label_overlaps) for e in ENGINES)
                + " | "
                + " / ".join(f"{row[e].seconds:.2f} s" for e in ENGINES)
                + " |"
            )
            for e in ENGINES:
                totals[e].crossings += row[e].crossings
                totals[e].length += row[e].length
                totals[e].label_overlaps += row[e].label_overlaps
                totals[e].seconds += row[e].seconds
    report("")
    report(
        f"groups compared: {compared}; flowscope has fewer crossings than dagre on {wins}, as "
        f"many on {ties} ({100 * (wins + ties) / max(compared, 1):.0f}% fewer or equal); dot "
        f"timed out on {dot_missing}"
    )
    for e in ENGINES:
        t = totals[e]
        report(
            f"{e}: {t.crossings} crossings, edge length {t.length / 1000:.0f}K px, "
            f"{t.label_overlaps} label overlaps, {t.seconds:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depths", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--dot-timeout", type=float, default=120.0)
    args = parser.parse_args()
    run(args.depths, args.dot_timeout, print)


if __name__ == "__main__":
    main()
