"""Runs, the plugin listing and the environment (TensorBoard's core routes), and
flowscope's ``/api/runs`` and ``/api/status``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

import flowscope
from flowscope.data import points as kinds
from flowscope.io import plugins
from flowscope.server import catalog
from flowscope.server.jsonio import JsonResponse, json_response
from flowscope.server.params import logdir_of, runs_snapshot

# (dashboard, plugins whose data enables it, custom element, tab name, disable_reload)
DASHBOARDS = [
    ("scalars", {kinds.SCALARS}, "tf-scalar-dashboard", "scalars", False),
    ("images", {kinds.IMAGES}, "tf-image-dashboard", "images", False),
    ("audio", {kinds.AUDIO}, "tf-audio-dashboard", "audio", False),
    ("graphs", {catalog.GRAPHS, *kinds.GRAPH_PLUGINS}, "tf-graph-dashboard", "graphs", True),
    ("distributions", {kinds.HISTOGRAMS}, "tf-distribution-dashboard", "distributions", False),
    ("histograms", {kinds.HISTOGRAMS}, "tf-histogram-dashboard", "histograms", False),
    ("text", {kinds.TEXT}, "tf-text-dashboard", "text", False),
    ("pr_curves", {kinds.PR_CURVES}, "tf-pr-curve-dashboard", "PR Curves", False),
    ("hparams", {kinds.HPARAMS}, "tf-hparams-dashboard", "hparams", False),
]


def runs(request: Request) -> JsonResponse:
    """``["run", ...]`` ordered by first event time, then name."""
    return json_response([run.name for run in catalog.ordered_runs(runs_snapshot(request))])


def plugins_listing(request: Request) -> JsonResponse:
    present = catalog.plugins_with_data(runs_snapshot(request))
    listing = {
        name: {
            "disable_reload": disable_reload,
            "enabled": bool(plugins & present),
            "remove_dom": False,
            "tab_name": tab_name,
            "loading_mechanism": {"type": "CUSTOM_ELEMENT", "element_name": element},
        }
        for name, plugins, element, tab_name, disable_reload in DASHBOARDS
    }
    return json_response(listing)


def environment(request: Request) -> JsonResponse:
    return json_response(
        {
            "version": flowscope.__version__,
            "data_location": logdir_of(request).spec,
            "window_title": "",
            "experiment_name": "",
            "experiment_description": "",
            "creation_time": 0,
        }
    )


def logdir(request: Request) -> JsonResponse:
    return json_response({"logdir": logdir_of(request).spec})


def api_runs(request: Request) -> JsonResponse:
    """Every run with its tags per plugin and its version (bumped on each change), the
    plugins with data outside runs (the projector), and why a logdir gives no data."""
    loader = request.app.state.loader
    logdir = logdir_of(request)
    body = {
        "generation": logdir.generation,
        "loading": loader.loading,
        "error": logdir.error,
        "logdir": logdir.spec,
        "logdir_plugins": [plugins.PROJECTOR] if logdir.has_embeddings else [],
        "problems": logdir.problems,
        "runs": [
            {
                "name": run.name,
                "first_wall_time": run.first_wall_time,
                "version": run.version,
                "tags": catalog.tags_by_plugin(run),
            }
            for run in catalog.ordered_runs(runs_snapshot(request))
        ],
    }
    return json_response(body)


def api_status(request: Request) -> JsonResponse:
    """Whether the first load is still going on, how long it took, and why the logdir
    cannot be listed (``error``, null when it can)."""
    loader = request.app.state.loader
    return json_response(
        {
            "version": flowscope.__version__,
            "loading": loader.loading,
            "first_load_seconds": loader.first_load_seconds,
            "reloads": loader.reloads,
            "generation": logdir_of(request).generation,
            "runs": len(logdir_of(request).runs),
            "error": logdir_of(request).error,
        }
    )


routes = [
    Route("/data/runs", runs),
    Route("/data/plugins_listing", plugins_listing),
    Route("/data/environment", environment),
    Route("/data/logdir", logdir),
    Route("/api/runs", api_runs),
    Route("/api/status", api_status),
]
