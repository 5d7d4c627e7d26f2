"""Fixtures of the browser tests: logdirs (flowscope's demo, tensorboard's own writer,
torch.utils.tensorboard, real graphs) served by the session's flowscope servers, headless
Chromium (Debian's ``/usr/bin/chromium`` driven by playwright, never downloaded), and
pages that fail their test on a JavaScript error. Page helpers are in
``tests.support.pages``.

``tensorboard_logdir`` and ``torch_logdir`` here are the dashboards' logdirs, not the
reading tests' of ``tests/conftest.py``. Every test under ``tests/browser`` is marked
``browser``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, STATIC, VIEWPORT
from tests.support.dashboard_logs import (
    write_graphs_logdir,
    write_tensorboard_logdir,
    write_torch_logdir,
)
from tests.support.pages import WAIT_MS
from tests.support.servers import FlowscopeServers


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


# -- logdirs and their servers ------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_logdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    from flowscope.cli.demo import write_demo

    path = str(tmp_path_factory.mktemp("demo"))
    write_demo(path)
    return path


@pytest.fixture(scope="session")
def tensorboard_logdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("tensorboard"))
    write_tensorboard_logdir(path)
    return path


@pytest.fixture(scope="session")
def torch_logdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("torch"))
    write_torch_logdir(path)
    return path


@pytest.fixture(scope="session")
def graphs_logdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("graphs")
    write_graphs_logdir(path)
    return str(path)


@pytest.fixture(scope="session")
def demo_url(flowscope_servers: FlowscopeServers, demo_logdir: str) -> str:
    return flowscope_servers.url(demo_logdir)


@pytest.fixture(scope="session")
def tensorboard_url(flowscope_servers: FlowscopeServers, tensorboard_logdir: str) -> str:
    return flowscope_servers.url(tensorboard_logdir)


@pytest.fixture(scope="session")
def torch_url(flowscope_servers: FlowscopeServers, torch_logdir: str) -> str:
    return flowscope_servers.url(torch_logdir)


@pytest.fixture(scope="session")
def graphs_url(flowscope_servers: FlowscopeServers, graphs_logdir: str) -> str:
    return flowscope_servers.url(graphs_logdir)


# -- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Headless Chromium, shared by the session. Without Chromium, playwright or the
    built app the browser tests skip, unless FLOWSCOPE_REQUIRE_BROWSER is set (CI)."""
    missing = None
    if not STATIC.exists():
        missing = "the web app is not built (cd web && npm run build)"
    elif not os.path.exists(CHROMIUM):
        missing = f"no Chromium at {CHROMIUM}"
    if missing:
        if os.environ.get("FLOWSCOPE_REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page (own storage) whose JavaScript errors fail the test."""
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()
    assert not errors, f"errors in the page: {errors}"
