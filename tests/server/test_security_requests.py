"""Protection from hostile requests and pages: request bodies limited while they
stream, the Host check that defeats DNS rebinding, cross-origin POSTs refused, and
the headers that keep browsers from sniffing, framing or running what is served."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flowscope import notebook
from flowscope.io.writer import SummaryWriter
from flowscope.proto.graph_pb2 import GraphDef
from flowscope.server.security import Security
from tests.support.cli_server import cli_server
from tests.support.raw_http import read_answer, stream_until_answered
from tests.support.servers import flowscope_server, wait_until

HUGE = 1536 << 20  # 1.5 GiB


def write_logdir(root: Path) -> None:
    graph = GraphDef()
    graph.node.add(name="input", op="Placeholder")
    graph.node.add(name="relu", op="Relu", input=["input"])
    with SummaryWriter(str(root / "train")) as writer:
        writer.add_graph(graph)
        writer.add_scalar("loss", 0.5, 1)


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("guards")
    write_logdir(root)
    return root


@pytest.fixture(scope="module")
def url(logdir: Path) -> Iterator[str]:
    with flowscope_server(str(logdir)) as base:
        yield base


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


# -- request bodies ------------------------------------------------------------------------


def test_a_huge_chunked_post_is_refused_early_and_memory_is_released(logdir):
    with cli_server(str(logdir), "--max_upload_mb", "8") as (url, process):
        before = process.memory_info().rss
        start = time.monotonic()
        status, sent = stream_until_answered(url, "/api/graph/upload?name=g.pb", HUGE)
        assert status == 413
        assert sent < 32 << 20 and time.monotonic() - start < 20
        time.sleep(0.5)
        assert process.memory_info().rss - before < 16 << 20
        assert httpx.get(f"{url}/data/runs").json() == ["train"]
        small = httpx.post(f"{url}/api/graph/upload?name=g.pb", content=b"\x00" * (7 << 20))
        assert small.status_code != 413


def test_a_declared_length_over_the_limit_is_refused_before_the_body(url):
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=10) as sock:
        sock.sendall(
            f"POST /api/graph/view HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {HUGE}\r\n"
            "Content-Type: application/json\r\n\r\n{".encode()
        )
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413") and b"limited to 256 MiB" in answer


# -- Host and Origin -----------------------------------------------------------------------


def test_a_rebound_host_name_is_refused(url):
    port = port_of(url)
    refused = httpx.get(f"{url}/data/runs", headers={"Host": f"attacker.example:{port}"})
    assert refused.status_code == 403
    assert "--allowed_hosts attacker.example" in refused.json()["error"]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "app.localhost"):
        assert httpx.get(f"{url}/data/runs", headers={"Host": host}).json() == ["train"]


def test_allowed_hosts_and_all_interfaces(logdir):
    options = ("--allowed_hosts", "flowscope.team.example,.corp.example")
    with cli_server(str(logdir), *options) as (url, _):
        for host, status in [
            ("flowscope.team.example", 200),
            ("gpu1.corp.example:8080", 200),
            ("corp.example", 200),
            ("evilcorp.example", 403),
            (socket.gethostname(), 403),
        ]:
            answer = httpx.get(f"{url}/data/runs", headers={"Host": host})
            assert answer.status_code == status, host
    with cli_server(str(logdir), "--host", "0.0.0.0") as (url, _):
        local = url.replace("0.0.0.0", "127.0.0.1")
        for host, status in [
            (socket.gethostname(), 200),
            ("10.1.2.3:6006", 200),
            ("x.example", 403),
        ]:
            assert httpx.get(f"{local}/data/runs", headers={"Host": host}).status_code == status


def test_cross_origin_posts_are_refused(url):
    upload = f"{url}/api/graph/upload?name=g.pbtxt"
    graph = b'node { name: "x" op: "Relu" }'

    def post_graph(origin: str) -> httpx.Response:
        return httpx.post(
            upload, content=graph, headers={"Content-Type": "text/plain", "Origin": origin}
        )

    evil = post_graph("http://attacker.example")
    assert evil.status_code == 403 and "cross-origin" in evil.json()["error"]
    own = post_graph(url)
    assert own.status_code == 200 and own.json()["ops"] == 1
    hparams = f"{url}/data/plugin/hparams/session_groups"
    assert httpx.post(hparams, content=b"{}", headers={"Origin": "null"}).status_code == 403
    assert httpx.post(hparams, content=b"{}").status_code == 200  # no Origin: not a browser
    proxied = {"Origin": "https://team.example", "X-Forwarded-Host": "team.example"}
    assert httpx.post(hparams, content=b"{}", headers=proxied).status_code == 200
    assert httpx.get(f"{url}/data/runs", headers={"Origin": "http://x.example"}).status_code == 200


def test_host_and_origin_rules():
    local = Security()
    assert local.allows_host("localhost:6006") and local.allows_host("LOCALHOST")
    assert local.allows_host("192.168.1.20:6006") and local.allows_host("[fe80::1]:80")
    assert not local.allows_host("") and not local.allows_host("localhost.attacker.example")
    assert Security(allowed_hosts=("*",)).allows_host("anything.example")
    assert local.allows_origin("http://127.0.0.1:6006", ["127.0.0.1:6006"])
    assert not local.allows_origin("http://127.0.0.1:6007", ["127.0.0.1:6006"])
    assert not Security(allowed_hosts=("*",)).allows_origin("http://a.example", ["b:1"])
    team = Security(allowed_hosts=("team.example",))
    assert team.allows_origin("https://team.example", ["127.0.0.1:6006"])
    with pytest.raises(ValueError):
        Security(frame_ancestors="'self'; script-src *")


# -- headers -------------------------------------------------------------------------------


def test_pages_and_svg_carry_a_content_security_policy(url):
    page = httpx.get(f"{url}/")
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.headers["x-content-type-options"] == "nosniff"
    svg = httpx.get(f"{url}/api/graph/svg", params={"run": "train"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in svg.headers["content-security-policy"]
    assert "default-src 'none'" in svg.headers["content-security-policy"]
    assert svg.headers["x-content-type-options"] == "nosniff"
    data = httpx.get(f"{url}/data/runs")
    assert data.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in data.headers


def test_framing_can_be_opened_to_more_pages(logdir):
    sources = "'self' https://notebooks.team.example"
    with cli_server(str(logdir), "--frame_ancestors", sources) as (url, _):
        page = httpx.get(f"{url}/")
        assert f"frame-ancestors {sources}" in page.headers["content-security-policy"]
        assert "x-frame-options" not in page.headers
    served = notebook.serve(str(logdir), reload_interval=0)
    try:
        wait_until(lambda: httpx.get(served.url).status_code == 200, 30, "the notebook server")
        policy = httpx.get(served.url).headers["content-security-policy"]
        assert "http://localhost:*" in policy and "http://127.0.0.1:*" in policy
    finally:
        served.stop()
