"""The app under its Content Security Policy: it runs, a notebook page on another local
origin can show it in a frame (as ``flowscope.notebook.serve`` allows), and another
site cannot frame a server started with the defaults."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flowscope import notebook
from tests.support.pages import open_dashboard
from tests.support.servers import free_port

DASHBOARDS = (
    "scalars", "images", "audio", "text", "histograms", "distributions", "pr_curves",
    "hparams", "graphs", "projector",
)  # fmt: skip


@contextlib.contextmanager
def page_embedding(directory: Path, src: str) -> Iterator[str]:
    """A page served from another origin (``localhost`` on another port) that shows
    ``src`` in an iframe, as a notebook's output cell does; yields its URL."""
    (directory / "index.html").write_text(
        f'<!doctype html><title>notebook</title><iframe src="{src}" width="900" height="600"></iframe>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_every_dashboard_runs_under_the_policy(page: Any, demo_url: str) -> None:
    violations: list[str] = []
    page.expose_function("reportViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI))"
    )
    for dashboard in DASHBOARDS:
        page.goto("about:blank")
        open_dashboard(page, demo_url, dashboard)
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_a_notebook_page_shows_the_app_in_a_frame(
    page: Any, demo_logdir: str, tmp_path: Path
) -> None:
    served = notebook.serve(demo_logdir, reload_interval=0)
    try:
        with page_embedding(tmp_path, served.url) as url:
            page.goto(url)
            frame = page.frame_locator("iframe")
            frame.locator("section.pane").first.wait_for()
    finally:
        served.stop()


def test_another_site_cannot_frame_a_default_server(
    page: Any, demo_url: str, tmp_path: Path
) -> None:
    with page_embedding(tmp_path, demo_url + "/") as url:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        child = page.frames[1]
        assert child.url.startswith("chrome-error://") or child.url == "about:blank"
        assert child.locator("section.pane").count() == 0
    blocked = [e for e in page.errors if e.startswith("Framing") and "frame-ancestors" in e]
    assert blocked
    page.errors[:] = [e for e in page.errors if e not in blocked]
