"""Text summaries rendered to sanitized HTML."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.server import catalog
from flowscope.server.html import text_to_safe_html
from flowscope.server.jsonio import JsonResponse, json_response
from flowscope.server.params import run_and_tag, runs_snapshot


def tags(request: Request) -> JsonResponse:
    """``{run: [tag, ...]}``."""
    listing = {}
    for run in runs_snapshot(request).values():
        found = catalog.tags_by_plugin(run).get(kinds.TEXT)
        if found:
            listing[run.name] = found
    return json_response(listing)


def text(request: Request) -> JsonResponse:
    """``[{wall_time, step, text}]``; ``markdown=false`` renders the strings as they are."""
    run, tag = run_and_tag(request, kinds.TEXT)
    use_markdown = request.query_params.get("markdown") != "false"
    body = [
        {"wall_time": p.wall_time, "step": p.step, "text": text_to_safe_html(p.value, use_markdown)}
        for p in run.points(tag)
    ]
    return json_response(body)


routes = [
    Route("/data/plugin/text/tags", tags),
    Route("/data/plugin/text/text", text),
]
