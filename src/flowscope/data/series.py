"""Storage for the points of one tag: compact scalar columns and capped reservoirs."""

from __future__ import annotations

import math
import random
from array import array
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import numpy as np


class ScalarSeries:
    """All points of a scalar tag as three compact columns (step, wall time, value).

    Steps are 32-bit until one does not fit, and values 32-bit unless written as
    doubles, so a point takes 16 bytes.
    """

    __slots__ = ("steps", "values", "wall_times")

    def __init__(self, double: bool = False) -> None:
        self.steps = array("i")
        self.wall_times = array("d")
        self.values = array("d" if double else "f")

    def __len__(self) -> int:
        return len(self.steps)

    def append(self, step: int, wall_time: float, value: float) -> None:
        self.append_step(step)
        self.wall_times.append(wall_time)
        self.values.append(value)

    def append_step(self, step: int) -> None:
        try:
            self.steps.append(step)
        except OverflowError:
            self.steps = array("q", self.steps)
            self.steps.append(step)

    def promote_to_double(self) -> None:
        if self.values.typecode == "f":
            self.values = array("d", self.values)

    def purge(self, step: int) -> int:
        """Drops every point with ``step >= step``; returns how many were dropped."""
        steps = np.frombuffer(self.steps, dtype=np.dtype(self.steps.typecode)) if self.steps else np.empty(0, np.int64)
        keep = steps < step
        dropped = int(len(steps) - keep.sum())
        del steps
        if dropped:
            self.steps = _filtered(self.steps, keep)
            self.wall_times = _filtered(self.wall_times, keep)
            self.values = _filtered(self.values, keep)
        return dropped

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Copies of (steps int64, wall_times float64, values float32|float64)."""
        return (
            np.array(self.steps, dtype=np.int64),
            np.array(self.wall_times, dtype=np.float64),
            np.array(self.values, dtype=np.float32 if self.values.typecode == "f" else np.float64),
        )

    def last(self) -> tuple[int, float, float] | None:
        if not self.steps:
            return None
        return self.steps[-1], self.wall_times[-1], self.values[-1]


class SampledScalarSeries(ScalarSeries):
    """A scalar series capped at ``capacity`` points (``samples_per_plugin`` scalars=N):
    a uniform sample that always keeps the latest point.

    Which points enter the sample is drawn ahead with Li's skip-based reservoir
    algorithm, so a point that does not enter costs one overwrite of the last
    slot and no random number.
    """

    __slots__ = ("_next_pick", "_random", "_weight", "capacity", "seen")

    def __init__(self, capacity: int, double: bool = False, seed: int = 0) -> None:
        super().__init__(double)
        self.capacity = capacity
        self.seen = 0
        self._random = random.Random(seed)
        self._weight = 1.0
        self._next_pick = 0

    def append(self, step: int, wall_time: float, value: float) -> None:
        self.seen += 1
        if len(self.steps) < self.capacity:
            super().append(step, wall_time, value)
            if len(self.steps) == self.capacity:
                self._schedule()
        elif self.seen < self._next_pick:  # not sampled: it only stands in as the latest
            try:
                self.steps[-1] = step
            except OverflowError:
                self.steps = array("q", self.steps)
                self.steps[-1] = step
            self.wall_times[-1] = wall_time
            self.values[-1] = value
        else:
            slot = self._random.randrange(self.capacity)
            del self.steps[slot], self.wall_times[slot], self.values[slot]
            super().append(step, wall_time, value)
            self._schedule()

    def _schedule(self) -> None:
        """Draws the index of the next point to enter the sample."""
        draw = self._random.random
        self._weight *= math.exp(math.log(1.0 - draw()) / self.capacity)
        skip = math.floor(math.log(1.0 - draw()) / math.log1p(-self._weight)) if self._weight < 1 else 0
        self._next_pick = self.seen + skip + 1

    def purge(self, step: int) -> int:
        dropped = super().purge(step)
        self.seen = max(0, self.seen - dropped)
        if len(self.steps) == self.capacity:
            self._schedule()
        return dropped


def _filtered(column: array, keep: np.ndarray) -> array:
    kept = np.frombuffer(column, dtype=np.dtype(column.typecode))[keep]
    out = array(column.typecode)
    out.frombytes(kept.tobytes())
    return out


class Stepped(Protocol):
    step: int


T = TypeVar("T", bound=Stepped)


class Reservoir(Generic[T]):
    """A uniform sample of at most ``capacity`` items that always keeps the latest.

    ``capacity`` 0 keeps everything. The random generator has a fixed seed, so a
    reload of the same files gives the same sample.
    """

    def __init__(self, capacity: int, seed: int = 0) -> None:
        self.capacity = capacity
        self.items: list[T] = []
        self.seen = 0
        self._random = random.Random(seed)

    def __len__(self) -> int:
        return len(self.items)

    def add(self, item: T) -> None:
        self.seen += 1
        if not self.capacity or len(self.items) < self.capacity:
            self.items.append(item)
            return
        slot = self._random.randint(0, self.seen - 1)
        if slot < self.capacity:
            self.items.pop(slot)
            self.items.append(item)
        else:
            self.items[-1] = item

    def purge(self, step: int) -> int:
        before = len(self.items)
        self.items = [item for item in self.items if item.step < step]
        dropped = before - len(self.items)
        self.seen = max(0, self.seen - dropped)
        return dropped


@dataclass(frozen=True)
class Sampling:
    """Points kept per series for each plugin; 0 keeps all. TensorBoard's defaults,
    except that scalars keep every point."""

    per_plugin: dict[str, int]

    DEFAULTS = {
        "scalars": 0,
        "histograms": 500,
        "images": 10,
        "audio": 10,
        "pr_curves": 100,
        "text": 10,
    }
    OTHERS = 10

    @classmethod
    def parse(cls, spec: str | dict[str, int] | None) -> Sampling:
        """Reads TensorBoard's ``--samples_per_plugin`` form, ``scalars=500,images=20``."""
        merged = dict(cls.DEFAULTS)
        if isinstance(spec, dict):
            merged.update({k: int(v) for k, v in spec.items()})
        elif spec:
            for part in spec.split(","):
                if not part.strip():
                    continue
                name, sep, value = part.partition("=")
                if not sep or not value.strip().isdigit():
                    raise ValueError(
                        f"bad --samples_per_plugin entry {part!r}: expected PLUGIN=COUNT"
                    )
                merged[name.strip()] = int(value)
        return cls(merged)

    def capacity(self, plugin: str) -> int:
        return self.per_plugin.get(plugin, self.OTHERS)
