"""Logdirs: run discovery and naming, file order, incremental reload, fsspec URLs,
the name:path spec, sampling caps, and DataFrame filters."""

from __future__ import annotations

import logging
import re
import uuid

import fsspec
import numpy as np
import pytest

import flowscope
from tests.support.records import (
    event,
    event_file_name,
    file_version_event,
    scalar_event,
    tf_record,
    write_event_file,
    write_with_tensorboard,
)
from tests.support.reference import assert_logdir_matches_tensorboard, open_logdir


def scalars(steps, tag="loss", version=True):
    return ([file_version_event()] if version else []) + [scalar_event(tag, s, s * 0.5) for s in steps]


def image_event(step, tag="img"):
    from tensorboard.compat.proto import summary_pb2

    image = summary_pb2.Summary.Image(width=2, height=1, encoded_image_string=b"png%d" % step)
    return event(step, summary=summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, image=image)]))


def histogram_event(step, tag="hist"):
    from tensorboard.plugins.histogram import summary_v2

    return event(step, summary=summary_v2.histogram_pb(tag, np.arange(step + 1.0), buckets=3))


def text_event(step, tag="note"):
    from tensorboard.plugins.text import summary_v2

    return event(step, summary=summary_v2.text_pb(tag, f"step {step}"))


# ---- runs ----

def test_run_names_root_and_nested(tmp_path):
    write_event_file(tmp_path / event_file_name(1000), scalars([0]))
    for run in ("a", "a/b", "a/b/c", "z y/w", "x/deep/er"):
        write_event_file(tmp_path / run / event_file_name(1000), scalars([1, 2]))
    (tmp_path / "a" / "notes.txt").write_text("not an event file")
    (tmp_path / "empty_dir" / "sub").mkdir(parents=True)
    (tmp_path / "only_text").mkdir()
    (tmp_path / "only_text" / "events.txt").write_text("no")
    ld = open_logdir(tmp_path)
    assert ld.run_names() == [".", "a", "a/b", "a/b/c", "x/deep/er", "z y/w"]
    assert_logdir_matches_tensorboard(tmp_path, ld)
    assert ld.scalars(run=".")["step"].tolist() == [0]


def test_path_forms_and_odd_names(tmp_path, monkeypatch):
    root = tmp_path / "logs [v1] *x"
    write_event_file(root / event_file_name(1000), scalars([0]))
    write_event_file(root / "run [a]" / event_file_name(1000), scalars([1]))
    for spec in (str(root), f"{root}/", f"file://{root}", f"file://{root}/"):
        ld = open_logdir(spec)
        assert ld.run_names() == [".", "run [a]"], spec
        assert ld.scalars(run="run [a]")["step"].tolist() == [1]
    monkeypatch.chdir(root / "run [a]")
    assert open_logdir("..").run_names() == [".", "run [a]"]
    assert open_logdir(".").run_names() == ["."]


def test_profile_empty_files_are_skipped(tmp_path, caplog):
    write_event_file(tmp_path / "train" / event_file_name(1000), scalars([0, 1]))
    (tmp_path / "train" / (event_file_name(2000) + ".profile-empty")).write_bytes(b"")
    (tmp_path / "profile_only").mkdir()
    (tmp_path / "profile_only" / (event_file_name(2000) + ".profile-empty")).write_bytes(b"")
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(tmp_path)
    assert ld.run_names() == ["train"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_files_of_a_run_are_read_in_name_order(tmp_path):
    # Written in the opposite order of their names; the names decide.
    write_event_file(tmp_path / "run" / event_file_name(3000), scalars(range(10, 15)))
    write_event_file(tmp_path / "run" / event_file_name(2000, host="b"), scalars(range(5, 10)))
    write_event_file(tmp_path / "run" / event_file_name(2000, host="a"), scalars(range(5)))
    ld = open_logdir(tmp_path)
    assert ld.scalars(run="run")["step"].tolist() == list(range(15))
    assert_logdir_matches_tensorboard(tmp_path, ld)


def test_file_name_order_decides_purges_as_in_tensorboard(tmp_path):
    """Without a file_version, steps that go back across files purge; the order of
    the files is what makes them go back."""
    write_event_file(tmp_path / "run" / event_file_name(1000), scalars(range(10), version=False))
    write_event_file(tmp_path / "run" / event_file_name(2000), scalars(range(5, 8), version=False))
    ld = open_logdir(tmp_path)
    assert ld.scalars(run="run")["step"].tolist() == list(range(8))
    assert_logdir_matches_tensorboard(tmp_path, ld)


# ---- incremental reload ----

def test_reload_picks_up_new_records_files_and_runs(tmp_path):
    first = write_event_file(tmp_path / "run" / event_file_name(1000), scalars(range(3)) + [image_event(0)])
    ld = open_logdir(tmp_path)
    generation = ld.generation
    assert ld.reload() is False and ld.generation == generation
    # New records in an existing file.
    write_event_file(first, [scalar_event("loss", 3, 1.5), image_event(3), text_event(3)], mode="ab")
    assert ld.reload() is True and ld.generation == generation + 1
    assert ld.scalars(run="run")["step"].tolist() == [0, 1, 2, 3]
    assert ld.tags()["run"] == ["loss", "img", "note"]
    # A new file in an existing run, a new run, a new nested run, the root.
    write_event_file(tmp_path / "run" / event_file_name(2000), scalars(range(4, 6)))
    write_event_file(tmp_path / "new" / event_file_name(1000), scalars([7], tag="acc"))
    write_event_file(tmp_path / "run" / "nested" / event_file_name(1000), scalars([8]))
    write_event_file(tmp_path / event_file_name(1000), scalars([9]))
    assert ld.reload() is True
    assert sorted(ld.run_names()) == [".", "new", "run", "run/nested"]
    assert ld.scalars(run="run")["step"].tolist() == list(range(6))
    assert ld.scalars(tag="acc")["run"].tolist() == ["new"]
    assert_logdir_matches_tensorboard(tmp_path, ld)
    assert ld.reload() is False


def test_reload_of_records_written_byte_by_byte(tmp_path):
    blob = b"".join(tf_record(e.SerializeToString()) for e in scalars(range(4)))
    path = tmp_path / event_file_name(1000)
    path.write_bytes(b"")
    ld = open_logdir(tmp_path)
    for stop in range(0, len(blob) + 1, 9):
        path.write_bytes(blob[:stop])
        ld.reload()
    path.write_bytes(blob)
    ld.reload()
    assert ld.scalars()["step"].tolist() == [0, 1, 2, 3]


def test_reload_while_tensorboard_keeps_the_file_open(tmp_path):
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(tmp_path), max_queue_size=1000, flush_secs=1000)
    try:
        for s in range(3):
            writer.add_event(scalar_event("loss", s, s))
        writer.flush()
        ld = open_logdir(tmp_path)
        assert ld.scalars()["step"].tolist() == [0, 1, 2]
        for s in range(3, 6):
            writer.add_event(scalar_event("loss", s, s))
        writer.flush()
        ld.reload()
        assert ld.scalars()["step"].tolist() == list(range(6))
    finally:
        writer.close()


# ---- fsspec and logdir specs ----

@pytest.fixture
def memory_root():
    fs = fsspec.filesystem("memory")
    root = f"/flowscope-test-{uuid.uuid4().hex}"
    yield fs, root
    if fs.exists(root):
        fs.rm(root, recursive=True)


def test_memory_url(memory_root, tmp_path):
    fs, root = memory_root
    files = {
        event_file_name(1000): scalars(range(3)) + [histogram_event(1), image_event(2)],
        f"train/{event_file_name(1000)}": scalars(range(5)),
        f"train/{event_file_name(2000)}": scalars(range(5, 7)),
        f"eval/deep/{event_file_name(1000)}": scalars([1], tag="acc"),
    }
    for name, events in files.items():
        blob = b"".join(tf_record(e.SerializeToString()) for e in events)
        fs.pipe(f"{root}/{name}", blob)
        write_event_file(tmp_path / name, events)
    ld = open_logdir(f"memory://{root}")
    assert ld.run_names() == [".", "eval/deep", "train"]
    assert ld.scalars(run="train")["step"].tolist() == list(range(7))
    # The same bytes on local disk read by TensorBoard: the same values.
    assert_logdir_matches_tensorboard(tmp_path, ld)
    # Incremental reload on the memory filesystem.
    extra = tf_record(scalar_event("loss", 7, 3.5).SerializeToString())
    fs.pipe(f"{root}/train/{event_file_name(2000)}", fs.cat(f"{root}/train/{event_file_name(2000)}") + extra)
    fs.pipe(f"{root}/later/{event_file_name(1000)}", tf_record(scalar_event("x", 0, 0).SerializeToString()))
    assert ld.reload()
    assert ld.scalars(run="train")["step"].tolist() == list(range(8))
    assert "later" in ld.run_names()


def test_named_logdirs_spec(tmp_path, memory_root):
    fs, root = memory_root
    write_event_file(tmp_path / "one" / event_file_name(1000), scalars([1]))
    write_event_file(tmp_path / "one" / "sub" / event_file_name(1000), scalars([2]))
    write_event_file(tmp_path / "two" / "r" / event_file_name(1000), scalars([3]))
    fs.pipe(f"{root}/{event_file_name(1000)}", tf_record(scalar_event("loss", 4, 2.0).SerializeToString()))
    spec = f"first:{tmp_path / 'one'},second:{tmp_path / 'two'},mem:memory://{root}"
    ld = open_logdir(spec)
    assert ld.run_names() == ["first", "first/sub", "mem", "second/r"]  # sorted by name
    df = ld.scalars()
    assert dict(zip(df["run"], df["step"])) == {"first": 1, "first/sub": 2, "second/r": 3, "mem": 4}
    # A single named logdir is a spec too; a URL alone is not.
    assert open_logdir(f"only:{tmp_path / 'one'}").run_names() == ["only", "only/sub"]
    assert open_logdir(f"memory://{root}").run_names() == ["."]
    with pytest.raises(ValueError):
        flowscope.Logdir(f"first:{tmp_path / 'one'},{tmp_path / 'two'}")


def test_named_logdir_deleted_run_is_reported_once(tmp_path, caplog):
    import shutil

    write_event_file(tmp_path / "one" / "r" / event_file_name(1000), scalars([1]))
    write_event_file(tmp_path / "two" / "r" / event_file_name(1000), scalars([2]))
    ld = open_logdir(f"a:{tmp_path / 'one'},b:{tmp_path / 'two'}")
    shutil.rmtree(tmp_path / "two" / "r")
    with caplog.at_level(logging.WARNING):
        ld.reload()
        ld.reload()
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(messages) == 1 and "b/r" in messages[0]
    assert ld.run_names() == ["a/r", "b/r"]


# ---- sampling ----

def _capped_logdir(tmp_path, n=60):
    events = [file_version_event()]
    for s in range(n):
        events += [image_event(s), histogram_event(s), text_event(s), scalar_event("loss", s, s)]
    write_event_file(tmp_path / event_file_name(1000), events)
    return tmp_path


@pytest.mark.parametrize("spec", ["images=5,histograms=7,text=3", {"images": 5, "histograms": 7, "text": 3}])
def test_samples_per_plugin_caps_keep_the_latest_step(tmp_path, spec):
    _capped_logdir(tmp_path)
    ld = flowscope.Logdir(str(tmp_path), samples_per_plugin=spec)
    for frame, cap in ((ld.images(), 5), (ld.histograms(), 7), (ld.text(), 3)):
        steps = frame["step"].tolist()
        assert len(steps) == cap
        assert steps[-1] == 59  # the latest step is always kept
        assert steps == sorted(set(steps)) and set(steps) <= set(range(60))
    # Scalars keep every point.
    assert ld.scalars()["step"].tolist() == list(range(60))
    # The same files give the same sample.
    again = flowscope.Logdir(str(tmp_path), samples_per_plugin=spec)
    assert again.images()["step"].tolist() == ld.images()["step"].tolist()


def test_samples_per_plugin_cap_keeps_latest_across_reloads(tmp_path):
    path = write_event_file(tmp_path / event_file_name(1000), [file_version_event(), image_event(0)])
    ld = flowscope.Logdir(str(tmp_path), samples_per_plugin="images=4")
    for s in range(1, 40):
        write_event_file(path, [image_event(s)], mode="ab")
        ld.reload()
        steps = ld.images()["step"].tolist()
        assert steps[-1] == s and len(steps) == min(s + 1, 4)


def test_default_caps(tmp_path):
    _capped_logdir(tmp_path, n=30)
    ld = flowscope.Logdir(str(tmp_path))
    assert len(ld.images()) == 10  # TensorBoard's default
    assert len(ld.text()) == 10
    assert len(ld.histograms()) == 30  # under the default of 500
    assert ld.images()["step"].tolist()[-1] == 29


def test_scalars_keep_every_point_by_default(tmp_path):
    write_with_tensorboard(tmp_path, [scalar_event("loss", s, s) for s in range(5000)])
    df = flowscope.Logdir(str(tmp_path)).scalars()
    assert df["step"].tolist() == list(range(5000))


def test_scalars_can_be_capped(tmp_path):
    write_with_tensorboard(tmp_path, [scalar_event("loss", s, s) for s in range(1000)])
    steps = flowscope.Logdir(str(tmp_path), samples_per_plugin="scalars=100").scalars()["step"].tolist()
    assert len(steps) == 100 and steps[-1] == 999 and steps == sorted(steps)


def test_bad_samples_per_plugin_spec():
    with pytest.raises(ValueError, match="samples_per_plugin"):
        flowscope.Logdir("/nonexistent", samples_per_plugin="images:5", load=False)


# ---- DataFrame filters ----

@pytest.fixture
def filter_logdir(tmp_path):
    for run in ("train", "eval", "train/sub"):
        events = [file_version_event()]
        for s in range(3):
            events += [scalar_event("loss", s, s), scalar_event("acc", s, -s), scalar_event("lr/group0", s, 0.1)]
            events += [image_event(s), histogram_event(s), text_event(s)]
        write_event_file(tmp_path / run / event_file_name(1000), events)
    return open_logdir(tmp_path)


def test_filters_by_run_and_tag(filter_logdir):
    ld = filter_logdir
    pairs = lambda df: sorted(set(zip(df["run"], df["tag"])))
    assert pairs(ld.scalars(run="train", tag="loss")) == [("train", "loss")]
    assert pairs(ld.scalars(run=["eval", "train/sub"], tag=["acc", "lr/group0"])) == [
        ("eval", "acc"), ("eval", "lr/group0"), ("train/sub", "acc"), ("train/sub", "lr/group0")]
    assert pairs(ld.scalars(run=re.compile(r"^train"), tag=re.compile(r"^l"))) == [
        ("train", "loss"), ("train", "lr/group0"), ("train/sub", "loss"), ("train/sub", "lr/group0")]
    assert set(ld.scalars(run=re.compile("sub"))["run"]) == {"train/sub"}
    # Exact names are exact, not prefixes or patterns.
    assert ld.scalars(run="trai").empty and ld.scalars(tag="lr").empty and ld.scalars(tag="l.ss").empty
    empty = ld.scalars(run="nope")
    assert list(empty.columns) == ["run", "tag", "step", "wall_time", "value"] and empty.empty
    for method in ("images", "histograms", "distributions", "text", "audio", "pr_curves", "tensors"):
        everything = getattr(ld, method)()
        one = getattr(ld, method)(run="eval")
        assert set(one["run"]) <= {"eval"}
        assert len(one) == len(everything[everything["run"] == "eval"])
        assert getattr(ld, method)(run="nope").empty
    assert set(ld.images(run=["train", "eval"], tag=re.compile("im"))["run"]) == {"train", "eval"}
    assert ld.text(tag="note", run="train")["value"].tolist() == ["step 0", "step 1", "step 2"]


def test_scalar_frame_columns(filter_logdir):
    df = filter_logdir.scalars(run="train", tag="acc")
    assert list(df.columns) == ["run", "tag", "step", "wall_time", "value"]
    assert df["step"].dtype == np.int64 and df["value"].dtype == np.float64
    assert df["value"].tolist() == [0.0, -1.0, -2.0]
    assert filter_logdir.tags("images") == {"eval": ["img"], "train": ["img"], "train/sub": ["img"]}
