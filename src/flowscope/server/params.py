"""Reading request parameters and looking up the runs and tags they name."""

from __future__ import annotations

import email.parser
import email.policy
from urllib.parse import parse_qs

from starlette.requests import Request

from flowscope.data.logdir import Logdir
from flowscope.data.run import Run
from flowscope.server.errors import bad_request, check_name, not_found


def logdir_of(request: Request) -> Logdir:
    return request.app.state.logdir


def runs_snapshot(request: Request) -> dict[str, Run]:
    """A copy of the run table, safe to iterate while the loader adds runs."""
    return dict(logdir_of(request).runs)


def required(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if value is None:
        raise bad_request(f"query parameter {name!r} is required")
    return value


def int_param(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise bad_request(f"query parameter {name!r} must be an integer, got {value!r}") from None


def find_run(request: Request, name: str) -> Run:
    """The run called ``name``; a 400 for a path-like name, a 404 for an unknown one."""
    run = logdir_of(request).runs.get(name)
    if run is None:
        check_name("run", name)
        raise not_found(f"no run named {name!r}")
    return run


def find_tag(run: Run, tag: str, plugins: str | tuple[str, ...]) -> str:
    """``tag`` if ``run`` has it for one of ``plugins``; else a 400 or 404."""
    wanted = (plugins,) if isinstance(plugins, str) else plugins
    plugin = run.plugin_of.get(tag)
    if plugin in wanted:
        return tag
    check_name("tag", tag)
    kinds = " or ".join(wanted)
    raise not_found(f"run {run.name!r} has no {kinds} tag {tag!r}")


def run_and_tag(request: Request, plugins: str | tuple[str, ...]) -> tuple[Run, str]:
    """The run and tag named by the ``run`` and ``tag`` query parameters."""
    run_name, tag = required(request, "run"), required(request, "tag")
    run = find_run(request, run_name)
    return run, find_tag(run, tag, plugins)


async def form_fields(request: Request) -> dict[str, list[str]]:
    """The fields of a urlencoded or multipart/form-data POST body."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        header = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
        fields: dict[str, list[str]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name is not None:
                payload = part.get_payload(decode=True)
                data = payload if isinstance(payload, bytes) else b""
                fields.setdefault(str(name), []).append(data.decode("utf-8", "replace"))
        return fields
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise bad_request("the form body is not UTF-8") from None
