"""Fixtures shared by every test directory: logdirs written by real writers (once per
session) and flowscope servers on free ports. Helpers that tests import live in the
`tests.support` package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import FlowscopeServers
from tests.support.writer_logs import (
    generate_tensorboard_logs,
    generate_tensorboardx_logs,
    generate_torch_logs,
)


@pytest.fixture(scope="session")
def tensorboard_logdir(tmp_path_factory) -> Path:
    return generate_tensorboard_logs(tmp_path_factory.mktemp("tensorboard_logs"))


@pytest.fixture(scope="session")
def torch_logdir(tmp_path_factory) -> Path:
    pytest.importorskip("torch")
    return generate_torch_logs(tmp_path_factory.mktemp("torch_logs"))


@pytest.fixture(scope="session")
def tensorboardx_logdir(tmp_path_factory) -> Path:
    pytest.importorskip("tensorboardX")
    pytest.importorskip("torch")
    return generate_tensorboardx_logs(tmp_path_factory.mktemp("tbx_logs"))


@pytest.fixture(scope="session")
def flowscope_servers() -> Iterator[FlowscopeServers]:
    """One flowscope server per logdir, started when first asked, shared by the session."""
    with FlowscopeServers() as servers:
        yield servers
