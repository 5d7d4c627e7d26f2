"""HParams routes on a logdir holding two written experiments (TF2's ``hp.hparams_config``
and torch's ``add_hparams``, in tests/data/journey): both experiments' hparams and
metrics are served, and every session gets its own metric values."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.journey import JOURNEY
from tests.support.servers import flowscope_server


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with flowscope_server(str(JOURNEY)) as found:
        yield found


def post(url: str, path: str, body: str) -> dict:
    response = httpx.post(url + path, content=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_experiment_holds_both_writers_hparams_and_metrics(url):
    experiment = post(url, "/data/plugin/hparams/experiment", "{}")
    assert {h["name"] for h in experiment["hparamInfos"]} == {
        "num_units",
        "dropout",
        "optimizer",
        "lr",
        "bs",
    }
    assert [m["name"]["tag"] for m in experiment["metricInfos"]] == [
        "accuracy",
        "loss",
        "hparam/accuracy",
    ]


def test_torch_session_has_its_metric_beside_the_tf2_trials(url):
    groups = post(url, "/data/plugin/hparams/session_groups", '{"sliceSize": 0}')["sessionGroups"]
    runs = {group["sessions"][0]["name"]: group for group in groups}
    assert sorted(runs) == [f"tf2/hparam_tuning/trial-{i}" for i in range(3)] + ["torch/hparams"]
    torch = runs["torch/hparams"]
    assert torch["hparams"] == {"lr": 0.1, "bs": 32.0}
    assert [(m["name"]["tag"], m["value"]) for m in torch["metricValues"]] == [
        ("hparam/accuracy", pytest.approx(0.81))
    ]
    trial = runs["tf2/hparam_tuning/trial-1"]
    assert len(trial["name"]) == 64  # TF2 names a group by a hash; the app shows the run
    assert {m["name"]["tag"] for m in trial["metricValues"]} == {"accuracy", "loss"}
