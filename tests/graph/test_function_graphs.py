"""Function graphs of a traced RunMetadata merged under ``graph_N/`` scopes, one way for
the graph dashboard (`load`) and for TensorBoard's graph route."""

from __future__ import annotations

from pathlib import Path

from google.protobuf import text_format
from starlette.testclient import TestClient

from flowscope.data import points as kinds
from flowscope.data.logdir import Logdir
from flowscope.graph import load
from flowscope.graph.importer import graph_from_run_metadata
from flowscope.proto.event_pb2 import Event
from flowscope.proto.graph_pb2 import GraphDef
from flowscope.proto.run_metadata_pb2 import RunMetadata
from flowscope.proto.summary_pb2 import Summary, SummaryMetadata
from flowscope.proto.tensor_pb2 import DataType, TensorProto
from flowscope.server import create_app
from tests.support.records import file_version_event, write_event_file


def function_graph(tag: str) -> GraphDef:
    """``x -> call(body_<tag>) -> y`` with a control input, and the called function."""
    graph = GraphDef()
    graph.versions.producer = 1882
    graph.node.add(name="x", op="Placeholder")
    call = graph.node.add(name="call", op="PartitionedCall", input=["x", "^x"])
    call.attr["f"].func.name = f"body_{tag}"
    graph.node.add(name="y", op="Identity", input=["call"])
    body = graph.library.function.add()
    body.signature.name = f"body_{tag}"
    return graph


def traced() -> RunMetadata:
    metadata = RunMetadata()
    for tag in ("a", "b"):
        metadata.function_graphs.add().pre_optimization_graph.CopyFrom(function_graph(tag))
    return metadata


def test_merged_scopes_control_inputs_and_functions() -> None:
    merged = graph_from_run_metadata(traced().SerializeToString())
    nodes = {n.name: n for n in merged.node}
    assert list(nodes) == [f"graph_{i}/{n}" for i in (1, 2) for n in ("x", "call", "y")]
    assert list(nodes["graph_2/call"].input) == ["graph_2/x", "^graph_2/x"]
    assert nodes["graph_1/call"].attr["f"].func.name == "graph_1_body_a"
    assert [f.signature.name for f in merged.library.function] == ["graph_1_body_a", "graph_2_body_b"]
    assert merged.versions.producer == 1882


def test_the_graph_route_serves_the_same_merge(tmp_path: Path) -> None:
    metadata = SummaryMetadata()
    metadata.plugin_data.plugin_name = kinds.GRAPH_RUN_METADATA_GRAPH
    tensor = TensorProto(dtype=DataType.DT_STRING, string_val=[traced().SerializeToString()])
    summary = Summary(value=[Summary.Value(tag="trace", metadata=metadata, tensor=tensor)])
    write_event_file(
        tmp_path / "run" / "events.out.tfevents.1.host",
        [file_version_event(), Event(step=0, wall_time=1.0, summary=summary).SerializeToString()],
    )
    with TestClient(create_app(Logdir(str(tmp_path)), 0)) as client:
        answer = client.get("/data/plugin/graphs/graph", params={"run": "run", "tag": "trace"})
    assert answer.status_code == 200, answer.text
    served = text_format.Parse(answer.text, GraphDef())
    assert served == graph_from_run_metadata(traced().SerializeToString())
    # The dashboard's graph holds the same ops, the calls expanded into their bodies.
    ops = load(str(tmp_path), run="run", tag="trace").model.flat.nodes
    assert {"graph_1/call", "graph_2/y"} <= set(ops)
