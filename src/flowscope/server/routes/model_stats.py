"""``/api/model_stats``: the per-layer norms written by ``SummaryWriter.add_model_stats``
as layer x step matrices, for the model insight dashboard."""

from __future__ import annotations

import json

import numpy as np
from starlette.requests import Request
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.server.jsonio import JsonResponse, cleanse, json_response
from flowscope.server.params import find_run, required

NORMS = ("weight_norm", "grad_norm")


def layer_names(run: Run) -> list[str]:
    """The layers in the model's order (the latest layer list), else in tag order."""
    latest = (
        run.latest(f"{kinds.MODEL_STATS}/layers") if run.plugin_of.get(f"{kinds.MODEL_STATS}/layers") else None
    )
    if latest is not None:
        try:
            names = json.loads(latest.value.reshape(-1)[0])
            if isinstance(names, list):
                return [str(name) for name in names]
        except (ValueError, IndexError, TypeError):
            pass
    prefix = f"{kinds.MODEL_STATS}/weight_norm/"
    return [tag[len(prefix) :] for tag in run.tags(kinds.SCALARS) if tag.startswith(prefix)]


def matrices(run: Run) -> dict:
    """``{run, layers, steps, weight_norm, grad_norm, kernels}``: each norm as one row per
    layer over the union of steps (null where a layer has no value at a step)."""
    layers = layer_names(run)
    scalar_tags = set(run.tags(kinds.SCALARS))
    series: dict[str, list[tuple[np.ndarray, np.ndarray] | None]] = {}
    all_steps: set[int] = set()
    for norm in NORMS:
        rows: list[tuple[np.ndarray, np.ndarray] | None] = []
        for layer in layers:
            tag = f"{kinds.MODEL_STATS}/{norm}/{layer}"
            if tag in scalar_tags:
                layer_steps, _, values = run.scalar_columns(tag)
                rows.append((layer_steps, values.astype(np.float64)))
                all_steps.update(layer_steps.tolist())
            else:
                rows.append(None)
        series[norm] = rows
    steps = sorted(all_steps)
    column = {step: i for i, step in enumerate(steps)}
    body: dict = {"run": run.name, "layers": layers, "steps": steps}
    for norm, rows in series.items():
        matrix: list[list[float | None]] = []
        for row in rows:
            cells: list[float | None] = [None] * len(steps)
            if row is not None:
                for step, value in zip(row[0].tolist(), row[1].tolist()):
                    cells[column[step]] = value
            matrix.append(cells)
        body[norm] = cleanse(matrix)
    body["kernels"] = [
        tag for tag in run.tags(kinds.IMAGES) if tag.startswith(f"{kinds.MODEL_STATS}/kernels/")
    ]
    return body


def model_stats(request: Request) -> JsonResponse:
    return json_response(matrices(find_run(request, required(request, "run"))))


routes = [Route("/api/model_stats", model_stats)]
