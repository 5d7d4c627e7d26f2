"""Finding and reading graph nodes as a person does: search that ignores case and how
words are joined, attributes as values (``1×784``, ``float32``, ``[1, 2, 2, 1]``), and
a mistyped ``--expand`` name answered with the real names it probably meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from flowscope.cli.main import main
from flowscope.data.logdir import Logdir
from flowscope.io.writer import SummaryWriter
from flowscope.proto.graph_pb2 import GraphDef
from flowscope.server import create_app

GRAPHS = Path(__file__).parents[1] / "data" / "graphs"


def torch_like_graph() -> GraphDef:
    """Ops named as torch's tracer names modules, the attribute in brackets."""
    graph = GraphDef()
    names = [
        "input/ids",
        "BertModel/Embedding[embeddings]/embedding",
        "BertModel/BertEncoder[encoder]/BertLayer[0]/Linear[query]/linear",
        "BertModel/BertEncoder[encoder]/BertLayer[1]/Linear[query]/linear",
    ]
    for k, name in enumerate(names):
        node = graph.node.add(name=name, op="aten::linear" if k else "IO Node")
        if k:
            node.input.append(names[k - 1])
    return graph


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("readable")
    with SummaryWriter(str(root / "inception")) as writer:
        writer.add_graph((GRAPHS / "keras_inception_v3.pb").read_bytes())
    ld = Logdir(str(root), load=False)
    ld.reload()
    with TestClient(create_app(ld, 0)) as client:
        yield client


def test_search_ignores_case_and_separators(client):
    for query in ("Mixed_6", "MIXED6", "mixed 6"):
        found = client.get("/api/graph/search", params={"run": "inception", "q": query}).json()
        assert [hit["name"] for hit in found["hits"]][:1] == ["inception_v3_1/mixed6_1"], query
    regex = client.get(
        "/api/graph/search", params={"run": "inception", "q": "^INCEPTION_V3_1/mixed6_1$"}
    )
    assert [hit["name"] for hit in regex.json()["hits"]] == ["inception_v3_1/mixed6_1"]


def test_node_attributes_are_readable_values(client):
    conv = client.get(
        "/api/graph/node",
        params={"run": "inception", "name": "inception_v3_1/conv2d_1/convolution/(convolution)"},
    ).json()
    attrs = {a["key"]: a["value"] for a in conv["attrs"]}
    assert attrs["T"] == "float32" and attrs["strides"] == "[1, 2, 2, 1]"
    assert attrs["padding"] == "VALID" and attrs["use_cudnn_on_gpu"] == "true"
    assert not any("{" in value for value in attrs.values())


def test_expand_with_a_mistyped_name_suggests_the_real_one(tmp_path, capsys):
    source = tmp_path / "bert.pb"
    source.write_bytes(torch_like_graph().SerializeToString())
    out = str(tmp_path / "view.json")
    assert main(["graph", str(source), "-o", out, "--expand", "BertModel/BertEncoder"]) == 1
    err = capsys.readouterr().err
    assert "no node named 'BertModel/BertEncoder'" in err
    assert "did you mean 'BertModel/BertEncoder[encoder]'" in err
    assert (
        main(["graph", str(source), "-o", out, "--expand", "BertModel/BertEncoder[encoder]"]) == 0
    )


def test_expand_suggestions_on_the_traced_bert(tmp_path, capsys):
    out = str(tmp_path / "view.json")
    assert (
        main(["graph", str(GRAPHS / "torch_bert"), "-o", out, "--expand", "BertModel/Embedding"])
        == 1
    )
    assert "did you mean 'BertModel/Embedding[embeddings]'" in capsys.readouterr().err
    assert (
        main(["graph", str(GRAPHS / "torch_bert"), "-o", out, "--expand", "BertModel/BertLayr[3]"])
        == 1
    )
    assert "'BertModel/BertLayer[3]'" in capsys.readouterr().err
