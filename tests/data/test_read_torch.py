"""Logs written by torch.utils.tensorboard, compared value by value with EventAccumulator."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.reference import assert_logdir_matches_tensorboard, open_logdir

pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning")


def test_everything_matches_event_accumulator(torch_logdir):
    counts = assert_logdir_matches_tensorboard(torch_logdir)
    for kind in ("scalars", "histograms", "images", "audio", "text", "pr_curves", "hparams", "graph",
                 "run_metadata", "custom_scalars"):
        assert counts.get(kind), f"nothing of kind {kind} was compared: {counts}"


def test_run_names(torch_logdir):
    ld = open_logdir(torch_logdir)
    # add_scalars and add_hparams write into sub-directories, which are runs of their own.
    assert ld.run_names() == ["torch", "torch/pair_train", "torch/pair_val", "torch/trial_a", "torch/trial_b"]


def test_scalars(torch_logdir):
    ld = open_logdir(torch_logdir)
    loss = ld.scalars(run="torch", tag="loss")
    assert loss["step"].tolist() == list(range(8))
    assert loss["value"].tolist() == [float(np.float32(1 / (s + 1))) for s in range(8)]
    assert ld.scalars(run="torch", tag="double")["value"].tolist() == [1 / 3 + s for s in range(8)]
    assert ld.scalars(run="torch/pair_val", tag="pair")["value"].tolist() == [-float(s) for s in range(8)]


def test_images_and_audio(torch_logdir):
    ld = open_logdir(torch_logdir)
    images = ld.images(run="torch", tag="batch")
    assert images["step"].tolist() == [0, 2, 4, 6]  # add_images tiles the batch into one image
    assert images["index"].tolist() == [0] * 4
    single = ld.images(run="torch", tag="image")
    assert set(single["width"]) == {5} and set(single["height"]) == {4}
    assert all(img.startswith(b"\x89PNG") for img in images["image"])
    audio = ld.audio(run="torch", tag="audio")
    assert audio["step"].tolist() == [0, 2, 4, 6]
    assert all(clip.startswith(b"RIFF") for clip in audio["audio"])


def test_text(torch_logdir):
    df = open_logdir(torch_logdir).text(run="torch")
    assert df["tag"].unique().tolist() == ["text/text_summary"]
    assert [v.tolist() for v in df["value"]] == [[f"hello **{s}** é"] for s in (0, 2, 4, 6)]


def test_pr_curve_raw(torch_logdir):
    df = open_logdir(torch_logdir).pr_curves(run="torch", tag="pr_raw")
    (row,) = [r for _, r in df.iterrows()]
    assert row["step"] == 1
    assert row["true_positives"].tolist() == [3, 2, 1]
    np.testing.assert_allclose(row["precision"], [0.5, 0.66, 1.0], rtol=1e-6)
    np.testing.assert_allclose(row["thresholds"], [0, 0.5, 1])


def test_graph(torch_logdir):
    from flowscope.proto.graph_pb2 import GraphDef
    from flowscope.proto.run_metadata_pb2 import RunMetadata

    run = open_logdir(torch_logdir).runs["torch"]
    graph = GraphDef.FromString(run.graph_def)
    ops = [n.op for n in graph.node]
    assert any("linear" in op.lower() for op in ops) and any("relu" in op.lower() for op in ops)
    assert list(run.run_metadata) == ["step1"]
    RunMetadata.FromString(run.run_metadata["step1"])  # parses


def test_hparams(torch_logdir):
    ld = open_logdir(torch_logdir)
    df = ld.hparams().set_index("run")
    assert sorted(df.index) == ["torch/trial_a", "torch/trial_b"]
    assert df.loc["torch/trial_a", "lr"] == 0.1 and df.loc["torch/trial_b", "optimizer"] == "adam"
    assert bool(df.loc["torch/trial_a", "bn"]) is True and bool(df.loc["torch/trial_b", "bn"]) is False
    assert df.loc["torch/trial_b", "layers"] == 4
    assert df.loc["torch/trial_a", "hparam/accuracy"] == pytest.approx(0.9)
    assert df.loc["torch/trial_b", "hparam/loss"] == pytest.approx(0.3)
    assert set(df["status"]) == {"STATUS_SUCCESS"}
    # Filter by run.
    assert ld.hparams(run="torch/trial_b")["run"].tolist() == ["torch/trial_b"]


def test_embeddings(torch_logdir):
    from flowscope.data.projector import find_embeddings
    from flowscope.io.files import Location

    location = Location.parse(str(torch_logdir))
    embeddings = {e.name.split(":")[0]: e for e in find_embeddings("torch", location, location.join("torch"))}
    assert set(embeddings) == {"emb", "multi"}
    np.testing.assert_allclose(embeddings["emb"].tensor(), np.arange(15, dtype=np.float32).reshape(5, 3) / 7, rtol=1e-6)
    assert embeddings["emb"].metadata()["label"].tolist() == list("abcde")
    multi = embeddings["multi"]
    assert multi.tensor().shape == (2, 4)
    meta = multi.metadata()
    assert meta.columns.tolist() == ["name", "n"] and meta["name"].tolist() == ["x", "y"]
    sprite = multi.sprite()
    assert sprite is not None and sprite.startswith(b"\x89PNG")
    assert list(multi.info.sprite.single_image_dim) == [4, 4]
    assert embeddings["emb"].sprite() is None
