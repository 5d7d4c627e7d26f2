"""Fixtures of the server tests: one logdir written by real writers, served by
flowscope and by tensorboard once per module (tensorboard is slow to start)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.support import server_logs
from tests.support.graphdefs import GRAPHS
from tests.support.servers import FlowscopeServers, tensorboard_server


@pytest.fixture(scope="module")
def compare_logdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Every summary kind from three writers, plus TensorFlow-written graph logs."""
    logdir = tmp_path_factory.mktemp("compare")
    server_logs.write_all(str(logdir))
    for name in ("tf1_train", "tf2_trace", "keras_mlp"):
        if (GRAPHS / name).is_dir():
            shutil.copytree(GRAPHS / name, logdir / "tf" / name)
    return str(logdir)


@pytest.fixture(scope="module")
def flowscope_url(flowscope_servers: FlowscopeServers, compare_logdir: str) -> str:
    return flowscope_servers.url(compare_logdir)


@pytest.fixture(scope="module")
def tensorboard_url(compare_logdir: str) -> Iterator[str]:
    with tensorboard_server(compare_logdir) as url:
        yield url
