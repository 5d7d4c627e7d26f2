"""Auxiliary nodes: which children of an expanded group leave the main graph.

Applied to each expanded group's child graph in TensorBoard's order:

1. nodes the user excluded: out-column if out-degree > in-degree, else in-column;
2. NoOp ops and groups whose root op is a NoOp: out-column;
3. with at least 15 unpinned nodes left, high-degree nodes by the quartile rule
   (degree = distinct neighbours over data edges, or over control edges for a node
   that has only those; ``Q1``, ``Q3`` at sorted positions round(n/4), round(3n/4);
   in-degree above ``max(Q3 + (Q3 - Q1), 4)``: in-column; out-degree above
   ``max(Q3 + 4 (Q3 - Q1), 4)``: out-column);
4. a node with more than 4 control edges has them all turned into annotations;
5. unpinned nodes left without edges go to the column on the side of their
   annotations, when these are on one side only.

Every edge of an extracted node is hidden and leaves a proxy annotation at both
ends. A node the user included stays in the main graph through every step.
Annotations are capped at 5 per side, then "... N more".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flowscope.graph.edges import Metaedge

MIN_NODES_FOR_DEGREE_RULE = 15
MIN_DEGREE_BOUND = 4
MAX_CONTROL_EDGES = 4
MAX_ANNOTATIONS = 5


@dataclass(slots=True)
class Annotation:
    """A small label beside a node: ``kind`` is constant, summary, shortcut or elided."""

    kind: str
    node: str  # the node it stands for ("" when elided)
    label: str
    control: bool = False


@dataclass(slots=True)
class Child:
    """What extraction needs to know about one child of the group."""

    name: str
    label: str
    noop: bool = False
    choice: str | None = None  # "include" | "exclude" | None
    constants: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    column: list[str]  # per child: "main", "in" or "out"
    hidden: dict[int, str]  # metaedge index -> "extracted" | "control"
    in_annotations: list[list[Annotation]]
    out_annotations: list[list[Annotation]]


def _round_half_up(x: float) -> int:
    return int(x + 0.5)


def extract(children: list[Child], edges: list[Metaedge]) -> Extraction:
    n = len(children)
    column = ["main"] * n
    pinned = [c.choice == "include" for c in children]

    def degrees(active: list[bool]) -> tuple[list[int], list[int]]:
        """In/out-degree as distinct neighbours: data edges, or control if only those."""
        ins, outs = [[0, 0] for _ in range(n)], [[0, 0] for _ in range(n)]
        for e in edges:
            if active[e.src] and active[e.dst]:
                ins[e.dst][0 if e.data else 1] += 1
                outs[e.src][0 if e.data else 1] += 1
        pick = lambda d: d[0] or d[1]
        return [pick(d) for d in ins], [pick(d) for d in outs]

    everything = [True] * n
    in_deg, out_deg = degrees(everything)
    for k, child in enumerate(children):
        if child.choice == "exclude":
            column[k] = "out" if out_deg[k] > in_deg[k] else "in"
        elif child.noop and not pinned[k]:
            column[k] = "out"

    core = [c == "main" for c in column]
    candidates = [k for k in range(n) if core[k] and not pinned[k]]
    if len(candidates) >= MIN_NODES_FOR_DEGREE_RULE:
        in_deg, out_deg = degrees(core)
        in_bound = _bound([in_deg[k] for k in candidates], 1)
        out_bound = _bound([out_deg[k] for k in candidates], 4)
        for k in candidates:
            if in_deg[k] > in_bound:
                column[k] = "in"
            elif out_deg[k] > out_bound:
                column[k] = "out"

    hidden: dict[int, str] = {}
    for i, e in enumerate(edges):
        if column[e.src] != "main" or column[e.dst] != "main":
            hidden[i] = "extracted"
    control_edges: dict[int, list[int]] = defaultdict(list)
    for i, e in enumerate(edges):
        if i not in hidden and not e.data:
            control_edges[e.src].append(i)
            control_edges[e.dst].append(i)
    for indices in control_edges.values():
        if len(indices) > MAX_CONTROL_EDGES:
            hidden.update((i, "control") for i in indices)

    ins: list[list[Annotation]] = [
        [Annotation("constant", name, name.rpartition("/")[2]) for name in c.constants]
        for c in children
    ]
    outs: list[list[Annotation]] = [
        [Annotation("summary", name, name.rpartition("/")[2]) for name in c.summaries]
        for c in children
    ]
    for i in hidden:
        e = edges[i]
        control = not e.data
        src, dst = children[e.src], children[e.dst]
        outs[e.src].append(Annotation("shortcut", dst.name, dst.label, control))
        ins[e.dst].append(Annotation("shortcut", src.name, src.label, control))

    connected = [False] * n
    for i, e in enumerate(edges):
        if i not in hidden:
            connected[e.src] = connected[e.dst] = True
    for k in range(n):
        if column[k] == "main" and not connected[k] and not pinned[k]:
            if outs[k] and not ins[k]:
                column[k] = "in"
            elif ins[k] and not outs[k]:
                column[k] = "out"
    return Extraction(column, hidden, [_cap(a) for a in ins], [_cap(a) for a in outs])


def _bound(values: list[int], iqr_factor: int) -> int:
    ordered = sorted(values)
    q1 = ordered[_round_half_up(0.25 * len(ordered))]
    q3 = ordered[_round_half_up(0.75 * len(ordered))]
    return max(q3 + iqr_factor * (q3 - q1), MIN_DEGREE_BOUND)


def _cap(annotations: list[Annotation]) -> list[Annotation]:
    if len(annotations) <= MAX_ANNOTATIONS:
        return annotations
    more = len(annotations) - MAX_ANNOTATIONS
    return annotations[:MAX_ANNOTATIONS] + [Annotation("elided", "", f"... {more} more")]
