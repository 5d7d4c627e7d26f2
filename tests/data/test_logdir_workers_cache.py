"""Worker-process loading and the on-disk cache give the same data as a plain load."""

from __future__ import annotations

import numpy as np
import pandas as pd

import flowscope
from flowscope.data import parallel
from tests.support.records import file_version_event, scalar_event, write_event_file


def _frames_equal(a: flowscope.Logdir, b: flowscope.Logdir) -> None:
    assert a.run_names() == b.run_names()
    for name in ("scalars", "histograms", "images", "text", "pr_curves"):
        left = getattr(a, name)().sort_values(["run", "tag", "step"]).reset_index(drop=True)
        right = getattr(b, name)().sort_values(["run", "tag", "step"]).reset_index(drop=True)
        assert len(left) == len(right), name
        pd.testing.assert_frame_equal(left.map(repr), right.map(repr))


def test_worker_processes_load_the_same_data(torch_logdir, tensorboardx_logdir, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    for logdir in (torch_logdir, tensorboardx_logdir):
        _frames_equal(flowscope.Logdir(str(logdir)), flowscope.Logdir(str(logdir), workers=2))


def test_workers_then_incremental_reload(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    for run in ("a", "b"):
        write_event_file(tmp_path / run / "events.out.tfevents.1.h",
                         [file_version_event(), *(scalar_event("loss", s, s / 10) for s in range(5))])
    logdir = flowscope.Logdir(str(tmp_path), workers=2)
    assert logdir.run_names() == ["a", "b"]
    write_event_file(tmp_path / "a" / "events.out.tfevents.1.h", [scalar_event("loss", 5, 0.5)], mode="ab")
    assert logdir.reload()
    steps = logdir.scalars(run="a")["step"].tolist()
    assert steps == [0, 1, 2, 3, 4, 5]


def test_cache_restores_and_reads_only_what_is_new(tmp_path):
    logs, cache = tmp_path / "logs", tmp_path / "cache"
    path = write_event_file(logs / "run" / "events.out.tfevents.1.h",
                            [file_version_event(), *(scalar_event("loss", s, s) for s in range(10))])
    first = flowscope.Logdir(str(logs), cache=cache)
    assert list(cache.iterdir()), "the first load writes the cache"
    write_event_file(path, [scalar_event("loss", 10, 10.0)], mode="ab")
    second = flowscope.Logdir(str(logs), cache=cache, load=False)
    # Restored from the cache alone, before any reading:
    assert second.scalars()["step"].tolist() == list(range(10))
    reader = second._readers[next(iter(second._readers))]
    offset = reader.offset
    assert second.reload()
    assert reader.offset > offset
    np.testing.assert_array_equal(second.scalars()["value"], np.arange(11, dtype=np.float64))
    assert first.scalars()["step"].tolist() == list(range(10))


def test_cache_is_dropped_when_a_file_shrinks(tmp_path):
    logs, cache = tmp_path / "logs", tmp_path / "cache"
    path = write_event_file(logs / "run" / "events.out.tfevents.1.h",
                            [file_version_event(), *(scalar_event("loss", s, s) for s in range(10))])
    flowscope.Logdir(str(logs), cache=cache)
    write_event_file(path, [file_version_event(), scalar_event("loss", 0, 7.0)])
    reloaded = flowscope.Logdir(str(logs), cache=cache)
    assert reloaded.scalars()["value"].tolist() == [7.0]


def test_steps_past_32_bits_are_kept_exactly(tmp_path):
    steps = [0, 2**31 - 1, 2**31, 2**40, 2**62]
    write_event_file(tmp_path / "run" / "events.out.tfevents.1.h",
                     [file_version_event(), *(scalar_event("loss", s, 1.0) for s in steps)])
    assert flowscope.Logdir(str(tmp_path)).scalars()["step"].tolist() == steps


def test_a_damaged_cache_is_ignored_with_a_warning(tmp_path, caplog):
    logs, cache = tmp_path / "logs", tmp_path / "cache"
    write_event_file(logs / "run" / "events.out.tfevents.1.h",
                     [file_version_event(), *(scalar_event("loss", s, s) for s in range(50))])
    flowscope.Logdir(str(logs), cache=cache)
    (cache_file,) = cache.iterdir()
    cache_file.write_bytes(cache_file.read_bytes()[:-40])  # lose the end of the columns
    reloaded = flowscope.Logdir(str(logs), cache=cache)
    assert "ignoring the logdir cache" in caplog.text
    assert reloaded.scalars()["step"].tolist() == list(range(50))
