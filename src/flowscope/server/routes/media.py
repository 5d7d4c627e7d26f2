"""``/api/audio``: every clip of an audio series per step, with its label as safe HTML
(TensorBoard's ``audio`` route answers one sample index at a time)."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
from starlette.requests import Request
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.server.blobs import encode_key
from flowscope.server.html import markdown_to_safe_html
from flowscope.server.jsonio import JsonResponse, json_response
from flowscope.server.params import run_and_tag
from flowscope.server.routes.images import audio_type


def _label(value: object) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return markdown_to_safe_html(text) if text else ""


def audio_steps(request: Request) -> JsonResponse:
    """``[{step, wall_time, clips: [{label, content_type, query}]}]``; ``query`` is for
    ``/data/plugin/audio/individualAudio``."""
    run, tag = run_and_tag(request, kinds.AUDIO)
    content_type = audio_type(run, tag)
    body = []
    for point in run.points(tag):
        clips: np.ndarray | list = (
            np.asarray(point.value, dtype=object).reshape(-1, 2) if point.value.size else []
        )
        body.append(
            {
                "step": point.step,
                "wall_time": point.wall_time,
                "clips": [
                    {
                        "label": _label(label),
                        "content_type": content_type,
                        "query": urlencode(
                            {
                                "blob_key": encode_key(run.name, tag, point.step, index),
                                "content_type": content_type,
                            }
                        ),
                    }
                    for index, (_, label) in enumerate(clips)
                ],
            }
        )
    return json_response(body)


routes = [Route("/api/audio", audio_steps)]
