"""Series: runs of numbered siblings drawn as one node that expands to its members.

* Op series (TensorBoard's rule): sibling ops of one op type whose names split as
  ``^(\\D*)(\\d+)$``; each run of consecutive numbers of at least ``min_size``
  members is a series ``prefix[first-last]``; a gap ends a run.
* Group series (new): sibling groups with one template whose names differ in one
  number (``layer_1`` ... ``layer_12``, ``layers.0`` ... ``layers.11``, ``BertLayer[0]`` ...
  ``BertLayer[11]``, ``conv4_block1`` ... ``conv4_block6``), again in consecutive runs of at
  least ``min_size``. TensorFlow names repeats of a scope ``cond``, ``cond_1``, ``cond_2``...:
  the bare ``cond`` counts as number 0 of ``cond_N`` (the series ``cond, cond_[1-11]``). A run
  is kept only if collapsing it adds no cycle to the dataflow: a path from one member to another
  through other siblings is allowed only inside a cycle that is already there. Bigger runs win
  when runs share members.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from flowscope.graph.hierarchy import Group, Hierarchy, Node, OpLeaf

DEFAULT_MIN_SIZE = 5
OP_SERIES_NAME = re.compile(r"^(\D*)(\d+)$")
NUMBER = re.compile(r"\d+")


@dataclass(eq=False)
class Series:
    """A run of siblings shown as one node (``kind`` "op" or "group")."""

    name: str
    label: str
    parent: Group
    members: list[Node]
    kind: str
    op: str = ""  # the members' op type, for op series
    template: int = -1  # the members' template, for group series


def find_series(
    h: Hierarchy,
    child_edges: dict[int, list[tuple[int, int, bool]]],
    min_size: int = DEFAULT_MIN_SIZE,
) -> dict[str, Series]:
    """Every series of the hierarchy, by name."""
    found: dict[str, Series] = {}
    for group in (n for n in h.by_id if isinstance(n, Group)):
        if len(group.children) < min_size:
            continue
        runs = _op_runs(group, min_size) + _group_runs(group, child_edges, min_size)
        taken: set[int] = set()
        for label, members, kind in sorted(runs, key=lambda r: (-len(r[1]), r[1][0].id)):
            if any(m.id in taken for m in members):
                continue
            taken.update(m.id for m in members)
            name = f"{group.name}/{label}" if group.name else label
            while name in h.nodes or name in found:
                name += "'"
            first = members[0]
            found[name] = Series(
                name,
                label,
                group,
                sorted(members, key=lambda m: m.id),
                kind,
                op=first.op.op if isinstance(first, OpLeaf) else "",
                template=first.template if isinstance(first, Group) else -1,
            )
    return found


def _consecutive_runs(numbered: list[tuple[int, str, Node]], min_size: int):
    """Runs of consecutive numbers (sorted input) of at least ``min_size``."""
    run: list[tuple[int, str, Node]] = []
    for item in numbered:
        if run and item[0] != run[-1][0] + 1:
            if len(run) >= min_size:
                yield run
            run = []
        run.append(item)
    if len(run) >= min_size:
        yield run


def _op_runs(group: Group, min_size: int) -> list[tuple[str, list[Node], str]]:
    by_key: dict[tuple[str, str], list[tuple[int, str, Node]]] = defaultdict(list)
    for child in group.children:
        if isinstance(child, OpLeaf):
            match = OP_SERIES_NAME.match(child.label)
            if match:
                by_key[(child.op.op, match[1])].append((int(match[2]), match[2], child))
    runs = []
    for (_op, prefix), numbered in by_key.items():
        numbered.sort(key=lambda item: item[0])
        for run in _consecutive_runs(numbered, min_size):
            runs.append((f"{prefix}[{run[0][1]}-{run[-1][1]}]", [m for _, _, m in run], "op"))
    return runs


def _group_runs(group: Group, child_edges, min_size: int) -> list[tuple[str, list[Node], str]]:
    by_key: dict[tuple[int, str, str], list[tuple[int, str, Node]]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for child in group.children:
        if isinstance(child, Group):
            counts[child.template] += 1
    repeated = [
        c for c in group.children if isinstance(c, Group) and counts[c.template] >= min_size
    ]
    for child in repeated:
        label = child.label
        for match in NUMBER.finditer(label):
            key = (child.template, label[: match.start()], label[match.end() :])
            by_key[key].append((int(match[0]), match[0], child))
    if not by_key:
        return []
    _add_unnumbered_firsts(by_key, {(c.template, c.label): c for c in repeated})
    successors: dict[int, list[int]] = defaultdict(list)
    for s, d, _control in child_edges.get(group.id, ()):
        successors[s].append(d)
    component = _cycles(successors)
    runs = []
    for (_template, before, after), numbered in by_key.items():
        numbered.sort(key=lambda item: item[0])
        for run in _consecutive_runs(numbered, min_size):
            members = [m for _, _, m in run]
            if not _convex({m.id for m in members}, successors, component):
                continue
            runs.append((_run_label(before, after, run), members, "group"))
    return runs


def _add_unnumbered_firsts(
    by_key: dict[tuple[int, str, str], list[tuple[int, str, Node]]],
    by_label: dict[tuple[int, str], Group],
) -> None:
    """Puts ``cond`` as number 0 into the runs of ``cond_N`` of its template."""
    for (template, before, after), numbered in by_key.items():
        first = by_label.get((template, before[:-1]))
        if before.endswith("_") and not after and first and all(n for n, _, _ in numbered):
            numbered.append((0, "", first))


def _run_label(before: str, after: str, run: list[tuple[int, str, Node]]) -> str:
    """``layer_[1-6]``, ``BertLayer[0-11]``, or ``cond, cond_[1-11]`` when the first is bare."""
    first, last = run[0][1], run[-1][1]
    if not first:
        return f"{before[:-1]}, {before}[{run[1][1]}-{last}]"
    if before.endswith(".") and not after:
        before = before[:-1]  # torch's module paths: layers.0 ... layers.7 as layers[0-7]
    bracketed = before.endswith("[") and after.startswith("]")
    middle = f"{first}-{last}" if bracketed else f"[{first}-{last}]"
    return before + middle + after


def _cycles(successors: dict[int, list[int]]) -> dict[int, int]:
    """The strongly connected component of every node (Tarjan's algorithm, iterative)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    component: dict[int, int] = {}
    stack: list[int] = []
    for root in list(successors):
        if root in index:
            continue
        work = [(root, iter(successors.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    work.append((step, iter(successors.get(step, ()))))
                elif step not in component:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    component[member] = node
                    if member == node:
                        break
    return component


def _convex(members: set[int], successors: dict[int, list[int]], component: dict[int, int]) -> bool:
    """True if every path from one member through other siblings to another member runs
    through siblings that already lie on a cycle with a member (collapsing the members then
    adds no cycle where the flow did not already loop)."""
    predecessors: dict[int, list[int]] = defaultdict(list)
    for source, targets in successors.items():
        for target in targets:
            predecessors[target].append(source)
    after = _reach(members, successors)
    before = _reach(members, predecessors)
    looped = {component.get(m, m) for m in members}
    return all(component.get(n, n) in looped for n in after & before)


def _reach(members: set[int], neighbours: dict[int, list[int]]) -> set[int]:
    """The non-members reached from ``members`` through non-members."""
    seen: set[int] = set()
    frontier = [n for m in members for n in neighbours.get(m, ()) if n not in members]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        frontier.extend(n for n in neighbours.get(node, ()) if n not in members)
    return seen
