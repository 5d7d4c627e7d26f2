"""The web app at ``/``: the built app in ``flowscope/web/static`` when present,
else a placeholder page that lists the data routes."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

import flowscope
from flowscope.server.favicon import favicon
from flowscope.web import STATIC_DIR

WEB_APP = STATIC_DIR

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flowscope</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:46em;margin:3em auto;padding:0 1em}}
code{{background:#f3f3f3;padding:0 .3em}}</style></head>
<body><h1>flowscope {version}</h1>
<p>The web app is not built into this installation. The data is served all the same:</p>
<ul>
<li><a href="api/runs"><code>/api/runs</code></a>: runs, their tags per plugin and versions</li>
<li><a href="data/runs"><code>/data/runs</code></a>, <a href="data/plugins_listing"><code>/data/plugins_listing</code></a>
 and the other TensorBoard routes under <code>/data/plugin/...</code></li>
<li><code>/api/events</code>: server-sent events on every change</li>
</ul></body></html>
"""


def placeholder(request: Request) -> HTMLResponse:
    return HTMLResponse(PLACEHOLDER.format(version=flowscope.__version__))


def web_routes(directory: Path = WEB_APP) -> list[BaseRoute]:
    icon = Route("/favicon.ico", favicon)
    if (directory / "index.html").is_file():
        return [icon, Mount("/", app=StaticFiles(directory=directory, html=True), name="web")]
    return [icon, Route("/", placeholder), Route("/index.html", placeholder)]
