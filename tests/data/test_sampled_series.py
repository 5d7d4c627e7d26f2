"""The capped scalar series: a uniform sample that always keeps the latest point."""

from __future__ import annotations

import numpy as np

from flowscope.data.series import SampledScalarSeries


def _sample(capacity: int, count: int, seed: int) -> np.ndarray:
    series = SampledScalarSeries(capacity, seed=seed)
    for step in range(count):
        series.append(step, float(step), float(step))
    steps, walls, values = series.columns()
    assert len(steps) == capacity
    assert steps[-1] == count - 1, "the latest point is always kept"
    assert np.all(np.diff(steps) > 0), "points stay in step order"
    assert np.array_equal(steps, walls) and np.array_equal(steps, values), "columns stay aligned"
    return steps


def test_sample_is_uniform_over_the_whole_series():
    kept = np.concatenate([_sample(100, 10_000, seed)[:-1] for seed in range(60)])
    counts, _ = np.histogram(kept, bins=10, range=(0, 10_000))
    expected = len(kept) / 10
    assert np.all(np.abs(counts - expected) < 0.15 * expected), counts


def test_short_series_are_kept_whole():
    series = SampledScalarSeries(100)
    for step in range(40):
        series.append(step, 0.0, 1.0)
    assert series.columns()[0].tolist() == list(range(40))


def test_steps_past_32_bits_in_a_sampled_series():
    series = SampledScalarSeries(3)
    for step in (1, 2, 3, 2**40, 2**41):
        series.append(step, 0.0, 0.0)
    assert series.columns()[0][-1] == 2**41
