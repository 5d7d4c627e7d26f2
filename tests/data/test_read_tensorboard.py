"""Logs written with tensorboard's own summary helpers, protos and EventFileWriter,
read by flowscope and by TensorBoard's EventAccumulator, compared value by value."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.support.records import event, write_with_tensorboard
from tests.support.reference import assert_logdir_matches_tensorboard, load_accumulator, open_logdir


def test_everything_matches_event_accumulator(tensorboard_logdir):
    counts = assert_logdir_matches_tensorboard(tensorboard_logdir)
    # Every kind was really compared, not skipped.
    for kind in ("scalars", "histograms", "images", "audio", "text", "pr_curves", "hparams", "graph",
                 "run_metadata", "graph_keras_model", "graph_run_metadata_graph", "tensors"):
        assert counts.get(kind), f"nothing of kind {kind} was compared: {counts}"


def test_runs_and_plugins(tensorboard_logdir):
    ld = open_logdir(tensorboard_logdir)
    assert ld.run_names() == ["hparams", "hparams/trial0", "hparams/trial1", "tf1", "tf2"]
    tf1 = ld.runs["tf1"]
    assert tf1.plugin_of == {"loss": "scalars", "lr": "scalars", "activations": "histograms",
                             "input": "images", "sound": "audio"}
    tf2 = ld.tags()["tf2"]
    assert {"loss", "metrics/accuracy", "weights", "text/table", "images/v2", "audio/v2", "pr/curve"} <= set(tf2)


def test_scalar_values_as_written(tensorboard_logdir):
    ld = open_logdir(tensorboard_logdir)
    df = ld.scalars(run="tf2", tag="loss")
    assert df["step"].tolist() == list(range(6))
    assert df["value"].tolist() == [float(np.float32(1.0 / (s + 1))) for s in range(6)]
    # Float64 and int64 tensors keep their precision.
    assert ld.scalars(run="tf2", tag="double")["value"].tolist() == [1 / 3 + s for s in range(6)]
    assert ld.scalars(run="tf2", tag="int_scalar")["value"].tolist() == [2.0**40 + s for s in range(6)]
    special = ld.scalars(run="tf2", tag="nan_inf")["value"].tolist()
    assert math.isnan(special[0]) and special[1:3] == [math.inf, -math.inf]
    assert special[4] == 0.0 and math.copysign(1, special[4]) == -1
    assert special[5] == float(np.float32(1e-45))


def test_old_style_histogram_edges_become_min_and_max(tensorboard_logdir):
    ld = open_logdir(tensorboard_logdir)
    df = ld.histograms(run="tf1", tag="activations")
    assert len(df) == 8
    for _, row in df.iterrows():
        assert np.all(np.isfinite(row["lefts"])) and np.all(np.isfinite(row["rights"]))
        assert np.all(row["lefts"] <= row["rights"])
        assert row["num"] == 30
        assert row["min"] == row["lefts"][0] and row["max"] == row["rights"][-1]


def test_empty_histogram(tensorboard_logdir):
    df = open_logdir(tensorboard_logdir).histograms(run="tf2", tag="empty")
    assert len(df) == 6
    assert all(row["counts"].sum() == 0 for _, row in df.iterrows())


def test_audio_keeps_labels(tensorboard_logdir):
    df = open_logdir(tensorboard_logdir).audio(run="tf2", tag="audio/v2")
    assert df[df["step"] == 3]["label"].tolist() == ["label 3", ""]
    assert df[df["step"] == 3]["index"].tolist() == [0, 1]


def test_graph_from_graph_def_preferred_over_meta_graph(tensorboard_logdir):
    from flowscope.proto.graph_pb2 import GraphDef

    graph = GraphDef.FromString(open_logdir(tensorboard_logdir).runs["tf1"].graph_def)
    assert [n.name for n in graph.node] == ["x", "y"]


def test_graph_from_meta_graph_alone(tmp_path):
    from tensorboard.compat.proto import meta_graph_pb2

    meta = meta_graph_pb2.MetaGraphDef()
    meta.graph_def.node.add(name="only_in_meta", op="Const")
    write_with_tensorboard(tmp_path, [event(0, meta_graph_def=meta.SerializeToString())])
    run = open_logdir(tmp_path).runs["."]
    assert run.graph_def == load_accumulator(tmp_path).SerializedGraph()
    assert b"only_in_meta" in run.graph_def


def test_written_hparams_experiment_and_sessions(tensorboard_logdir):
    from flowscope.data import hparams as hp

    ld = open_logdir(tensorboard_logdir)
    experiment = hp.experiment(list(ld.runs.values()))
    assert [h.name for h in experiment.hparam_infos] == ["lr", "optimizer"]
    assert [m.name.tag for m in experiment.metric_infos] == ["loss"]
    assert experiment.metric_infos[0].display_name == "Loss"
    df = ld.hparams().set_index("run")
    assert sorted(df.index) == ["hparams/trial0", "hparams/trial1"]
    assert df.loc["hparams/trial0", "lr"] == 0.01 and df.loc["hparams/trial1", "optimizer"] == "sgd"
    assert df.loc["hparams/trial0", "status"] == "STATUS_SUCCESS"
    assert df.loc["hparams/trial1", "start_time"] == 1001 and df.loc["hparams/trial1", "end_time"] == 2001
    # The metric is the last value of the session's own "loss" series.
    assert df.loc["hparams/trial1", "loss"] == pytest.approx(np.float32(0.1 * 10 / 4))
    assert df.loc["hparams/trial0", "loss"] == pytest.approx(np.float32(0.01 * 10 / 4))


def test_hparams_experiment_inferred_without_experiment_tag(tmp_path):
    from tensorboard.plugins.hparams import summary_v2 as hp_v2
    from tensorboard.plugins.scalar import summary_v2 as scalar_v2

    from flowscope.data import hparams as hp
    from flowscope.proto.plugins_pb2 import HParamDataType

    trials = [{"lr": 0.1, "opt": "adam", "bn": True}, {"lr": 0.3, "opt": "sgd", "bn": True}]
    for i, hparams in enumerate(trials):
        events = [event(0, summary=hp_v2.hparams_pb(hparams, trial_id=str(i)))]
        events.append(event(1, summary=scalar_v2.scalar_pb("acc", 0.5 + i / 10)))
        write_with_tensorboard(tmp_path / f"t{i}", events)
        write_with_tensorboard(tmp_path / f"t{i}" / "eval", [event(1, summary=scalar_v2.scalar_pb("acc", 0.4))])
    ld = open_logdir(tmp_path)
    experiment = hp.experiment(list(ld.runs.values()))
    infos = {h.name: h for h in experiment.hparam_infos}
    assert set(infos) == {"lr", "opt", "bn"}
    assert infos["lr"].type == HParamDataType.DATA_TYPE_FLOAT64
    assert (infos["lr"].domain_interval.min_value, infos["lr"].domain_interval.max_value) == (0.1, 0.3)
    assert infos["lr"].differs and infos["opt"].differs and not infos["bn"].differs
    assert list(infos["opt"].domain_discrete) == ["adam", "sgd"]
    assert infos["bn"].type == HParamDataType.DATA_TYPE_BOOL
    metrics = sorted((m.name.group, m.name.tag) for m in experiment.metric_infos)
    assert metrics == [("", "acc"), ("eval", "acc")]
    df = ld.hparams().set_index("run")
    assert df.loc["t1", "acc"] == pytest.approx(0.6) and df.loc["t1", "eval/acc"] == pytest.approx(0.4)
    assert bool(df.loc["t0", "bn"]) is True
