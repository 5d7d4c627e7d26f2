"""Serving a fuzzed logdir in-process, and sending every route hostile requests.

A canary file sits next to the logdir: its content must never appear in a response.
Routes are enumerated from the app, so a new route is fuzzed without being listed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
from hypothesis import strategies as st
from starlette.routing import Route
from starlette.testclient import TestClient

from flowscope.data.logdir import Logdir
from flowscope.proto.event_pb2 import Event
from flowscope.proto.summary_pb2 import Summary
from flowscope.server import create_app
from tests.fuzz.fuzz_inputs import frame

CANARY = b"CANARY-flowscope-fuzz-5e1d0c"
EVENT_FILE = "events.out.tfevents.1.fuzz"
VALID_STEPS = list(range(5))
MAX_RSS_GROWTH = 200 << 20  # per fuzzed input, after the first
EVENT_STREAM = "/api/events"  # never ends while the server runs; asked once its feed is closed
# Every query parameter some route reads, and one no route reads.
PARAMETERS = [
    "run", "tag", "sample", "blob_key", "format", "name", "limit_attr_size", "large_attrs_key",
    "conceptual", "request", "content_type", "markdown", "components", "columns", "q", "depth",
    "colour", "expanded", "ungrouped", "include", "exclude", "upload", "node", "runs", "unknown",
]  # fmt: skip


def scalar_record(step: int, tag: str = "valid") -> bytes:
    """A framed event with one scalar of ``tag`` at ``step``."""
    value = Summary.Value(tag=tag, simple_value=step / 4)
    return frame(Event(step=step, wall_time=1.0 + step, summary=Summary(value=[value])).SerializeToString())


def write_valid_run(logdir: Path) -> None:
    """The run ``valid``: scalar ``loss`` at `VALID_STEPS`, next to whatever is broken."""
    (logdir / "valid").mkdir(parents=True, exist_ok=True)
    (logdir / "valid" / EVENT_FILE).write_bytes(b"".join(scalar_record(s, "loss") for s in VALID_STEPS))


@dataclass
class Site:
    """A served logdir, the canary next to it, and the paths that point at the canary."""

    client: TestClient
    logdir: Path
    escapes: list[str]

    def run_and_tag_names(self) -> tuple[list[str], list[str]]:
        """The runs, and the tags of all runs with the names of their embeddings."""
        runs = dict(self.client.app.state.logdir.runs)  # type: ignore[attr-defined]
        tags = {tag for run in runs.values() for tag in run.tags()}
        tags.update(e["name"] for e in self.client.get("/api/projector/embeddings").json())
        return list(runs), sorted(tags)


def escaping_projector_config(escapes: list[str]) -> str:
    """A projector config whose embedding ``e<i>`` takes all its files from ``escapes[i]``."""
    return "".join(
        f'embeddings {{ tensor_name: "e{i}" tensor_path: "{path}" metadata_path: "{path}" '
        f'sprite {{ image_path: "{path}" single_image_dim: [1, 1] }} }}\n'
        for i, path in enumerate(escapes)
    )


def plant_canary(root: Path) -> tuple[Path, list[str]]:
    """``root/logdir`` and, next to it, ``root/outside.txt`` holding `CANARY`; returns the
    logdir and paths that lead from it (or a run in it) to the canary."""
    logdir = root / "logdir"
    logdir.mkdir(parents=True, exist_ok=True)
    canary = root / "outside.txt"
    canary.write_bytes(CANARY + b"\n1\t2\n")
    return logdir, ["../outside.txt", "../../outside.txt", str(canary), "sub/../../outside.txt", "file://" + str(canary)]


@contextlib.contextmanager
def serve(logdir: Path, escapes: list[str]) -> Iterator[Site]:
    """The app on ``logdir`` once loaded (with its change feed closed, so that the event
    stream ends after its first event)."""
    app = create_app(Logdir(str(logdir), load=False, samples_per_plugin={"": 0}), 0)
    with TestClient(app, base_url="http://127.0.0.1") as client:  # a host name the server accepts
        deadline = time.monotonic() + 60
        while app.state.loader.loading:
            assert time.monotonic() < deadline, "the fuzzed logdir did not load"
            time.sleep(0.01)
        app.state.feed.close()
        yield Site(client, logdir, escapes)


def assert_valid_run_served(site: Site) -> None:
    rows = site.client.get("/data/plugin/scalars/scalars", params={"run": "valid", "tag": "loss"}).json()
    assert [row[1] for row in rows] == VALID_STEPS


def route_table(site: Site) -> list[tuple[str, list[str]]]:
    """(path template, methods) of every route of the app."""
    table = []
    for route in site.client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route):
            table.append((route.path, sorted((route.methods or {"GET"}) - {"HEAD"})))
    return table


def blob_key(run: str, tag: str, step: int, index: int) -> str:
    raw = json.dumps([run, tag, step, index]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@st.composite
def parameter_values(draw: st.DrawFn, site: Site) -> str:
    runs, tags = site.run_and_tag_names()
    named = [*runs, *tags, *site.escapes]
    choices = [
        st.sampled_from(named) if named else st.just("."),
        st.text(max_size=10),
        st.sampled_from(["0", "-1", "3", "99999999999999999999", "true", "false", "csv", "json", "graph", "structure", "nan"]),
        st.sampled_from(site.escapes),
        st.builds(blob_key, st.sampled_from([*runs, *site.escapes] or ["."]), st.sampled_from(tags or ["t"]), st.integers(-1, 60), st.integers(-1, 3)),
    ]
    return draw(st.one_of(choices))


@st.composite
def requests(draw: st.DrawFn, site: Site, bodies: st.SearchStrategy[bytes]) -> tuple[str, str, list[tuple[str, str]], bytes]:
    """(method, path, query, body) for one of the app's routes."""
    template, methods = draw(st.sampled_from([*route_table(site), ("/{rest:path}", ["GET", "POST"])]))
    rest = st.one_of(
        st.sampled_from(["x", "../outside.txt", "plugin/a/b", "%2e%2e/%2e%2e/outside.txt", "..%2foutside.txt"]),
        st.text(alphabet="abz./%2e_-", max_size=24),
    )
    path = template.replace("{rest:path}", draw(rest))
    query = draw(st.lists(st.tuples(st.sampled_from(PARAMETERS), parameter_values(site)), max_size=5))
    method = draw(st.sampled_from(methods))
    return method, path, query, draw(bodies) if method == "POST" else b""


def check_answer(site: Site, method: str, path: str, query: list, body: bytes, caplog) -> None:
    """Sends one request: no 5xx, and nothing of the canary."""
    caplog.clear()
    response = site.client.request(method, path, params=query, content=body)
    where = f"{method} {path} {query} body={body[:80]!r}"
    errors = [r.exc_text or r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    cause = errors[-1][-1200:] if errors else ""
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}\n{cause}"
    assert CANARY not in response.content, f"{where} served the file outside the logdir"
    assert all(CANARY.decode() not in value for value in response.headers.values())


def every_request_of(site: Site) -> Iterator[tuple[str, str, list[tuple[str, str]], bytes]]:
    """Each route with no parameters, with each run and one of its tags (and their blob
    key), and with a run name that leads outside the logdir."""
    runs = dict(site.client.app.state.logdir.runs)  # type: ignore[attr-defined]
    pairs = [(name, (run.tags() or [""])[0]) for name, run in runs.items()] + [(site.escapes[0], "x")]
    pairs += [(e["run"], e["name"]) for e in site.client.get("/api/projector/embeddings").json()]
    for template, methods in route_table(site):
        path = template.replace("{rest:path}", "x")
        for method in methods:
            body = b"{}" if method == "POST" else b""
            yield method, path, [], body
            for run, tag in pairs:
                query = [("run", run), ("tag", tag), ("name", tag), ("blob_key", blob_key(run, tag, 0, 0))]
                yield method, path, query, body


class RssBound:
    """Fails when the process grows more than `MAX_RSS_GROWTH` over one input."""

    def __init__(self) -> None:
        self.process = psutil.Process()

    def __enter__(self) -> RssBound:  # noqa: PYI034 (typing.Self needs Python 3.11)
        self.before = self.process.memory_info().rss
        return self

    def __exit__(self, *exc: object) -> None:
        grown = self.process.memory_info().rss - self.before
        assert grown < MAX_RSS_GROWTH, f"the process grew by {grown >> 20} MiB on one input"
