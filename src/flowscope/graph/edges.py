"""Metaedges: base edges bundled between the children of a group.

A base edge belongs to the child graph of its endpoints' lowest common ancestor.
For a group drawn with some of its children gathered (series, artificial
sub-groups), each child is a *slot*; `bundle` aggregates the base edges touching
the group into metaedges between slots and bridge edges that cross the group's
border. Everything is vectorized over the edge arrays of the `Hierarchy`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flowscope.graph.hierarchy import Group, Hierarchy

MIN_WIDTH, MAX_WIDTH = 0.75, 12.0
SIZE_DOMAIN = (1.0, 5e6)
WIDTH_EXPONENT = 0.3


def edge_width(size: float, shapes_known: bool = True) -> float:
    """TensorBoard's stroke width: a clamped power scale (exponent 0.3) of the total size."""
    if not shapes_known or size <= 0:
        return MIN_WIDTH
    lo, hi = (v**WIDTH_EXPONENT for v in SIZE_DOMAIN)
    t = (min(max(size, SIZE_DOMAIN[0]), SIZE_DOMAIN[1]) ** WIDTH_EXPONENT - lo) / (hi - lo)
    return MIN_WIDTH + t * (MAX_WIDTH - MIN_WIDTH)


@dataclass(slots=True)
class Metaedge:
    """Bundled base edges between two slots of a group (``dst == -1``/``src == -1``: the
    group's border, for bridge edges)."""

    src: int
    dst: int
    data: int  # edges carrying tensors
    control: int  # control-only edges
    ref: int  # reference edges (a subset of ``data``)
    size: float  # total tensor elements
    tensors: int
    shape: str  # the shape label of the first tensor
    edges: np.ndarray  # indices of the base edges

    @property
    def count(self) -> int:
        return self.data + self.control

    @property
    def control_only(self) -> bool:
        return self.data == 0

    @property
    def label(self) -> str:
        if self.tensors > 1:
            return f"{self.tensors} tensors"
        return self.shape if self.tensors == 1 else ""

    def width(self, shapes_known: bool) -> float:
        return edge_width(self.size, shapes_known) if self.data else MIN_WIDTH


class EdgeIndex:
    """Per-group caches of the base edges touching the group and the children holding
    their ends."""

    def __init__(self, hierarchy: Hierarchy) -> None:
        self.h = hierarchy
        self._touching: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def touching(self, group: Group) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(edge indices, child id of the source end, child id of the target end) for the
        base edges with an end below ``group``; -1 for an end outside it."""
        cached = self._touching.get(group.id)
        if cached is not None:
            return cached
        h = self.h
        src_in = (h.edge_src >= group.lo) & (h.edge_src < group.hi)
        dst_in = (h.edge_dst >= group.lo) & (h.edge_dst < group.hi)
        idx = np.flatnonzero(src_in | dst_in)
        level = group.depth + 1  # children of a non-empty group sit at this depth
        src_child = np.where(src_in[idx], h.paths[h.edge_src[idx], level], -1)
        dst_child = np.where(dst_in[idx], h.paths[h.edge_dst[idx], level], -1)
        cached = (idx, src_child, dst_child)
        self._touching[group.id] = cached
        return cached

    def bundle(
        self, group: Group, slot_of: dict[int, int]
    ) -> tuple[list[Metaedge], list[Metaedge]]:
        """Metaedges between slots and bridge edges for the children of ``group`` that
        ``slot_of`` maps (child id -> slot). Edges inside one slot are left out."""
        idx, src_child, dst_child = self.touching(group)
        lookup = np.full(len(self.h.by_id) + 1, -1, dtype=np.int64)
        ids = np.fromiter(slot_of.keys(), dtype=np.int64, count=len(slot_of))
        lookup[ids] = np.fromiter(slot_of.values(), dtype=np.int64, count=len(slot_of))
        s = lookup[src_child]  # index -1 reads the final -1
        d = lookup[dst_child]
        inner = (s >= 0) & (d >= 0) & (s != d)
        bridge = (s >= 0) != (d >= 0)
        metaedges = self._aggregate(idx[inner], s[inner], d[inner])
        bridges = self._aggregate(idx[bridge], s[bridge], d[bridge])
        return metaedges, bridges

    def _aggregate(self, idx: np.ndarray, s: np.ndarray, d: np.ndarray) -> list[Metaedge]:
        if not len(idx):
            return []
        h = self.h
        span = int(max(s.max(), d.max())) + 2
        keys = (s + 1) * span + (d + 1)
        order = np.argsort(keys, kind="stable")
        keys, idx = keys[order], idx[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        control = h.edge_control[idx]
        sums = lambda values: np.add.reduceat(values, starts)
        n_control = sums(control.astype(np.int64))
        n_ref = sums(h.edge_ref[idx].astype(np.int64))
        size = sums(h.edge_size[idx])
        tensors = sums(h.edge_tensors[idx])
        ends = np.r_[starts[1:], len(idx)]
        result = []
        for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
            key = int(keys[a])
            data_edges = idx[a:b][~control[a:b]]
            result.append(
                Metaedge(
                    src=key // span - 1,
                    dst=key % span - 1,
                    data=(b - a) - int(n_control[k]),
                    control=int(n_control[k]),
                    ref=int(n_ref[k]),
                    size=float(size[k]),
                    tensors=int(tensors[k]),
                    shape=h.edge_label[int(data_edges[0])] if len(data_edges) else "",
                    edges=idx[a:b],
                )
            )
        return result


def lca_children(h: Hierarchy) -> tuple[np.ndarray, np.ndarray]:
    """For every base edge, the children of its endpoints' lowest common ancestor that
    hold its source and its target."""
    ps, pd = h.paths[h.edge_src], h.paths[h.edge_dst]
    first_difference = (ps != pd).argmax(axis=1)
    rows = np.arange(len(ps))
    return ps[rows, first_difference], pd[rows, first_difference]
