"""Precision-recall curves."""

from __future__ import annotations

import numpy as np
from starlette.requests import Request
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.server import catalog
from flowscope.server.errors import bad_request
from flowscope.server.jsonio import JsonResponse, finite_list, json_response
from flowscope.server.params import find_run, find_tag, runs_snapshot

TP, FP, TN, FN, PRECISION, RECALL = range(6)


def tags(request: Request) -> JsonResponse:
    return json_response(catalog.tag_listing(runs_snapshot(request), kinds.PR_CURVES))


def curve(wall_time: float, step: int, data: np.ndarray) -> dict:
    """One step's curve, without the trailing thresholds where nothing is predicted positive."""
    predicted = data[TP].astype(np.int64) + data[FP].astype(np.int64)
    nonzero = np.flatnonzero(predicted)
    end = int(nonzero[-1]) + 1 if nonzero.size else 1
    counts = data[:4, :end].astype(np.int64)
    return {
        "wall_time": wall_time,
        "step": step,
        "precision": finite_list(data[PRECISION, :end]),
        "recall": finite_list(data[RECALL, :end]),
        "true_positives": counts[TP].tolist(),
        "false_positives": counts[FP].tolist(),
        "true_negatives": counts[TN].tolist(),
        "false_negatives": counts[FN].tolist(),
        "thresholds": np.linspace(0.0, 1.0, data.shape[1])[:end].tolist(),
    }


def pr_curves(request: Request) -> JsonResponse:
    """``{run: [curve per step]}`` for one ``tag`` and repeated ``run`` parameters."""
    names = request.query_params.getlist("run")
    tag = request.query_params.get("tag")
    if not names:
        raise bad_request("query parameter 'run' is required (repeat it for several runs)")
    if not tag:
        raise bad_request("query parameter 'tag' is required")
    body = {}
    for name in names:
        run = find_run(request, name)
        find_tag(run, tag, kinds.PR_CURVES)
        body[name] = [curve(p.wall_time, p.step, p.value) for p in run.points(tag)]
    return json_response(body)


routes = [
    Route("/data/plugin/pr_curves/tags", tags),
    Route("/data/plugin/pr_curves/pr_curves", pr_curves),
]
