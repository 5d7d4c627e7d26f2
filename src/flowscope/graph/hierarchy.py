"""The hierarchy of name scopes: a root group, one group per scope prefix, ops as leaves.

Parameters and constants become in-annotations of their consumers and summary ops
out-annotations of their producers (by the role their importer gave them); they are
not leaves. An op ``A`` that also
has ops below it (``A/x``) is the leaf ``A/(A)`` of group ``A``, its root op.

Leaves are numbered in depth-first order so that every group covers the range
``[lo, hi)`` of leaf positions; `Hierarchy.paths` holds each leaf's chain of node ids
from the root, and the base edges live in numpy arrays over leaf positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np

from flowscope.graph.flat import (
    IN_ANNOTATION_ROLES,
    OUT_ANNOTATION_ROLES,
    FlatGraph,
    OpNode,
    shape_label,
    tensor_size,
)


@dataclass(slots=True, eq=False)
class NodeBase:
    """What op leaves and groups share. ``id`` indexes `Hierarchy.by_id`."""

    id: int
    name: str
    parent: Group | None
    depth: int = 0  # the root is at depth 0

    @property
    def label(self) -> str:
        return self.name.rpartition("/")[2] or self.name


@dataclass(slots=True, eq=False)
class OpLeaf(NodeBase):
    """An op; ``pos`` is its depth-first leaf position."""

    op: OpNode = None  # type: ignore[assignment]
    pos: int = -1
    in_embedded: list[str] = field(default_factory=list)  # const ops it reads
    out_embedded: list[str] = field(default_factory=list)  # summary ops reading it


@dataclass(slots=True, eq=False)
class Group(NodeBase):
    """A name scope (the root has the name ``""``)."""

    children: list[Node] = field(default_factory=list)
    height: int = 1  # levels of groups below, counting this one
    lo: int = 0
    hi: int = 0
    op_count: int = 0
    op_hist: dict[str, int] = field(default_factory=dict)  # op type -> ops below
    device_hist: dict[str, int] = field(default_factory=dict)
    xla_hist: dict[str, int] = field(default_factory=dict)
    root_op: OpLeaf | None = None
    template: int = -1  # set by `templates.assign_templates`


Node: TypeAlias = "OpLeaf | Group"  # a node of the hierarchy


class Hierarchy:
    """Groups, leaves and base edges of one flat graph."""

    def __init__(self, flat: FlatGraph) -> None:
        self.flat = flat
        self.root = Group(0, "", None)
        self.by_id: list[Node] = [self.root]
        self.nodes: dict[str, Node] = {"": self.root}
        self.leaf_of_op: dict[str, OpLeaf] = {}
        self.embedded: dict[str, str] = {}  # op name -> "in" | "out"
        self._build_tree()
        self.leaves: list[OpLeaf] = []
        self._number_leaves()
        self._summarize()
        self._build_edges()

    # -- tree -----------------------------------------------------------------------------

    def _build_tree(self) -> None:
        ops = []
        for node in self.flat.nodes.values():
            if node.role in IN_ANNOTATION_ROLES:
                self.embedded[node.name] = "in"
            elif node.role in OUT_ANNOTATION_ROLES:
                self.embedded[node.name] = "out"
            else:
                ops.append(node)
        scopes: set[str] = set()
        for node in ops:
            scope = node.name.rpartition("/")[0]
            while scope and scope not in scopes:
                scopes.add(scope)
                scope = scope.rpartition("/")[0]
        for node in ops:
            parent = self._group_of_scope(node.name.rpartition("/")[0])
            name = node.name
            if name in scopes:
                name = f"{name}/({name.rpartition('/')[2]})"
                group = self.nodes.get(node.name)
                if not isinstance(group, Group):
                    group = Group(len(self.by_id), node.name, parent, depth=parent.depth + 1)
                    self._add(group, parent)
                parent = group
            leaf = OpLeaf(len(self.by_id), name, parent, op=node, depth=parent.depth + 1)
            if name != node.name:
                parent.root_op = leaf
            self._add(leaf, parent)
            self.leaf_of_op[node.name] = leaf

    def _group_of_scope(self, scope: str) -> Group:
        """The group of ``scope``, created with its missing ancestors."""
        missing = []
        parent = self.root
        while scope:
            found = self.nodes.get(scope)
            if isinstance(found, Group):
                parent = found
                break
            missing.append(scope)
            scope = scope.rpartition("/")[0]
        for name in reversed(missing):
            group = Group(len(self.by_id), name, parent, depth=parent.depth + 1)
            self._add(group, parent)
            parent = group
        return parent

    def _add(self, node: Node, parent: Group) -> None:
        self.by_id.append(node)
        self.nodes[node.name] = node
        parent.children.append(node)

    def _number_leaves(self) -> None:
        stack: list[tuple[Group, int]] = [(self.root, 0)]
        self.root.lo = 0
        while stack:
            group, i = stack.pop()
            if i == len(group.children):
                group.hi = len(self.leaves)
                continue
            stack.append((group, i + 1))
            child = group.children[i]
            if isinstance(child, OpLeaf):
                child.pos = len(self.leaves)
                self.leaves.append(child)
            else:
                child.lo = len(self.leaves)
                stack.append((child, 0))

    def groups_bottom_up(self) -> list[Group]:
        """Groups ordered so that every group comes after all groups below it."""
        order = [g for g in self.by_id if isinstance(g, Group)]
        order.sort(key=lambda g: -g.depth)
        return order

    def _summarize(self) -> None:
        for group in self.groups_bottom_up():
            ops, devices, clusters = group.op_hist, group.device_hist, group.xla_hist
            for child in group.children:
                if isinstance(child, OpLeaf):
                    op = child.op
                    group.op_count += 1
                    ops[op.op] = ops.get(op.op, 0) + 1
                    if op.device:
                        devices[op.device] = devices.get(op.device, 0) + 1
                    if "_XlaCluster" in op.attr:
                        clusters[op.xla_cluster] = clusters.get(op.xla_cluster, 0) + 1
                else:
                    group.op_count += child.op_count
                    for mine, theirs in (
                        (ops, child.op_hist),
                        (devices, child.device_hist),
                        (clusters, child.xla_hist),
                    ):
                        for key, count in theirs.items():
                            mine[key] = mine.get(key, 0) + count
                    group.height = max(group.height, child.height + 1)

    # -- edges ----------------------------------------------------------------------------

    def _build_edges(self) -> None:
        """Base edges between leaves as arrays; edges touching embedded ops become
        annotations of their other end."""
        src, dst, control, ref, size, tensors, labels = [], [], [], [], [], [], []
        for edge in self.flat.edges:
            s = self.leaf_of_op.get(edge.src)
            d = self.leaf_of_op.get(edge.dst)
            if s is None or d is None:
                if d is not None:
                    d.in_embedded.append(edge.src)
                elif s is not None:
                    s.out_embedded.append(edge.dst)
                continue
            shapes = self.flat.shape_of(edge)
            src.append(s.pos)
            dst.append(d.pos)
            control.append(edge.control)
            ref.append(edge.ref)
            size.append(sum(tensor_size(x) for x in shapes) if shapes else 0)
            tensors.append(len(shapes))
            labels.append(shape_label(shapes[0]) if len(shapes) == 1 else "")
        self.edge_src = np.asarray(src, dtype=np.int64)
        self.edge_dst = np.asarray(dst, dtype=np.int64)
        self.edge_control = np.asarray(control, dtype=bool)
        self.edge_ref = np.asarray(ref, dtype=bool)
        self.edge_size = np.asarray(size, dtype=np.float64)
        self.edge_tensors = np.asarray(tensors, dtype=np.int64)
        self.edge_label = labels
        self.shapes_known = any(labels)
        parent = np.fromiter(
            (n.parent.id if n.parent else 0 for n in self.by_id), np.int64, len(self.by_id)
        )
        node = np.fromiter((leaf.id for leaf in self.leaves), np.int64, len(self.leaves))
        depth = np.fromiter((leaf.depth for leaf in self.leaves), np.int64, len(self.leaves))
        paths = np.full((len(self.leaves), int(depth.max(initial=0)) + 1), -1, dtype=np.int64)
        rows = np.arange(len(self.leaves))
        while len(rows):
            paths[rows, depth] = node
            keep = depth > 0
            rows, node, depth = rows[keep], parent[node[keep]], depth[keep] - 1
        self.paths = paths

    # -- queries --------------------------------------------------------------------------

    def group(self, name: str) -> Group:
        node = self.nodes.get(name)
        if not isinstance(node, Group):
            raise KeyError(f"no group named {name!r}")
        return node
