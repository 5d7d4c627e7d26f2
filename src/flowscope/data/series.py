"""Storage for the points of one tag: compact scalar columns and capped reservoirs."""

from __future__ import annotations

import math
import random
from array import array
from dataclasses import dataclass
from typing import ClassVar, Generic, Protocol, TypeVar

import numpy as np

from flowscope.data.blocks import BLOCK_POINTS, MIN_BLOCK_POINTS, Block, encode


class ScalarSeries:
    """All points of a scalar tag: sealed blocks, compressed losslessly, and a tail
    of the newest points as plain arrays that `Run.ingest` appends to.

    `seal` moves whole blocks out of the tail as it grows; `compact` seals the rest
    once a file has been read, so a loaded series takes about 6 bytes a point. A
    live run's few new points a reload stay raw until they make a block worth sealing.
    """

    __slots__ = ("blocks", "tail_steps", "tail_values", "tail_wall_times")

    def __init__(self, double: bool = False) -> None:
        self.blocks: list[Block] = []
        self.tail_steps = array("i")  # 32-bit until a step does not fit
        self.tail_wall_times = array("d")
        self.tail_values = array("d" if double else "f")

    def __len__(self) -> int:
        return sum(block.count for block in self.blocks) + len(self.tail_steps)

    @property
    def double(self) -> bool:
        return self.tail_values.typecode == "d"

    def append(self, step: int, wall_time: float, value: float) -> None:
        self.append_step(step)
        self.tail_wall_times.append(wall_time)
        self.tail_values.append(value)

    def append_step(self, step: int) -> None:
        try:
            self.tail_steps.append(step)
        except OverflowError:
            self.tail_steps = array("q", self.tail_steps)
            self.tail_steps.append(step)

    def promote_to_double(self) -> None:
        if not self.double:
            self.tail_values = array("d", self.tail_values)

    def seal(self) -> None:
        """Compresses every whole block of the tail."""
        whole = len(self.tail_steps) // BLOCK_POINTS * BLOCK_POINTS
        if whole:
            self._seal_tail(whole)

    def compact(self) -> None:
        """Compresses the tail as one more block unless it is too short to pay off;
        called when a file has been read to its end."""
        if len(self.tail_steps) >= MIN_BLOCK_POINTS:
            self._seal_tail(len(self.tail_steps))

    def _seal_tail(self, count: int) -> None:
        steps, wall_times, values = _tail_columns(self)
        for start in range(0, count, BLOCK_POINTS):
            stop = min(start + BLOCK_POINTS, count)
            self.blocks.append(encode(steps[start:stop], wall_times[start:stop], values[start:stop]))
        del self.tail_steps[:count], self.tail_wall_times[:count], self.tail_values[:count]

    def _set_tail(self, steps: np.ndarray, wall_times: np.ndarray, values: np.ndarray) -> None:
        fits_32 = not len(steps) or -(2**31) <= steps.min() and steps.max() < 2**31
        self.tail_steps = _array("i" if fits_32 else "q", steps)
        self.tail_wall_times = _array("d", wall_times)
        self.tail_values = _array("d" if self.double or values.dtype == np.float64 else "f", values)

    def purge(self, step: int) -> int:
        """Drops every point with ``step >= step``; returns how many were dropped."""
        tail_max = max(self.tail_steps, default=step - 1)
        if tail_max < step and all(block.max_step < step for block in self.blocks):
            return 0
        steps, wall_times, values = self.columns()
        keep = steps < step
        self.blocks = []
        self._set_tail(steps[keep], wall_times[keep], values[keep])
        self.compact()
        return int(len(steps) - keep.sum())

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every point as fresh arrays (steps int64, wall_times float64, values
        float32, or float64 if any value was written as a double)."""
        parts = [block.decode() for block in self.blocks]
        parts.append(_tail_columns(self))
        value_type = np.float64 if any(p[2].dtype == np.float64 for p in parts) else np.float32
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]).astype(value_type, copy=False),
        )

    def last(self) -> tuple[int, float, float] | None:
        if self.tail_steps:
            return self.tail_steps[-1], self.tail_wall_times[-1], self.tail_values[-1]
        if not self.blocks:
            return None
        steps, wall_times, values = self.blocks[-1].decode()
        return int(steps[-1]), float(wall_times[-1]), float(values[-1])

    @property
    def nbytes(self) -> int:
        """Memory held by the points."""
        tail = (self.tail_steps, self.tail_wall_times, self.tail_values)
        return sum(block.nbytes for block in self.blocks) + sum(len(c) * c.itemsize for c in tail)


def _tail_columns(series: ScalarSeries) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _copies(series.tail_steps, series.tail_wall_times, series.tail_values)


def _copies(steps: array, wall_times: array, values: array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Array columns as numpy copies: (steps int64, wall_times float64, values
    float32|float64 as stored)."""
    return (
        np.array(steps, dtype=np.int64),
        np.array(wall_times, dtype=np.float64),
        np.array(values, dtype=np.float64 if values.typecode == "d" else np.float32),
    )


def _array(typecode: str, column: np.ndarray) -> array:
    out = array(typecode)
    out.frombytes(column.astype(np.dtype(typecode), copy=False).tobytes())
    return out


class SampledScalarSeries:
    """A scalar series capped at ``capacity`` points (``samples_per_plugin`` scalars=N):
    a uniform sample that always keeps the latest point, in plain arrays.

    Which points enter the sample is drawn ahead with Li's skip-based reservoir
    algorithm, so a point that does not enter costs one overwrite of the last
    slot and no random number.
    """

    __slots__ = ("_next_pick", "_random", "_weight", "capacity", "seen", "steps", "values", "wall_times")

    def __init__(self, capacity: int, double: bool = False, seed: int = 0) -> None:
        self.steps = array("q")
        self.wall_times = array("d")
        self.values = array("d" if double else "f")
        self.capacity = capacity
        self.seen = 0
        self._random = random.Random(seed)
        self._weight = 1.0
        self._next_pick = 0

    def __len__(self) -> int:
        return len(self.steps)

    def append(self, step: int, wall_time: float, value: float) -> None:
        self.seen += 1
        if len(self.steps) < self.capacity:
            self._add(step, wall_time, value)
            if len(self.steps) == self.capacity:
                self._schedule()
        elif self.seen < self._next_pick:  # not sampled: it only stands in as the latest
            self.steps[-1] = step
            self.wall_times[-1] = wall_time
            self.values[-1] = value
        else:
            slot = self._random.randrange(self.capacity)
            del self.steps[slot], self.wall_times[slot], self.values[slot]
            self._add(step, wall_time, value)
            self._schedule()

    def _add(self, step: int, wall_time: float, value: float) -> None:
        self.steps.append(step)
        self.wall_times.append(wall_time)
        self.values.append(value)

    def _schedule(self) -> None:
        """Draws the index of the next point to enter the sample."""
        draw = self._random.random
        self._weight *= math.exp(math.log(1.0 - draw()) / self.capacity)
        skip = math.floor(math.log(1.0 - draw()) / math.log1p(-self._weight)) if self._weight < 1 else 0
        self._next_pick = self.seen + skip + 1

    def promote_to_double(self) -> None:
        if self.values.typecode == "f":
            self.values = array("d", self.values)

    def seal(self) -> None:
        """Nothing to do: a capped sample stays in plain arrays."""

    compact = seal

    def purge(self, step: int) -> int:
        """Drops every point with ``step >= step``; returns how many were dropped."""
        keep = np.frombuffer(self.steps, dtype=np.int64) < step if self.steps else np.empty(0, bool)
        dropped = int(len(keep) - keep.sum())
        if dropped:
            self.steps, self.wall_times, self.values = (
                _array(column.typecode, np.frombuffer(column, dtype=np.dtype(column.typecode))[keep])
                for column in (self.steps, self.wall_times, self.values)
            )
        self.seen = max(0, self.seen - dropped)
        if len(self.steps) == self.capacity:
            self._schedule()
        return dropped

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Copies of (steps int64, wall_times float64, values float32|float64)."""
        return _copies(self.steps, self.wall_times, self.values)

    def last(self) -> tuple[int, float, float] | None:
        if not self.steps:
            return None
        return self.steps[-1], self.wall_times[-1], self.values[-1]

    @property
    def nbytes(self) -> int:
        return sum(len(c) * c.itemsize for c in (self.steps, self.wall_times, self.values))


class Stepped(Protocol):
    @property
    def step(self) -> int: ...


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

    DEFAULTS: ClassVar[dict[str, int]] = {
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
