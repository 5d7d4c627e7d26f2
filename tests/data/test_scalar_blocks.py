"""Compressed scalar storage gives back every bit that went in."""

from __future__ import annotations

import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from flowscope.data.blocks import BLOCK_POINTS, MIN_BLOCK_POINTS, encode
from flowscope.data.series import ScalarSeries

lengths = st.integers(1, 300)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.tobytes() == b.tobytes()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_block_decodes_to_the_same_bits(data: st.DataObject) -> None:
    n = data.draw(lengths)
    steps = data.draw(hnp.arrays(np.int64, n))
    # Any float64 bit pattern, NaN payloads and infinities included:
    wall_times = data.draw(hnp.arrays(np.int64, n)).view(np.float64)
    value_type = data.draw(st.sampled_from([np.float32, np.float64]))
    values = data.draw(hnp.arrays(np.int32 if value_type is np.float32 else np.int64, n)).view(value_type)
    decoded = encode(steps, wall_times, values).decode()
    assert same_bits(decoded[0], steps)
    assert same_bits(decoded[1], wall_times)
    assert same_bits(decoded[2], values)


def test_evenly_spaced_steps_take_no_bytes() -> None:
    block = encode(np.arange(5, 5 + 3 * 1000, 3), np.linspace(1e9, 1e9 + 500, 1000), np.ones(1000, np.float32))
    assert block.even_steps == (5, 3) and block.steps == b""
    assert block.decode()[0].tolist() == list(range(5, 5 + 3 * 1000, 3))


def test_a_training_curve_takes_under_7_bytes_a_point() -> None:
    rng = np.random.default_rng(0)
    n = 20_000
    series = ScalarSeries()
    wall_times = 1.7e9 + np.cumsum(rng.normal(0.5, 0.02, n))
    values = (np.exp(-np.arange(n) / 5000) + rng.normal(0, 0.01, n)).astype(np.float32)
    for step in range(n):
        series.append(step, float(wall_times[step]), float(values[step]))
    series.compact()
    assert series.nbytes / n < 7
    steps, walls, vals = series.columns()
    assert steps.tolist() == list(range(n))
    assert same_bits(walls, wall_times) and same_bits(vals, values)


def filled(points: list[tuple[int, float, float]], double: bool = False) -> ScalarSeries:
    series = ScalarSeries(double)
    for point in points:
        series.append(*point)
    return series


def test_seal_keeps_a_short_tail_and_compact_seals_a_tail_worth_a_block() -> None:
    points = [(i, 1e9 + i, i / 7) for i in range(BLOCK_POINTS * 2 + MIN_BLOCK_POINTS)]
    series = filled(points)
    series.seal()
    assert [b.count for b in series.blocks] == [BLOCK_POINTS, BLOCK_POINTS]
    assert len(series.tail_steps) == MIN_BLOCK_POINTS
    series.compact()
    assert len(series.tail_steps) == 0 and series.blocks[-1].count == MIN_BLOCK_POINTS
    series.append(*points[0])  # a reload brings one more point: too few to seal
    series.compact()
    assert len(series.blocks) == 3 and len(series.tail_steps) == 1
    assert len(series) == len(points) + 1
    assert series.last() == (0, 1e9, 0.0)
    assert series.columns()[0].tolist() == [p[0] for p in points] + [0]


def test_steps_past_32_bits_and_values_promoted_to_double_mid_series() -> None:
    series = filled([(1, 10.0, 0.1), (2, 11.0, 0.2)])
    series.compact()
    series.append(2**40, 12.0, 0.3)
    series.promote_to_double()
    series.append(2**40 + 1, 13.0, 0.1 + 0.2)
    series.compact()
    steps, _, values = series.columns()
    assert steps.tolist() == [1, 2, 2**40, 2**40 + 1]
    assert values.dtype == np.float64
    assert values[0] == np.float32(0.1) and values[3] == 0.1 + 0.2


def test_purge_drops_later_steps_from_blocks_and_tail() -> None:
    series = filled([(i, float(i), float(i)) for i in range(BLOCK_POINTS + 100)])
    series.seal()
    assert series.purge(10**9) == 0
    assert series.purge(50) == BLOCK_POINTS + 50
    assert series.columns()[0].tolist() == list(range(50))
    series.append(50, 50.0, 50.0)
    assert series.columns()[0].tolist() == list(range(51))


def test_a_series_pickles_with_its_blocks() -> None:
    series = filled([(i, 1e9 + i / 3, i * 0.5) for i in range(BLOCK_POINTS + 3)])
    series.compact()
    copy = pickle.loads(pickle.dumps(series, protocol=pickle.HIGHEST_PROTOCOL))
    for a, b in zip(series.columns(), copy.columns()):
        assert same_bits(a, b)
