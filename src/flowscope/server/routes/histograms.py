"""Histograms and distributions (histograms compressed to 9 basis points)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.data.tensors import compress_histogram
from flowscope.server import catalog
from flowscope.server.jsonio import JsonResponse, cleanse, finite_list, json_response
from flowscope.server.params import run_and_tag, runs_snapshot


def tags(request: Request) -> JsonResponse:
    return json_response(catalog.tag_listing(runs_snapshot(request), kinds.HISTOGRAMS))


def histograms(request: Request) -> JsonResponse:
    """``[[wall_time, step, [[left, right, count], ...]], ...]``."""
    run, tag = run_and_tag(request, kinds.HISTOGRAMS)
    body = [[p.wall_time, p.step, finite_list(p.value)] for p in run.points(tag)]
    return json_response(body)


def distributions(request: Request) -> JsonResponse:
    """``[[wall_time, step, [[basis_point, value] x 9]], ...]``."""
    run, tag = run_and_tag(request, kinds.HISTOGRAMS)
    body = [
        [p.wall_time, p.step, [[bp, value] for bp, value in compress_histogram(p.value)]]
        for p in run.points(tag)
    ]
    return json_response(cleanse(body))


routes = [
    Route("/data/plugin/histograms/tags", tags),
    Route("/data/plugin/histograms/histograms", histograms),
    Route("/data/plugin/distributions/tags", tags),
    Route("/data/plugin/distributions/distributions", distributions),
]
