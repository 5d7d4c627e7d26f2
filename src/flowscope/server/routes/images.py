"""Images and audio: per-tag sample counts, the steps of one sample, and the bytes."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
from google.protobuf.message import DecodeError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flowscope.data import points as kinds
from flowscope.data.points import TensorPoint
from flowscope.data.run import Run
from flowscope.proto.plugins_pb2 import AudioPluginData
from flowscope.server import catalog
from flowscope.server.blobs import decode_key, encode_key, image_media_type
from flowscope.server.errors import bad_request, not_found
from flowscope.server.jsonio import JsonResponse, json_response
from flowscope.server.params import (
    find_run,
    find_tag,
    int_param,
    required,
    run_and_tag,
    runs_snapshot,
)

WAV = "audio/wav"
OCTET_STREAM = "application/octet-stream"
AUDIO_TYPES = {WAV, OCTET_STREAM}


def _blobs(plugin: str, value: np.ndarray) -> list[bytes]:
    """The blobs of one step: images after their width and height, audio's first column."""
    if plugin == kinds.IMAGES:
        return list(value.reshape(-1)[2:])
    return list(value.reshape(-1, 2)[:, 0]) if value.size else []


def _sample_listing(request: Request, plugin: str) -> JsonResponse:
    listing: dict[str, dict[str, dict]] = {}
    for run in runs_snapshot(request).values():
        for tag in catalog.tags_by_plugin(run).get(plugin, []):
            metadata = catalog.tag_metadata(run, tag)
            samples = max((len(_blobs(plugin, p.value)) for p in run.points(tag)), default=0)
            listing.setdefault(run.name, {})[tag] = {
                "displayName": metadata.display_name,
                "description": catalog.describe(metadata),
                "samples": samples,
            }
    return json_response(listing)


def _sample_points(run: Run, tag: str, plugin: str, sample: int) -> list[tuple[TensorPoint, bytes]]:
    """Each step's ``sample``-th blob, for the steps that have that many."""
    found = []
    for point in run.points(tag):
        blobs = _blobs(plugin, point.value)
        if 0 <= sample < len(blobs):
            found.append((point, blobs[sample]))
    return found


def image_tags(request: Request) -> JsonResponse:
    return _sample_listing(request, kinds.IMAGES)


def images(request: Request) -> JsonResponse:
    """``[{wall_time, step, query}]``; ``query`` is for ``individualImage``."""
    run, tag = run_and_tag(request, kinds.IMAGES)
    sample = int_param(request, "sample", 0)
    body = [
        {
            "wall_time": p.wall_time,
            "step": p.step,
            "query": urlencode({"blob_key": encode_key(run.name, tag, p.step, sample)}),
        }
        for p, _ in _sample_points(run, tag, kinds.IMAGES, sample)
    ]
    return json_response(body)


def _blob(request: Request, plugin: str) -> bytes:
    run_name, tag, step, sample = decode_key(required(request, "blob_key"))
    run = find_run(request, run_name)
    find_tag(run, tag, plugin)
    for point, blob in _sample_points(run, tag, plugin, sample):
        if point.step == step:
            return blob
    raise not_found(f"no {plugin} sample {sample} at step {step} of run {run_name!r} tag {tag!r}")


def individual_image(request: Request) -> Response:
    data = _blob(request, kinds.IMAGES)
    return Response(data, media_type=image_media_type(data))


def audio_type(run: Run, tag: str) -> str:
    """WAV unless the plugin data names another encoding (or is unreadable); old-style
    audio is WAV."""
    content = catalog.tag_metadata(run, tag).plugin_data.content
    if not content:
        return WAV
    try:
        encoding = AudioPluginData.FromString(content).encoding
    except DecodeError:
        return OCTET_STREAM
    return WAV if encoding == AudioPluginData.WAV else OCTET_STREAM


def audio_tags(request: Request) -> JsonResponse:
    return _sample_listing(request, kinds.AUDIO)


def audio(request: Request) -> JsonResponse:
    """``[{wall_time, label, step, contentType, query}]``; ``query`` is for ``individualAudio``."""
    run, tag = run_and_tag(request, kinds.AUDIO)
    sample = int_param(request, "sample", 0)
    content_type = audio_type(run, tag)
    body = [
        {
            "wall_time": p.wall_time,
            "label": "",
            "step": p.step,
            "contentType": content_type,
            "query": urlencode(
                {
                    "blob_key": encode_key(run.name, tag, p.step, sample),
                    "content_type": content_type,
                }
            ),
        }
        for p, _ in _sample_points(run, tag, kinds.AUDIO, sample)
    ]
    return json_response(body)


def individual_audio(request: Request) -> Response:
    content_type = request.query_params.get("content_type", WAV)
    if content_type not in AUDIO_TYPES:
        raise bad_request(f"content_type must be one of {sorted(AUDIO_TYPES)}")
    return Response(_blob(request, kinds.AUDIO), media_type=content_type)


routes = [
    Route("/data/plugin/images/tags", image_tags),
    Route("/data/plugin/images/images", images),
    Route("/data/plugin/images/individualImage", individual_image),
    Route("/data/plugin/audio/tags", audio_tags),
    Route("/data/plugin/audio/audio", audio),
    Route("/data/plugin/audio/individualAudio", individual_audio),
]
