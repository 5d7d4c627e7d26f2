"""Fixtures of the server tests: one logdir written by real writers, served by
flowscope and by tensorboard once per module (tensorboard is slow to start)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import server_logs
from server_harness import flowscope_server, tensorboard_server

REAL_GRAPH_LOGS = Path(__file__).parent.parent / "data" / "graphs"


@pytest.fixture(scope="module")
def compare_logdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Every summary kind from three writers, plus TensorFlow-written graph logs."""
    logdir = tmp_path_factory.mktemp("compare")
    server_logs.write_all(str(logdir))
    for name in ("tf1_train", "tf2_trace", "keras_mlp"):
        if (REAL_GRAPH_LOGS / name).is_dir():
            shutil.copytree(REAL_GRAPH_LOGS / name, logdir / "tf" / name)
    return str(logdir)


@pytest.fixture(scope="module")
def flowscope_url(compare_logdir: str) -> Iterator[str]:
    with flowscope_server(compare_logdir) as url:
        yield url


@pytest.fixture(scope="module")
def tensorboard_url(compare_logdir: str) -> Iterator[str]:
    with tensorboard_server(compare_logdir) as url:
        yield url
