"""Node data overlays: per-node values (latency, memory, FLOPs, a quantisation error)
from a JSON document keyed by node name, colouring the nodes like step stats do.

The document is ``{"name": ..., "aggregate": "sum" | "max" | "mean", "values": {...}}``
or just the ``values`` mapping. A value is a number, or ``{"value": number}`` as Model
Explorer's node data files hold it. Keys are op names (as drawn, or as in the source
file); a group's value is the aggregate of the values of its ops.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from flowscope.graph.hierarchy import Hierarchy

AGGREGATES = ("sum", "max", "mean")


class NodeData:
    """Values joined to the leaves of a hierarchy (NaN where a leaf has none)."""

    def __init__(self, h: Hierarchy, document: Any) -> None:
        if isinstance(document, (str, bytes)):
            try:
                document = json.loads(document)
            except ValueError as error:
                raise ValueError(f"node data is not JSON ({error})") from None
        if not isinstance(document, dict):
            raise ValueError("node data must be a JSON object keyed by node name")  # noqa: TRY004
        values = document.get("values", document)
        self.name = str(document.get("name", "node data")) if "values" in document else "node data"
        self.aggregate = str(document.get("aggregate", "sum")) if "values" in document else "sum"
        if self.aggregate not in AGGREGATES or not isinstance(values, dict):
            raise ValueError(f"node data: aggregate must be one of {AGGREGATES}, values an object")
        by_name = dict(h.leaf_of_op)
        by_name.update((leaf.op.original_name, leaf) for leaf in h.leaves if leaf.op.original_name)
        self.values = np.full(len(h.leaves), np.nan)
        self.unmatched: list[str] = []
        for key, raw in values.items():
            value = raw.get("value") if isinstance(raw, dict) else raw
            leaf = by_name.get(key)
            if leaf is None or not isinstance(value, (int, float)) or not math.isfinite(value):
                self.unmatched.append(key)
                continue
            self.values[leaf.pos] = float(value)
        self.matched = int(np.isfinite(self.values).sum())
        if not self.matched:
            raise ValueError("node data: no key names an op of this graph")

    def value(self, ranges: Iterable[tuple[int, int]]) -> float | None:
        """The aggregate over the leaves in the ``[lo, hi)`` ranges (None without data)."""
        parts = [self.values[lo:hi] for lo, hi in ranges if hi > lo]
        if not parts:
            return None
        found = np.concatenate(parts)
        found = found[np.isfinite(found)]
        if not len(found):
            return None
        if self.aggregate == "max":
            return float(found.max())
        return float(found.mean() if self.aggregate == "mean" else found.sum())

    @property
    def range(self) -> tuple[float, float]:
        found = self.values[np.isfinite(self.values)]
        return float(found.min()), float(found.max())
