"""Data overlays: compute time and memory from RunMetadata step stats, devices, XLA clusters.

Per op, over all its executions on all devices: memory is the largest sum of the
positive ``total_bytes`` of one execution's allocators, and compute time runs from
the earliest start to the latest ``all_start_micros + all_end_rel_micros``. A group
sums its ops' memory and spans from its earliest start to its latest end.
"""

from __future__ import annotations

import colorsys
from collections import Counter
from collections.abc import Iterable

import numpy as np

from flowscope.graph.hierarchy import Hierarchy, Node, OpLeaf
from flowscope.proto.run_metadata_pb2 import RunMetadata

NO_DATA_COLOUR = "#ffffff"


class Overlays:
    """Step stats joined to the leaves of a hierarchy."""

    def __init__(self, h: Hierarchy, metadata: RunMetadata | None) -> None:
        n = len(h.leaves)
        self.start = np.full(n, np.inf)
        self.end = np.full(n, -np.inf)
        self.memory = np.zeros(n)
        self.matched = 0
        if metadata is not None:
            self._join(h, metadata)
        self.memory_prefix = np.r_[0.0, np.cumsum(self.memory)]

    def _join(self, h: Hierarchy, metadata: RunMetadata) -> None:
        by_name = dict(h.leaf_of_op)
        by_name.update((leaf.op.original_name, leaf) for leaf in h.leaves if leaf.op.original_name)
        for device in metadata.step_stats.dev_stats:
            for stats in device.node_stats:
                leaf = by_name.get(stats.node_name) or by_name.get(stats.node_name.split(":")[0])
                if leaf is None:
                    continue
                start = stats.all_start_micros
                end = start + stats.all_end_rel_micros
                memory = sum(m.total_bytes for m in stats.memory if m.total_bytes > 0)
                k = leaf.pos
                self.start[k] = min(self.start[k], start)
                self.end[k] = max(self.end[k], end)
                self.memory[k] = max(self.memory[k], memory)
        self.matched = int(np.isfinite(self.start).sum())

    @property
    def available(self) -> bool:
        return self.matched > 0

    def stats(self, ranges: Iterable[tuple[int, int]]) -> dict[str, float]:
        """Compute time (µs) and memory (bytes) of the leaves in the ``[lo, hi)`` ranges."""
        start, end, memory = np.inf, -np.inf, 0.0
        for lo, hi in ranges:
            if hi > lo:
                start = min(start, float(self.start[lo:hi].min()))
                end = max(end, float(self.end[lo:hi].max()))
                memory += float(self.memory_prefix[hi] - self.memory_prefix[lo])
        if not np.isfinite(start):
            return {}
        return {"compute_time_us": end - start, "memory_bytes": memory}


def leaf_ranges(nodes: Iterable[Node]) -> list[tuple[int, int]]:
    return [(n.pos, n.pos + 1) if isinstance(n, OpLeaf) else (n.lo, n.hi) for n in nodes]


def histogram(nodes: Iterable[Node], which: str) -> Counter[str]:
    """Device (``which="device"``) or XLA-cluster (``"xla"``) counts over ``nodes``."""
    total: Counter[str] = Counter()
    for node in nodes:
        if isinstance(node, OpLeaf):
            value = node.op.device if which == "device" else node.op.xla_cluster
            if value:
                total[value] += 1
        else:
            total.update(node.device_hist if which == "device" else node.xla_hist)
    return total


def category_colour(index: int) -> str:
    """Distinct saturated colours for devices and clusters (golden-angle hues)."""
    r, g, b = colorsys.hls_to_rgb((index * 0.618033988749895 + 0.1) % 1, 0.6, 0.65)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def scale_colour(value: float, maximum: float) -> str:
    """White to orange-red by ``value / maximum`` (TensorBoard's compute/memory scale)."""
    if maximum <= 0:
        return NO_DATA_COLOUR
    t = max(0.0, min(1.0, value / maximum))
    low, high = (0xFF, 0xF5, 0xEB), (0xD9, 0x48, 0x01)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high))
