"""Notebook helpers: graphs inline, and the web app in an output cell.

A `flowscope.graph.Graph` already renders itself inline (it has ``_repr_svg_``);
`show` is the one-call form. `serve` starts the server in a background thread
and returns something Jupyter displays as the app.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import uvicorn

from flowscope.data.logdir import Logdir
from flowscope.graph import Graph, load
from flowscope.server import create_app
from flowscope.server.security import Security
from flowscope.server.sockets import tcp_socket

# Jupyter on this machine (or forwarded to it) and VS Code's notebook views.
NOTEBOOK_FRAME_ANCESTORS = (
    "'self' http://localhost:* http://127.0.0.1:* https://localhost:* https://127.0.0.1:* "
    "vscode-webview: vscode-file:"
)


def show(
    source: str,
    run: str | None = None,
    tag: str | None = None,
    expand: Iterable[str] = (),
    expand_all: bool = False,
) -> Graph:
    """A graph from a file or logdir, with the named groups expanded; the last
    expression of a cell displays it as SVG."""
    graph = load(source, run, tag)
    if expand_all:
        graph.expand_all()
    for name in expand:
        graph.expand(name)
    return graph


@dataclass
class Served:
    """A running server; Jupyter shows it as the app in an iframe."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread
    height: int = 720

    def _repr_html_(self) -> str:
        return f'<iframe src="{self.url}" width="100%" height="{self.height}" style="border:0"></iframe>'

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(
    logdir: str,
    port: int = 0,
    reload_interval: float = 5.0,
    height: int = 720,
    frame_ancestors: str = NOTEBOOK_FRAME_ANCESTORS,
) -> Served:
    """Serves ``logdir`` on localhost from a background thread (``port`` 0 picks a free
    one). ``frame_ancestors``: the pages that may show the app in a frame (a CSP source
    list), by default notebooks served from this machine and VS Code's."""
    sock = tcp_socket()
    sock.bind(("127.0.0.1", port))
    security = Security(frame_ancestors=frame_ancestors)
    app = create_app(Logdir(logdir, load=False), reload_interval, security=security)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    host, bound_port = sock.getsockname()
    return Served(f"http://{host}:{bound_port}/", server, thread, height)
