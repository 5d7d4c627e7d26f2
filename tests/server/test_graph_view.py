"""The graph dashboard's routes: views laid out on the server, node info, search, input
traces, SVG, uploads, and 4xx answers to bad requests."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from flowscope.cli.demo import write_demo
from flowscope.data.logdir import Logdir
from flowscope.io.writer import SummaryWriter
from flowscope.proto.graph_pb2 import GraphDef
from flowscope.server import create_app

GRAPHS = Path(__file__).parents[1] / "data" / "graphs"
VIEW_KEYS = {"version", "width", "height", "colour_by", "nodes", "edges"}
NODE_KEYS = {
    "name", "kind", "label", "op", "parent", "expanded", "column", "x", "y", "width", "height",
    "template", "colour", "stats", "annotations",
}  # fmt: skip


def small_graph(names: list[str]) -> GraphDef:
    """A chain of ops named ``names``, each reading the one before, with shapes."""
    graph = GraphDef()
    for k, name in enumerate(names):
        node = graph.node.add(name=name, op="Placeholder" if k == 0 else "Relu")
        if k:
            node.input.append(names[k - 1])
        node.attr["_output_shapes"].list.shape.add().dim.add(size=7)
        node.device = "/device:CPU:0"
    graph.node[-1].attr["long"].s = b"x" * 1000
    return graph


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("graphs")
    write_demo(str(root))  # lr_0.1: InceptionV3; tf1_profile: a TF1 graph with RunMetadata
    for name in ("keras_mlp", "tf2_trace"):
        shutil.copytree(GRAPHS / name, root / name)
    with SummaryWriter(str(root / "chain")) as writer:
        writer.add_graph(small_graph(["input", "block/a", "block/b", "head"]))
    return root


@pytest.fixture(scope="module")
def client(logdir: Path) -> Iterator[TestClient]:
    app = create_app(Logdir(str(logdir), load=False), 0)
    with TestClient(app, base_url="http://localhost") as client:
        deadline = time.monotonic() + 60
        while client.get("/api/status").json()["loading"]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield client


def view(client: TestClient, **body) -> dict:
    response = client.post("/api/graph/view", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def names(body: dict) -> set[str]:
    return {node["name"] for node in body["nodes"]}


def test_runs_list_graph_kinds(client: TestClient) -> None:
    runs = {r["run"]: r["tags"] for r in client.get("/api/graph/runs").json()["runs"]}
    assert runs["lr_0.1"] == [{"tag": "__run_graph__", "kind": "op"}]
    assert {"tag": "__run_graph__", "kind": "op"} in runs["tf1_profile"]
    assert any(t["kind"] == "profile" for t in runs["tf1_profile"])
    assert runs["keras_mlp/train"] == [{"tag": "keras", "kind": "conceptual"}]
    assert runs["tf2_trace"] == [{"tag": "model_trace", "kind": "trace"}]
    assert "lr_0.03" not in runs  # no graph


def test_first_graph_is_loaded_ahead(client: TestClient) -> None:
    store = client.app.state.graph_store
    first = client.get("/api/graph/runs").json()["runs"][0]
    deadline = time.monotonic() + 30
    while (first["run"], first["tags"][0]["tag"]) not in store.loaded():
        assert time.monotonic() < deadline, store.loaded()
        time.sleep(0.05)


def test_every_runs_graph_is_prepared_in_the_background(client: TestClient) -> None:
    store = client.app.state.graph_store
    wanted = {(r["run"], r["tags"][0]["tag"]) for r in client.get("/api/graph/runs").json()["runs"]}
    assert len(wanted) > 2
    deadline = time.monotonic() + 60
    while not wanted <= set(store.loaded()):
        assert time.monotonic() < deadline, store.loaded()
        time.sleep(0.05)


def test_view_is_the_documented_json(client: TestClient) -> None:
    body = view(client, run="lr_0.1")
    assert VIEW_KEYS <= set(body)
    assert body["source"] == {"run": "lr_0.1", "tag": "__run_graph__"}
    assert body["expanded"] == [] and body["op_count"] > 1000
    assert all(NODE_KEYS <= set(node) for node in body["nodes"])
    assert all(node["parent"] == "" for node in body["nodes"])
    assert body["legend"]["mode"] == "structure"
    get = client.get("/api/graph/view", params={"run": "lr_0.1"}).json()
    assert get["nodes"] == body["nodes"]


def test_expanding_keeps_the_graph_and_adds_children(client: TestClient) -> None:
    top = view(client, run="lr_0.1")
    group = next(n["name"] for n in top["nodes"] if n["kind"] == "meta")
    entry = client.app.state.graph_store.for_run(client.app.state.logdir.runs["lr_0.1"], None)
    expanded = view(client, run="lr_0.1", expanded=[group])
    assert expanded["expanded"] == [group]
    children = [n for n in expanded["nodes"] if n["parent"] == group]
    assert len(children) > 100
    # Served from the same loaded graph, whose layouts are cached per group.
    computed = entry.graph.layouts_computed
    view(client, run="lr_0.1", expanded=[group])
    assert entry.graph.layouts_computed == computed
    again = client.app.state.graph_store.for_run(client.app.state.logdir.runs["lr_0.1"], None)
    assert again is entry


def test_depth_unknown_names_and_collapsed_parents(client: TestClient) -> None:
    deep = view(client, run="chain", depth=3)
    assert deep["expanded"] == ["block"]
    assert {"block/a", "block/b"} <= names(deep)
    stale = view(client, run="chain", expanded=["no/such/node"])
    assert names(stale) == names(view(client, run="chain"))


def test_aspect_shapes_the_packing_of_parts(client: TestClient) -> None:
    wide = view(client, run="tf1_profile", aspect=3.0)
    tall = view(client, run="tf1_profile", aspect="0.5")
    assert wide["width"] / wide["height"] > 2 * tall["width"] / tall["height"]


def test_include_and_exclude_keep_other_expansions(client: TestClient) -> None:
    base = view(client, run="chain", expanded=["block"])
    assert {n["name"]: n["column"] for n in base["nodes"]}["block/a"] == "main"
    moved = view(client, run="chain", expanded=["block"], exclude=["block/a"])
    assert moved["expanded"] == ["block"]
    assert {n["name"]: n["column"] for n in moved["nodes"]}["block/a"] in ("in", "out")
    back = view(client, run="chain", expanded=["block"], exclude=["block/a"], include=["block/a"])
    assert {n["name"]: n["column"] for n in back["nodes"]}["block/a"] == "main"


def test_colour_modes_and_legends(client: TestClient) -> None:
    device = view(client, run="chain", colour="device")
    assert device["colour_by"] == "device"
    assert device["legend"]["items"][0]["label"].startswith("/device:CPU:0")
    assert device["available"]["device"] and not device["available"]["compute_time"]
    time_view = view(client, run="chain", colour="compute_time")
    assert time_view["legend"]["scale"] is None and "no step stats" in time_view["legend"]["note"]
    runs = {r["run"]: r["tags"] for r in client.get("/api/graph/runs").json()["runs"]}
    profile = next(t["tag"] for t in runs["tf1_profile"] if t["kind"] == "profile")
    memory = view(client, run="tf1_profile", tag=profile, colour="memory")
    assert memory["available"]["memory"]
    assert memory["legend"]["scale"]["unit"] == "bytes" and memory["legend"]["scale"]["max"] > 0
    structure = view(client, run="tf1_profile")
    labels = [item["label"] for item in structure["legend"]["items"]]
    assert len(labels) == len(set(labels)) and labels[-2:] == ["unique group", "op"]


def test_conceptual_and_traced_graphs(client: TestClient) -> None:
    keras = view(client, run="keras_mlp/train", tag="keras")
    assert keras["source"]["tag"] == "keras" and keras["nodes"]
    trace = view(client, run="tf2_trace", tag="model_trace")
    assert trace["nodes"]


def test_node_info(client: TestClient) -> None:
    info = client.get("/api/graph/node", params={"run": "chain", "name": "head"}).json()
    assert info["op"] == "Relu" and info["device"] == "/device:CPU:0"
    assert info["inputs"] == [
        {
            "name": "block/b",
            "node": "block/b",
            "op": "Relu",
            "shape": "7",
            "control": False,
            "count": 1,
        }
    ]
    long = next(a for a in info["attrs"] if a["key"] == "long")
    assert len(long["value"]) <= 160 and long["value"].endswith("…")
    group = client.get("/api/graph/node", params={"run": "chain", "name": "block"}).json()
    assert group["kind"] == "meta" and group["stats"]["op_count"] == 2 and group["children"] == 2
    assert [e["name"] for e in group["inputs"]] == ["input"]
    assert [e["name"] for e in group["outputs"]] == ["head"]


def test_series_can_be_ungrouped_and_regrouped(client: TestClient) -> None:
    body = view(client, run="tf1_profile")
    series = next(n["name"] for n in body["nodes"] if n["kind"] == "series")
    info = client.post("/api/graph/node", json={"run": "tf1_profile", "name": series}).json()
    assert info["series"] == {"name": series, "grouped": True}
    apart = view(client, run="tf1_profile", ungrouped=[series])
    assert series not in names(apart) and apart["ungrouped"] == [series]
    info = client.post(
        "/api/graph/node", json={"run": "tf1_profile", "name": series, "ungrouped": [series]}
    ).json()
    assert info["series"] == {"name": series, "grouped": False}


def test_search_gives_the_nodes_to_expand(client: TestClient) -> None:
    found = client.get("/api/graph/search", params={"run": "chain", "q": "^block/b$"}).json()
    assert found["total"] == 1
    hit = found["hits"][0]
    assert hit["expand"] == ["block"] and hit["target"] == "block/b"
    assert "block/b" in names(view(client, run="chain", expanded=hit["expand"]))
    literal = client.get("/api/graph/search", params={"run": "chain", "q": "block/("}).json()
    assert literal["total"] == 0  # an invalid regex is searched as plain text
    assert client.get("/api/graph/search", params={"run": "chain", "q": ""}).json()["hits"] == []


def test_trace_follows_inputs_only(client: TestClient) -> None:
    trace = client.post(
        "/api/graph/trace", json={"run": "chain", "name": "block/a", "expanded": ["block"]}
    ).json()
    assert set(trace["nodes"]) == {"input", "block", "block/a"}
    assert trace["ops"] == 1


def test_svg(client: TestClient) -> None:
    response = client.get("/api/graph/svg", params={"run": "chain"})
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg") and "block" in response.text


def test_upload_text_and_binary(client: TestClient) -> None:
    text = (GRAPHS / "tf1_train.pbtxt").read_bytes()
    first = client.post("/api/graph/upload?name=model.pbtxt", content=text).json()
    assert first["name"] == "model.pbtxt" and first["ops"] > 100
    again = client.post("/api/graph/upload?name=other.txt", content=text).json()
    assert again["id"] == first["id"]
    assert view(client, upload=first["id"])["source"]["upload"] == first["id"]
    binary = client.post(
        "/api/graph/upload?name=inception.pb",
        content=(GRAPHS / "keras_inception_v3.pb").read_bytes(),
    ).json()
    assert binary["ops"] > 2000
    assert client.get("/api/graph/view", params={"upload": binary["id"]}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/api/graph/view", {}, 400),
        ("get", "/api/graph/view", {"params": {"run": "nope"}}, 404),
        ("get", "/api/graph/view", {"params": {"run": "../etc"}}, 400),
        ("get", "/api/graph/view", {"params": {"run": "lr_0.03"}}, 404),
        ("get", "/api/graph/view", {"params": {"run": "chain", "tag": "x"}}, 404),
        ("get", "/api/graph/view", {"params": {"run": "chain", "colour": "red"}}, 400),
        ("get", "/api/graph/view", {"params": {"run": "chain", "depth": "two"}}, 400),
        ("get", "/api/graph/view", {"params": {"run": "chain", "depth": "-1"}}, 400),
        ("get", "/api/graph/view", {"params": {"run": "chain", "aspect": "wide"}}, 400),
        ("get", "/api/graph/view", {"params": {"run": "chain", "aspect": "9"}}, 400),
        ("post", "/api/graph/view", {"json": {"run": "chain", "aspect": 0.01}}, 400),
        ("get", "/api/graph/view", {"params": {"upload": "0123456789abcdef"}}, 404),
        ("post", "/api/graph/view", {"content": b"[1, 2]"}, 400),
        ("post", "/api/graph/view", {"content": b"{not json"}, 400),
        ("post", "/api/graph/view", {"json": {"run": "chain", "expanded": "block"}}, 400),
        ("post", "/api/graph/view", {"json": {"run": "chain", "expanded": [1]}}, 400),
        ("post", "/api/graph/view", {"json": {"run": ["chain"]}}, 400),
        ("get", "/api/graph/node", {"params": {"run": "chain"}}, 400),
        ("get", "/api/graph/node", {"params": {"run": "chain", "name": "nope"}}, 404),
        ("get", "/api/graph/trace", {"params": {"run": "chain", "name": "nope"}}, 404),
        ("post", "/api/graph/upload", {"content": b""}, 400),
        ("post", "/api/graph/upload?name=x.pb", {"content": b"\x00\xff garbage"}, 422),
        ("post", "/api/graph/upload?name=x.pbtxt", {"content": b"node { name: "}, 422),
        ("post", "/api/graph/upload?name=x.pbtxt", {"content": b"# nothing"}, 422),
    ],
)
def test_bad_requests_get_json_errors(client, method, path, kwargs, status) -> None:
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]
    assert client.get("/api/graph/runs").status_code == 200


def test_a_new_graph_in_a_run_is_picked_up(tmp_path: Path) -> None:
    with SummaryWriter(str(tmp_path / "run")) as writer:
        writer.add_graph(small_graph(["first", "second"]))
    app = create_app(Logdir(str(tmp_path), load=False), 0)
    with TestClient(app, base_url="http://localhost") as client:
        while client.get("/api/status").json()["loading"]:
            time.sleep(0.05)
        assert names(view(client, run="run")) == {"first", "second"}
        with SummaryWriter(str(tmp_path / "run")) as writer:
            writer.add_graph(small_graph(["third", "fourth"]))
        app.state.logdir.reload()
        assert names(view(client, run="run")) == {"third", "fourth"}
