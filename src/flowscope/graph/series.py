"""Series: runs of numbered siblings drawn as one node that expands to its members.

* Op series (TensorBoard's rule): sibling ops of one op type whose names split as
  ``^(\\D*)(\\d+)$``; each run of consecutive numbers of at least ``min_size``
  members is a series ``prefix[first-last]``; a gap ends a run.
* Group series (new): sibling groups with one template whose names differ in one
  number (``layer_1`` ... ``layer_12``, ``BertLayer[0]`` ... ``BertLayer[11]``,
  ``conv4_block1`` ... ``conv4_block6``), again in consecutive runs of at least
  ``min_size``. A run is kept only if no path leads from one member to another
  through other siblings, so that collapsing it adds no cycle to the dataflow. Bigger runs win
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
    for child in group.children:
        if not isinstance(child, Group) or counts[child.template] < min_size:
            continue
        label = child.label
        for match in NUMBER.finditer(label):
            key = (child.template, label[: match.start()], label[match.end() :])
            by_key[key].append((int(match[0]), match[0], child))
    if not by_key:
        return []
    successors: dict[int, list[int]] = defaultdict(list)
    for s, d, _control in child_edges.get(group.id, ()):
        successors[s].append(d)
    runs = []
    for (_template, before, after), numbered in by_key.items():
        numbered.sort(key=lambda item: item[0])
        for run in _consecutive_runs(numbered, min_size):
            members = [m for _, _, m in run]
            if not _convex({m.id for m in members}, successors):
                continue
            first, last = run[0][1], run[-1][1]
            if before.endswith(".") and not after:
                before = before[:-1]  # torch's module paths: layers.0 ... layers.7
            bracketed = before.endswith("[") and after.startswith("]")
            middle = f"{first}-{last}" if bracketed else f"[{first}-{last}]"
            runs.append((before + middle + after, members, "group"))
    return runs


def _convex(members: set[int], successors: dict[int, list[int]]) -> bool:
    """True if no path leads from one member through non-members to another member
    (collapsing the members then creates no cycle that was not there)."""
    for start in members:
        frontier = [d for d in successors.get(start, ()) if d not in members]
        seen = set(frontier)
        while frontier:
            for d in successors.get(frontier.pop(), ()):
                if d in members:
                    if d != start:
                        return False
                elif d not in seen:
                    seen.add(d)
                    frontier.append(d)
    return True
