"""Logs written by tensorboardX, compared value by value with EventAccumulator."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.reference import assert_logdir_matches_tensorboard, open_logdir

pytest.importorskip("tensorboardX")
pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning")


def test_everything_matches_event_accumulator(tensorboardx_logdir):
    counts = assert_logdir_matches_tensorboard(tensorboardx_logdir)
    for kind in ("scalars", "histograms", "images", "text", "pr_curves", "hparams", "graph", "custom_scalars"):
        assert counts.get(kind), f"nothing of kind {kind} was compared: {counts}"


def test_run_names(tensorboardx_logdir):
    # tensorboardX's add_scalars nests its runs one level deeper than torch's.
    assert open_logdir(tensorboardx_logdir).run_names() == ["tbx", "tbx/pair/train", "tbx/pair/val", "tbx/trial"]


def test_values_as_written(tensorboardx_logdir):
    ld = open_logdir(tensorboardx_logdir)
    loss = ld.scalars(run="tbx", tag="loss")
    assert loss["step"].tolist() == list(range(0, 40, 5))
    assert loss["value"].tolist() == [float(np.float32(1 / (s + 1))) for s in range(0, 40, 5)]
    raw = ld.histograms(run="tbx", tag="raw")
    row = raw.iloc[0]
    # Buckets (left, right], the first from the recorded min, the last up to the max.
    assert row["lefts"].tolist() == [-1.0, -0.5, 0.0, 1.0]
    assert row["rights"].tolist() == [-0.5, 0.0, 1.0, 3.0]
    assert row["counts"].tolist() == [1, 2, 0, 3]
    assert (row["min"], row["max"], row["num"]) == (-1.0, 3.0, 6)
    images = ld.images(run="tbx", tag="batch")
    assert len(images) == 8  # one tiled image per step
    assert ld.text(run="tbx")["step"].tolist() == list(range(0, 40, 5))


def test_embedding(tensorboardx_logdir):
    from flowscope.data.projector import find_embeddings
    from flowscope.io.files import Location

    location = Location.parse(str(tensorboardx_logdir))
    (emb,) = find_embeddings("tbx", location, location.join("tbx"))
    np.testing.assert_allclose(emb.tensor(), np.arange(12, dtype=np.float32).reshape(4, 3))
    assert emb.metadata()["label"].tolist() == list("wxyz")
