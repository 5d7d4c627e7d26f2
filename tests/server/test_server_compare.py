"""flowscope's TensorBoard routes against tensorboard's own answers, route by route,
on the same logs written by tensorboard, tensorboardX, torch and TensorFlow."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import httpx
import pytest
from google.protobuf import text_format
from tensorboard.compat.proto.config_pb2 import RunMetadata
from tensorboard.compat.proto.graph_pb2 import GraphDef

from tests.support.compare import assert_close, both, get_json, html_tokens

pytestmark = pytest.mark.slow


def q(**params: object) -> str:
    return "?" + urlencode(params)


def series(url: str, plugin: str) -> list[tuple[str, str]]:
    listing = get_json(url, f"/data/plugin/{plugin}/tags")
    return [(run, tag) for run, tags in listing.items() for tag in tags]


def test_runs_in_the_same_order(flowscope_url, tensorboard_url):
    ours, theirs = both(flowscope_url, tensorboard_url, "/data/runs")
    assert ours == theirs


def test_plugins_listing_enables_the_same_dashboards(flowscope_url, tensorboard_url):
    ours, theirs = both(flowscope_url, tensorboard_url, "/data/plugins_listing")
    for name, entry in ours.items():
        assert entry["enabled"] == theirs[name]["enabled"], name
        assert entry["tab_name"] == theirs[name]["tab_name"], name
        assert entry["loading_mechanism"] == theirs[name]["loading_mechanism"], name


def test_environment_has_tensorboards_keys(flowscope_url, tensorboard_url):
    ours, theirs = both(flowscope_url, tensorboard_url, "/data/environment")
    assert set(theirs) - {"debug"} <= set(ours)
    assert ours["data_location"] == theirs["data_location"]


@pytest.mark.parametrize(
    "plugin", ["scalars", "histograms", "distributions", "images", "audio", "text", "pr_curves"]
)
def test_tags(flowscope_url, tensorboard_url, plugin):
    ours, theirs = both(flowscope_url, tensorboard_url, f"/data/plugin/{plugin}/tags")
    assert theirs, "the logs have no such tags"
    assert_close(ours, theirs)


def test_scalars_json_and_csv(flowscope_url, tensorboard_url):
    pairs = series(tensorboard_url, "scalars")
    assert len(pairs) > 10
    for run, tag in pairs:
        path = "/data/plugin/scalars/scalars" + q(run=run, tag=tag)
        ours, theirs = both(flowscope_url, tensorboard_url, path)
        assert_close(ours, theirs, f"{run}/{tag}")
        csv_ours, csv_theirs = (
            list(csv.reader(io.StringIO(httpx.get(url + path + "&format=csv").text)))
            for url in (flowscope_url, tensorboard_url)
        )
        assert csv_ours[0] == csv_theirs[0] == ["Wall time", "Step", "Value"]
        assert_close(
            [[float(x) for x in row] for row in csv_ours[1:]],
            [[float(x) for x in row] for row in csv_theirs[1:]],
        )


def test_scalars_multirun(flowscope_url, tensorboard_url):
    form = {"tag": "accuracy", "runs": ["hp/trial_0", "hp/trial_2", "tb", "torch"]}
    ours, theirs = (
        httpx.post(url + "/data/plugin/scalars/scalars_multirun", data=form).json()
        for url in (flowscope_url, tensorboard_url)
    )
    assert set(theirs) == {"hp/trial_0", "hp/trial_2", "tb"}
    assert_close(ours, theirs)


@pytest.mark.parametrize("plugin", ["histograms", "distributions"])
def test_histograms_and_distributions(flowscope_url, tensorboard_url, plugin):
    for run, tag in series(tensorboard_url, plugin):
        path = f"/data/plugin/{plugin}/{plugin}" + q(run=run, tag=tag)
        ours, theirs = both(flowscope_url, tensorboard_url, path)
        assert_close(ours, theirs, f"{run}/{tag}")


@pytest.mark.parametrize(
    "plugin, route, blob_route",
    [
        ("images", "images", "individualImage"),
        ("audio", "audio", "individualAudio"),
    ],
)
def test_images_and_audio_with_their_bytes(
    flowscope_url, tensorboard_url, plugin, route, blob_route
):
    listing = get_json(tensorboard_url, f"/data/plugin/{plugin}/tags")
    for run, tags in listing.items():
        for tag, info in tags.items():
            for sample in range(info["samples"]):
                path = f"/data/plugin/{plugin}/{route}" + q(run=run, tag=tag, sample=sample)
                ours, theirs = both(flowscope_url, tensorboard_url, path)
                strip = [{k: v for k, v in entry.items() if k != "query"} for entry in ours]
                assert_close(
                    strip, [{k: v for k, v in entry.items() if k != "query"} for entry in theirs]
                )
                for mine, reference in zip(ours, theirs):
                    blob_ours = httpx.get(
                        f"{flowscope_url}/data/plugin/{plugin}/{blob_route}?{mine['query']}"
                    )
                    blob_theirs = httpx.get(
                        f"{tensorboard_url}/data/plugin/{plugin}/{blob_route}?{reference['query']}"
                    )
                    assert blob_ours.status_code == 200
                    assert blob_ours.content == blob_theirs.content
                    assert blob_ours.headers["content-type"] == blob_theirs.headers["content-type"]


def test_text_html(flowscope_url, tensorboard_url):
    listing = get_json(tensorboard_url, "/data/plugin/text/tags")
    checked = 0
    for run, tags in listing.items():
        for tag in tags:
            for markdown in ("true", "false"):
                path = "/data/plugin/text/text" + q(run=run, tag=tag, markdown=markdown)
                ours, theirs = both(flowscope_url, tensorboard_url, path)
                assert [(e["wall_time"], e["step"]) for e in ours] == [
                    (e["wall_time"], e["step"]) for e in theirs
                ]
                for mine, reference in zip(ours, theirs):
                    assert html_tokens(mine["text"]) == html_tokens(reference["text"]), (
                        f"{run}/{tag}"
                    )
                    checked += 1
    assert checked >= 10


def test_pr_curves(flowscope_url, tensorboard_url):
    for run, tag in series(tensorboard_url, "pr_curves"):
        path = "/data/plugin/pr_curves/pr_curves" + q(run=run, tag=tag)
        ours, theirs = both(flowscope_url, tensorboard_url, path)
        assert_close(ours, theirs, f"{run}/{tag}")


def _post_json(url: str, path: str, body: str) -> object:
    response = httpx.post(url + path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


def _sorted_domains(experiment: dict) -> dict:
    for info in experiment.get("hparamInfos", []):
        if "domainDiscrete" in info:
            info["domainDiscrete"] = sorted(info["domainDiscrete"], key=str)
    return experiment


@pytest.mark.parametrize(
    "body", ['{"experimentName": ""}', '{"includeMetrics": false}', '{"hparamsLimit": 2}']
)
def test_hparams_experiment(flowscope_url, tensorboard_url, body):
    ours, theirs = (
        _post_json(url, "/data/plugin/hparams/experiment", body)
        for url in (flowscope_url, tensorboard_url)
    )
    assert theirs["hparamInfos"]
    assert_close(_sorted_domains(ours), _sorted_domains(theirs))


ALL_STATUSES = (
    '"allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]'
)
SESSION_GROUP_REQUESTS = [
    "{" + ALL_STATUSES + ', "colParams": [], "startIndex": 0, "sliceSize": 100}',
    "{"
    + ALL_STATUSES
    + ', "colParams": [{"hparam": "lr", "order": "ORDER_DESC"}], "startIndex": 1, "sliceSize": 2}',
    "{" + ALL_STATUSES + ', "colParams": [{"hparam": "optimizer", "filterRegexp": "ad"}, '
    '{"metric": {"tag": "hparam/score", "group": ""}, "order": "ORDER_ASC", "missingValuesFirst": true}], '
    '"sliceSize": 100}',
    "{"
    + ALL_STATUSES
    + ', "colParams": [{"hparam": "lr", "filterInterval": {"minValue": 0.02, "maxValue": 1}, '
    '"includeInResult": true}], "aggregationType": "AGGREGATION_AVG", "sliceSize": 100}',
    (
        '{"allowedStatuses": ["STATUS_SUCCESS"], "colParams": [{"hparam": "optimizer", '
        '"filterDiscrete": ["sgd", "relu"]}], "sliceSize": 10, "includeMetrics": false}'
    ),
]


@pytest.mark.parametrize("body", SESSION_GROUP_REQUESTS)
def test_hparams_session_groups(flowscope_url, tensorboard_url, body):
    ours, theirs = (
        _post_json(url, "/data/plugin/hparams/session_groups", body)
        for url in (flowscope_url, tensorboard_url)
    )
    assert_close(ours, theirs)


def test_hparams_get_with_request_parameter(flowscope_url, tensorboard_url):
    path = "/data/plugin/hparams/experiment" + q(request='{"experimentName": ""}')
    ours, theirs = both(flowscope_url, tensorboard_url, path)
    assert_close(_sorted_domains(ours), _sorted_domains(theirs))


def test_graphs_info(flowscope_url, tensorboard_url):
    ours, theirs = both(flowscope_url, tensorboard_url, "/data/plugin/graphs/info")
    assert len(theirs) >= 3
    assert ours == theirs


def _pbtxt(url: str, path: str, message_type: type) -> object:
    """The answer parsed with tensorboard's own protos, without the NodeDef field
    ``experimental_type`` (full type info), which flowscope's GraphDef leaves out, and
    with the names of too-large attributes sorted (tensorboard lists them in map order)."""
    response = httpx.get(url + path)
    assert response.status_code == 200, f"{url}{path}: {response.text[:300]}"
    message = text_format.Parse(response.text, message_type())
    graphs = (
        [message]
        if isinstance(message, GraphDef)
        else [
            g
            for f in message.function_graphs
            for g in (f.pre_optimization_graph, f.post_optimization_graph, *f.partition_graphs)
        ]
        + list(message.partition_graphs)
    )
    for graph in graphs:
        nodes = list(graph.node) + [
            n for function in graph.library.function for n in function.node_def
        ]
        for node in nodes:
            node.ClearField("experimental_type")
            if "_too_large" in node.attr:
                names = sorted(node.attr["_too_large"].list.s)
                node.attr["_too_large"].list.ClearField("s")
                node.attr["_too_large"].list.s.extend(names)
    return message


def test_graphs_and_run_metadata_pbtxt(flowscope_url, tensorboard_url):
    info = get_json(tensorboard_url, "/data/plugin/graphs/info")
    compared = 0
    for run, entry in info.items():
        paths = []
        if entry["run_graph"]:
            paths.append(("/data/plugin/graphs/graph" + q(run=run), GraphDef))
            paths.append(
                (
                    "/data/plugin/graphs/graph"
                    + q(run=run, limit_attr_size=64, large_attrs_key="_too_large"),
                    GraphDef,
                )
            )
        for tag, flags in entry["tags"].items():
            if flags["op_graph"]:
                paths.append(("/data/plugin/graphs/graph" + q(run=run, tag=tag), GraphDef))
            if flags["profile"]:
                paths.append(
                    ("/data/plugin/graphs/run_metadata" + q(run=run, tag=tag), RunMetadata)
                )
        for path, message_type in paths:
            ours = _pbtxt(flowscope_url, path, message_type)
            theirs = _pbtxt(tensorboard_url, path, message_type)
            assert ours == theirs, path
            compared += 1
    assert compared >= 6
