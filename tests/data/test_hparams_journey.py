"""HParams in the journey logdir (tests/data/journey, written by TensorFlow 2.21's
``hp.hparams_config``/``hp.hparams`` and torch's ``add_hparams``): each writer's
experiment holds, and the values match TensorBoard's own loader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from flowscope.data.logdir import Logdir
from tests.support.reference import load_accumulator

JOURNEY = Path(__file__).parent / "journey"
TRIALS = [f"tf2/hparam_tuning/trial-{i}" for i in range(3)]


@pytest.fixture(scope="module")
def table():
    return Logdir(str(JOURNEY)).hparams().set_index("run")


def test_both_experiments_hold_in_one_logdir(table):
    assert sorted(table.index) == [*TRIALS, "torch/hparams"]
    torch = table.loc["torch/hparams"]
    assert (torch["bs"], torch["lr"]) == (32, 0.1)
    assert torch["hparam/accuracy"] == pytest.approx(0.81)
    assert torch["status"] == "STATUS_SUCCESS"
    assert table.loc["tf2/hparam_tuning/trial-1", "optimizer"] == "sgd"
    assert np.isnan(table.loc["tf2/hparam_tuning/trial-1", "hparam/accuracy"])


def test_values_match_event_accumulator(table):
    from tensorboard.plugins.hparams import metadata
    from tensorboard.util import tensor_util

    for run in TRIALS:
        accumulator = load_accumulator(JOURNEY / run)
        content = accumulator.PluginTagToContent("hparams")[metadata.SESSION_START_INFO_TAG]
        start = metadata.parse_session_start_info_plugin_data(content)
        for name, value in start.hparams.items():
            kind = value.WhichOneof("kind")
            assert table.loc[run, name] == getattr(value, kind), (run, name)
        for tag in ("accuracy", "loss"):
            last = tensor_util.make_ndarray(accumulator.Tensors(tag)[-1].tensor_proto)
            assert table.loc[run, tag] == pytest.approx(float(last)), (run, tag)
