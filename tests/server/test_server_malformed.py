"""Malformed data in the logdir and malformed request bodies: the server answers a 4xx
with a clear message, never a 500, keeps every other run and point, and a 500 from a
bug says nothing about its cause and leaves the connection open."""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flowscope.server import catalog
from tests.support.records import (
    event_file_name,
    file_version_event,
    scalar_event,
    tensor_event,
    tensor_proto,
    tf_record,
    write_event_file,
)
from tests.support.servers import flowscope_server, wait_until

NAME = event_file_name(1000)


def deep_graph_def(depth: int) -> bytes:
    """A GraphDef whose one node holds an attribute nested ``depth`` functions deep."""

    def field(number: int, payload: bytes) -> bytes:
        size, length = len(payload), b""
        while size > 0x7F:
            length += bytes([size & 0x7F | 0x80])
            size >>= 7
        return bytes([number << 3 | 2]) + length + bytes([size]) + payload

    attr = b""
    for _ in range(depth):  # AttrValue{func: NameAttrList{name: "f", attr: {"k": attr}}}
        attr = field(10, field(1, b"f") + field(2, field(1, b"k") + field(2, attr)))
    node = field(1, b"a") + field(2, b"Const") + field(5, field(1, b"k") + field(2, attr))
    return field(1, node)


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tensorboard.compat.proto import event_pb2

    root = tmp_path_factory.mktemp("malformed")
    bad = {
        "histogram": ("h", "histograms", tensor_proto("DT_DOUBLE", [3], double_val=[1, 2, 3])),
        "pr_curve": ("pr", "pr_curves", tensor_proto("DT_FLOAT", [2, 5], float_val=[1] * 10)),
        "string_scalar": ("s", "scalars", tensor_proto("DT_STRING", [], string_val=[b"x"])),
    }
    for run, (tag, plugin, proto) in bad.items():
        events = [file_version_event(), scalar_event("loss", 0, 0.5), tensor_event(tag, 1, proto, plugin)]
        write_event_file(root / run / NAME, [*events, scalar_event("loss", 2, 0.25)])
    config = 'embeddings { tensor_name: "not_finite" tensor_path: "tensors.tsv" }'
    (root / "histogram" / "projector_config.pbtxt").write_text(config)
    (root / "histogram" / "tensors.tsv").write_text("nan\t1\n2\t3\n")
    graph = event_pb2.Event(step=0, wall_time=1.0, graph_def=deep_graph_def(5000))
    write_event_file(root / "deep_graph" / NAME, [file_version_event(), graph])
    return root


@pytest.fixture(scope="module")
def url(logdir: Path) -> Iterator[str]:
    with flowscope_server(str(logdir)) as base:
        yield base


ROUTES = [
    ("/data/plugin/histograms/histograms?run=histogram&tag=h", 404, "no histograms tag 'h'"),
    ("/data/plugin/distributions/distributions?run=histogram&tag=h", 404, "no histograms tag 'h'"),
    ("/data/plugin/pr_curves/pr_curves?run=pr_curve&tag=pr", 404, "no pr_curves tag 'pr'"),
    ("/data/plugin/scalars/scalars?run=string_scalar&tag=s", 404, "no scalars tag 's'"),
    ("/data/plugin/graphs/graph?run=deep_graph", 422, "cannot read the graph of run 'deep_graph'"),
    ("/api/graph/view?run=deep_graph", 422, "cannot read the graph of run 'deep_graph'"),
    ("/api/projector/pca?run=histogram&name=not_finite", 400, "NaN or infinite values"),
]


@pytest.mark.parametrize("path, status, message", ROUTES)
def test_malformed_log_data_gets_a_4xx(url, path, status, message):
    response = httpx.get(url + path)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]
    for run in ("histogram", "pr_curve", "string_scalar"):
        assert [p[1] for p in httpx.get(f"{url}/data/plugin/scalars/scalars?run={run}&tag=loss").json()] == [0, 2]


BODIES = {
    "deep JSON array": ("/api/graph/view", b"[" * 100_000 + b"]" * 100_000, 400, "nested too deeply"),
    "deep JSON object": ("/api/graph/view", b'{"run": "x", "k": ' * 3000 + b"1" + b"}" * 3000, 400, "nested too deeply"),
    "5,000-digit depth": ("/api/graph/view", b'{"depth": ' + b"7" * 5000 + b"}", 400, "digits"),
    "5,000-digit query": ("/api/graph/search", b'{"q": ' + b"9" * 5000 + b"}", 400, "digits"),
    "deep hparams request": ("/data/plugin/hparams/experiment", b'{"a": ' * 5000 + b"}" * 5000, 400, "Experiment"),
    "Keras upload of []": ("/api/graph/upload?name=model.json", b"[]", 422, "a Keras model config is a JSON object, not list"),
    "Keras upload of null": ("/api/graph/upload?name=model.json", b"null", 422, "not NoneType"),
    "Keras upload of a list config": ("/api/graph/upload?name=model.json", b'{"config": []}', 422, "not a Keras model config"),
    "deep Keras upload": ("/api/graph/upload?name=model.json", b"[" * 100_000, 422, "cannot read"),
}


@pytest.mark.parametrize("case", BODIES)
def test_malformed_bodies_get_a_4xx(url, case):
    path, body, status, message = BODIES[case]
    response = httpx.post(url + path, content=body)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]


def test_a_bug_answers_a_generic_500_and_keeps_the_connection(url, monkeypatch, caplog):
    def broken(runs):
        raise RuntimeError("secret detail /home/someone/private")

    monkeypatch.setattr(catalog, "ordered_runs", broken)
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    with caplog.at_level(logging.ERROR):
        connection.request("GET", "/data/runs")
        response = connection.getresponse()
        body = response.read().decode()
    assert response.status == 500 and "secret" not in body and "RuntimeError" not in body
    assert "internal server error" in body
    assert any("secret detail" in (r.exc_text or "") for r in caplog.records), "not logged"
    sock = connection.sock
    assert sock is not None, "the server closed the connection after the 500"
    connection.request("GET", "/api/status")
    assert connection.getresponse().status == 200 and connection.sock is sock
    connection.close()


def test_reloads_keep_every_run_and_point_around_a_malformed_summary(tmp_path):
    """The issue's scenario on a live server: steps 11-20 of the run and the runs after
    it are served, and stay served through further reloads."""
    mismatch = tensor_proto("DT_FLOAT", [5], tensor_content=b"\0" * 12)
    events = [
        file_version_event(),
        *(scalar_event("loss", s, s / 10) for s in range(10)),
        tensor_event("bad", 10, mismatch),
        *(scalar_event("loss", s, s / 10) for s in range(11, 21)),
    ]
    path = write_event_file(tmp_path / "a_run" / NAME, events)
    write_event_file(tmp_path / "b_run" / NAME, [file_version_event(), scalar_event("loss", 0, 1.0)])

    def steps(base: str, run: str) -> list[int]:
        return [p[1] for p in httpx.get(f"{base}/data/plugin/scalars/scalars?run={run}&tag=loss").json()]

    with flowscope_server(str(tmp_path), reload_interval=0.2) as base:
        assert httpx.get(base + "/data/runs").json() == ["a_run", "b_run"]
        assert steps(base, "a_run") == [*range(10), *range(11, 21)]
        with open(path, "ab") as f:
            f.write(tf_record(tensor_event("bad", 21, mismatch).SerializeToString()))
            f.write(tf_record(scalar_event("loss", 22, 2.2).SerializeToString()))
        write_event_file(tmp_path / "c_run" / NAME, [file_version_event(), scalar_event("loss", 0, 1.0)])
        wait_until(lambda: len(httpx.get(base + "/data/runs").json()) == 3, 10, "the new run")
        reloads = httpx.get(base + "/api/status").json()["reloads"]
        wait_until(lambda: httpx.get(base + "/api/status").json()["reloads"] > reloads + 1, 10, "reloads")
        time.sleep(0.1)
        assert steps(base, "a_run") == [*range(10), *range(11, 21), 22]
        assert steps(base, "b_run") == [0] and steps(base, "c_run") == [0]
