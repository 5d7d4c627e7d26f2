"""Orphaned data after restarts: TF1-style SessionLog.START in file_version 2 files,
out-of-order steps in older files. flowscope must purge exactly what TensorBoard's
EventAccumulator (purge_orphaned_data=True) purges."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.support.records import (
    event,
    event_file_name,
    file_version_event,
    read_settings,
    scalar_event,
    session_log_event,
    write_event_file,
    write_with_tensorboard,
)
from tests.support.reference import assert_logdir_matches_tensorboard, open_logdir


def _summary(step: int, scalars: dict[str, float] | None = None, histo: str | None = None, image: str | None = None):
    from tensorboard.compat.proto import summary_pb2

    s = summary_pb2.Summary()
    for tag, value in (scalars or {}).items():
        s.value.add(tag=tag, simple_value=value)
    if histo:
        s.value.add(tag=histo, histo=summary_pb2.HistogramProto(
            min=0, max=step + 1, num=2, sum=step + 1, bucket_limit=[0.5, step + 1.0], bucket=[1, 1]))
    if image:
        s.value.add(tag=image, image=summary_pb2.Summary.Image(width=1, height=1, encoded_image_string=b"img%d" % step))
    return event(step, summary=s)


def _steps(ld, tag, run="."):
    return ld.scalars(run=run, tag=tag)["step"].tolist()


def test_session_start_restart_purges_every_tag(tmp_path):
    events = [session_log_event(0)]  # the first START is not a restart
    events += [_summary(s, {"a": s, "b": -s}, histo="h", image="img") for s in range(10)]
    events.append(session_log_event(5))
    events += [_summary(s, {"a": 100 + s}, histo="h") for s in range(5, 13)]
    write_with_tensorboard(tmp_path, events)
    assert_logdir_matches_tensorboard(tmp_path)
    ld = open_logdir(tmp_path)
    assert _steps(ld, "a") == list(range(13))
    assert ld.scalars(tag="a")["value"].tolist()[5:] == [100.0 + s for s in range(5, 13)]
    assert _steps(ld, "b") == list(range(5))  # purged although it was not written again
    assert ld.histograms(tag="h")["step"].tolist() == list(range(13))
    assert ld.images(tag="img")["step"].tolist() == list(range(5))


def test_first_start_after_summaries_is_not_a_restart(tmp_path):
    events = [_summary(s, {"a": s}) for s in range(4)] + [session_log_event(1)]
    events += [_summary(s, {"a": s}) for s in range(4, 6)]
    write_with_tensorboard(tmp_path, events)
    assert_logdir_matches_tensorboard(tmp_path)
    assert _steps(open_logdir(tmp_path), "a") == list(range(6))


def test_restart_in_a_new_file_of_the_same_run(tmp_path):
    first = [file_version_event(), session_log_event(0)] + [_summary(s, {"a": s}) for s in range(10)]
    second = [file_version_event(), session_log_event(6)] + [_summary(s, {"a": s + 0.5}) for s in range(6, 9)]
    write_event_file(tmp_path / event_file_name(1000), first)
    write_event_file(tmp_path / event_file_name(2000), second)
    assert_logdir_matches_tensorboard(tmp_path)
    ld = open_logdir(tmp_path)
    assert _steps(ld, "a") == list(range(9))
    assert ld.scalars(tag="a")["value"].tolist()[6:] == [6.5, 7.5, 8.5]


def test_out_of_order_steps_without_file_version_purge_only_those_tags(tmp_path):
    events = [_summary(s, {"a": s, "b": s}) for s in range(10)]
    events += [_summary(s, {"a": -s}) for s in range(4, 7)]  # "a" goes back to step 4
    events += [_summary(s, {"b": s}) for s in range(10, 12)]
    write_event_file(tmp_path / event_file_name(1000), events)
    assert_logdir_matches_tensorboard(tmp_path)
    ld = open_logdir(tmp_path)
    assert _steps(ld, "a") == list(range(7))
    assert _steps(ld, "b") == list(range(12))


def test_version_1_uses_out_of_order_rule_and_ignores_start(tmp_path):
    events = [file_version_event("brain.Event:1"), session_log_event(0)]
    events += [scalar_event("a", s, s) for s in range(6)]
    events += [session_log_event(2), scalar_event("a", 3, 33.0)]
    write_event_file(tmp_path / event_file_name(1000), events)
    assert_logdir_matches_tensorboard(tmp_path)
    ld = open_logdir(tmp_path)
    assert _steps(ld, "a") == [0, 1, 2, 3]
    assert ld.scalars(tag="a")["value"].tolist()[-1] == 33.0


def test_version_2_does_not_purge_out_of_order_steps(tmp_path):
    events = [scalar_event("a", s, s) for s in (0, 5, 3, 4, 1)]
    write_with_tensorboard(tmp_path, events)
    assert_logdir_matches_tensorboard(tmp_path)
    assert _steps(open_logdir(tmp_path), "a") == [0, 5, 3, 4, 1]


def test_tensor_summaries_are_purged_too(tmp_path):
    from tensorboard.plugins.histogram import summary_v2 as hist_v2
    from tensorboard.plugins.scalar import summary_v2 as scalar_v2
    from tensorboard.plugins.text import summary_v2 as text_v2

    def step_events(s):
        summary = scalar_v2.scalar_pb("loss", 1.0 / (s + 1))
        summary.MergeFrom(hist_v2.histogram_pb("w", np.arange(s + 3.0), buckets=3))
        summary.MergeFrom(text_v2.text_pb("note", f"step {s}"))
        return event(s, summary=summary)

    events = [session_log_event(0)] + [step_events(s) for s in range(8)]
    events += [session_log_event(3)] + [step_events(s) for s in range(3, 5)]
    write_with_tensorboard(tmp_path, events)
    assert_logdir_matches_tensorboard(tmp_path)
    ld = open_logdir(tmp_path)
    assert ld.text(tag="note")["step"].tolist() == list(range(5))


def test_graph_and_run_metadata_events_in_version_less_files(tmp_path):
    """TensorBoard turns graph and run-metadata events into summaries, so they take
    part in the out-of-order rule of files without a file_version."""
    from tensorboard.compat.proto import event_pb2, graph_pb2

    graph = graph_pb2.GraphDef()
    graph.node.add(name="n", op="NoOp")
    events = [scalar_event("a", s, s) for s in range(10)]
    events.append(event(0, graph_def=graph.SerializeToString()))
    events.append(scalar_event("a", 5, 55.0))
    events.append(event(2, tagged_run_metadata=event_pb2.TaggedRunMetadata(tag="rm", run_metadata=b"")))
    events.append(scalar_event("a", 4, 44.0))
    write_event_file(tmp_path / event_file_name(1000), events)
    assert_logdir_matches_tensorboard(tmp_path)


def test_restart_purges_run_metadata(tmp_path):
    from tensorboard.compat.proto import event_pb2

    def run_metadata(step, payload):
        return event(step, tagged_run_metadata=event_pb2.TaggedRunMetadata(tag="profile", run_metadata=payload))

    events = [session_log_event(0), scalar_event("a", 0, 0), run_metadata(0, b"\x1a\x00"),
              scalar_event("a", 1, 1), run_metadata(1, b"\x1a\x00\x1a\x00"), session_log_event(1)]
    write_with_tensorboard(tmp_path, events)
    assert_logdir_matches_tensorboard(tmp_path)


_OPS = st.one_of(
    st.tuples(st.just("scalar"), st.sampled_from(["a", "b"]), st.integers(0, 12)),
    st.tuples(st.just("tensor"), st.just("t"), st.integers(0, 12)),
    st.tuples(st.just("histo"), st.just("h"), st.integers(0, 12)),
    st.tuples(st.just("start"), st.just(""), st.integers(0, 12)),
    st.tuples(st.just("graph"), st.just(""), st.integers(0, 12)),
    st.tuples(st.just("run_metadata"), st.sampled_from(["rm1", "rm2"]), st.integers(0, 12)),
)


@read_settings
@given(
    files=st.lists(
        st.tuples(st.sampled_from([None, "brain.Event:1", "brain.Event:2"]), st.lists(_OPS, max_size=25)),
        min_size=1, max_size=3,
    )
)
def test_purging_matches_event_accumulator(files):
    from tensorboard.compat.proto import event_pb2
    from tensorboard.compat.proto.config_pb2 import RunMetadata
    from tensorboard.plugins.scalar import summary_v2 as scalar_v2

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        value = 0.0
        for index, (version, ops) in enumerate(files):
            events = [file_version_event(version)] if version else []
            for kind, tag, step in ops:
                value += 1
                if kind == "scalar":
                    events.append(scalar_event(tag, step, value))
                elif kind == "tensor":
                    events.append(event(step, summary=scalar_v2.scalar_pb(tag, value)))
                elif kind == "histo":
                    events.append(_summary(step, histo=tag))
                elif kind == "graph":
                    events.append(event(step, graph_def=b"\n\x05\n\x01n\x12\x00" + bytes([int(value) % 128])))
                elif kind == "run_metadata":
                    # One payload per tag: which of a tag's run metadata survives a purge
                    # differs (test_restart_purges_run_metadata).
                    events.append(event(step, tagged_run_metadata=event_pb2.TaggedRunMetadata(
                        tag=tag, run_metadata=RunMetadata(partition_graphs=[{}] * len(tag)).SerializeToString())))
                else:
                    events.append(session_log_event(step))
            write_event_file(root / event_file_name(1000 + index), events)
        assert_logdir_matches_tensorboard(root)
