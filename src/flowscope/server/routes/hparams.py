"""HParams: ``experiment`` and ``session_groups``, proto-JSON in and out, by POST body
or by a ``request`` query parameter."""

from __future__ import annotations

from typing import TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from flowscope.proto.plugins_pb2 import GetExperimentRequest, ListSessionGroupsRequest
from flowscope.server import session_groups
from flowscope.server.errors import bad_request
from flowscope.server.jsonio import JsonResponse
from flowscope.server.params import runs_snapshot

M = TypeVar("M", bound=Message)


async def _parse(request: Request, message: type[M]) -> M:
    text = (
        (await request.body()).decode("utf-8", "replace")
        if request.method == "POST"
        else request.query_params.get("request", "")
    )
    try:
        return json_format.Parse(text or "{}", message())
    except json_format.ParseError as err:
        raise bad_request(f"expected a JSON {message.DESCRIPTOR.name}: {err}") from None


def _proto_json(message: Message) -> JsonResponse:
    text = json_format.MessageToJson(message, always_print_fields_with_no_presence=True)
    return JsonResponse(text.encode("utf-8"))


async def experiment(request: Request) -> JsonResponse:
    parsed = await _parse(request, GetExperimentRequest)
    include_metrics = not parsed.HasField("include_metrics") or parsed.include_metrics
    runs = list(runs_snapshot(request).values())
    found = await run_in_threadpool(
        session_groups.experiment, runs, include_metrics, parsed.hparams_limit
    )
    return _proto_json(found)


async def list_session_groups(request: Request) -> JsonResponse:
    parsed = await _parse(request, ListSessionGroupsRequest)
    found = await run_in_threadpool(
        session_groups.list_session_groups, runs_snapshot(request), parsed
    )
    return _proto_json(found)


routes = [
    Route("/data/plugin/hparams/experiment", experiment, methods=["GET", "POST"]),
    Route("/data/plugin/hparams/session_groups", list_session_groups, methods=["GET", "POST"]),
]
