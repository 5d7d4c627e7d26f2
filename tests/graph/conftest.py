"""Fixtures for the graph tests: the committed real graphs, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowscope.graph import load
from tests.support.graphdefs import GRAPHS


@pytest.fixture(scope="session")
def graphs_dir() -> Path:
    return GRAPHS


@pytest.fixture(scope="session")
def tf1():
    return load(str(GRAPHS / "tf1_train"))


@pytest.fixture(scope="session")
def bert():
    return load(str(GRAPHS / "torch_bert"))


@pytest.fixture(scope="session")
def inception():
    return load(str(GRAPHS / "keras_inception_v3.pb"))


@pytest.fixture(scope="session")
def resnet50():
    return load(str(GRAPHS / "keras_resnet50.pb"))


@pytest.fixture(scope="session")
def torch_resnet():
    return load(str(GRAPHS / "torch_resnet"))
