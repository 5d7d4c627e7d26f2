"""HParams with no written experiment: both servers infer it from the sessions."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support import server_logs
from tests.support.compare import assert_close
from tests.support.servers import flowscope_server, tensorboard_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    logdir = str(tmp_path_factory.mktemp("hparams"))
    server_logs.write_hparams_runs(logdir, experiment=False)
    with flowscope_server(logdir) as ours, tensorboard_server(logdir) as theirs:
        yield ours, theirs


def post(url: str, path: str, body: str) -> dict:
    response = httpx.post(url + path, content=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_inferred_experiment(urls):
    ours, theirs = (post(url, "/data/plugin/hparams/experiment", "{}") for url in urls)
    assert [m["name"] for m in theirs["metricInfos"]] == [
        {"tag": "accuracy", "group": ""},
        {"tag": "loss", "group": "eval"},
    ]
    for experiment in (ours, theirs):
        for info in experiment["hparamInfos"]:
            info.get("domainDiscrete", []).sort()
    assert_close(ours, theirs)


@pytest.mark.parametrize("order", ["ORDER_ASC", "ORDER_DESC"])
def test_session_groups_sorted_by_a_metric(urls, order):
    body = (
        '{"allowedStatuses": ["STATUS_SUCCESS"], "sliceSize": 10, "colParams": '
        '[{"metric": {"tag": "loss", "group": "eval"}, "order": "' + order + '"}]}'
    )
    ours, theirs = (post(url, "/data/plugin/hparams/session_groups", body) for url in urls)
    assert theirs["totalSize"] == 3
    assert_close(ours, theirs)
