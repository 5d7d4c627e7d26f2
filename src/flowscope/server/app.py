"""The ASGI app: TensorBoard's data routes, flowscope's ``/api`` routes, the web app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.requests import Request
from starlette.routing import Route

from flowscope.data.logdir import Logdir
from flowscope.server.changes import ChangeFeed
from flowscope.server.errors import EXCEPTION_HANDLERS, InternalErrors, not_found
from flowscope.server.graph_store import GraphStore
from flowscope.server.loader import Loader
from flowscope.server.routes import (
    core,
    events,
    graph_view,
    graphs,
    histograms,
    hparams,
    images,
    media,
    model_stats,
    pr_curves,
    projector,
    scalar_columns,
    scalars,
    text,
)
from flowscope.server.static import WEB_APP, web_routes

GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 1  # fast: large scalar series compress well even at level 1
NOT_GZIPPED = "application/octet-stream"  # binary columns of floats barely compress


def _unknown_route(request: Request) -> None:
    raise not_found(f"no route {request.url.path}")


def create_app(logdir: Logdir, reload_interval: float, *, web_app: Path = WEB_APP) -> Starlette:
    """An app serving ``logdir``, loaded in the background and reloaded every
    ``reload_interval`` seconds (0: once) while the app runs."""
    feed = ChangeFeed()
    loader = Loader(logdir, reload_interval, feed)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        feed.bind(asyncio.get_running_loop())
        loader.start()
        warm_up = graph_view.start_warm_up(app)
        try:
            yield
        finally:
            warm_up.set()
            feed.close()
            loader.stop()

    route_modules = [
        core,
        scalars,
        scalar_columns,
        histograms,
        images,
        media,
        model_stats,
        projector,
        text,
        pr_curves,
        hparams,
        graphs,
        graph_view,
        events,
    ]
    routes = [route for module in route_modules for route in module.routes]
    routes += [
        Route("/data/{rest:path}", _unknown_route, methods=["GET", "POST"]),
        Route("/api/{rest:path}", _unknown_route, methods=["GET", "POST"]),
    ]
    app = Starlette(
        routes=routes + web_routes(web_app),
        middleware=[
            Middleware(InternalErrors),
            Middleware(
                GZipMiddleware,
                minimum_size=GZIP_MIN_BYTES,
                compresslevel=GZIP_LEVEL,
                exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, NOT_GZIPPED),
            )
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.logdir = logdir
    app.state.loader = loader
    app.state.feed = feed
    app.state.graph_store = GraphStore()
    return app
