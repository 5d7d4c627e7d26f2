"""Bad requests get a 4xx with a JSON message, and the server keeps serving."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support import server_logs
from tests.support.servers import flowscope_server


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    logdir = str(tmp_path_factory.mktemp("errors"))
    server_logs.write_tensorboard_run(logdir)
    with flowscope_server(logdir) as base:
        yield base


BAD_REQUESTS = [
    ("/data/plugin/scalars/scalars?run=nope&tag=loss", 404, "no run named"),
    ("/data/plugin/scalars/scalars?run=tb&tag=nope", 404, "no scalars tag"),
    ("/data/plugin/scalars/scalars?run=tb&tag=weights", 404, "no scalars tag"),
    ("/data/plugin/scalars/scalars?run=tb", 400, "'tag' is required"),
    ("/data/plugin/scalars/scalars?run=tb&tag=loss&format=xml", 400, "unknown format"),
    ("/data/plugin/scalars/scalars?run=../../etc&tag=loss", 400, "'..'"),
    ("/data/plugin/scalars/scalars?run=/etc/passwd&tag=loss", 400, "absolute path"),
    ("/data/plugin/scalars/scalars?run=C:\\Windows&tag=loss", 400, "absolute path"),
    ("/data/plugin/scalars/scalars?run=tb%00&tag=loss", 400, "NUL"),
    ("/data/plugin/scalars/scalars?run=tb&tag=..%2F..%2Fx", 400, "'..'"),
    ("/data/plugin/histograms/histograms?run=tb&tag=loss", 404, "no histograms tag"),
    ("/data/plugin/images/images?run=tb&tag=samples&sample=x", 400, "must be an integer"),
    ("/data/plugin/images/individualImage?blob_key=%%%", 400, "malformed blob_key"),
    ("/data/plugin/images/individualImage?blob_key=WyIuLi94IiwieSIsMCwwXQ", 400, "'..'"),
    ("/data/plugin/images/individualImage", 400, "'blob_key' is required"),
    ("/data/plugin/audio/individualAudio?blob_key=x&content_type=text/html", 400, "content_type"),
    ("/data/plugin/text/text?run=tb&tag=%00", 400, "NUL"),
    ("/data/plugin/pr_curves/pr_curves?tag=pr", 400, "'run' is required"),
    ("/data/plugin/pr_curves/pr_curves?run=tb&run=../x&tag=pr", 400, "'..'"),
    ("/data/plugin/graphs/graph?run=tb&limit_attr_size=big", 400, "must be an integer"),
    ("/data/plugin/graphs/run_metadata?run=tb&tag=nope", 404, "no run metadata"),
    ("/data/plugin/hparams/experiment?request={bad", 400, "expected a JSON"),
    ("/data/plugin/nothing/here", 404, "no route"),
    ("/api/scalars?run=tb&tag=", 404, "no scalars tag"),
]


@pytest.mark.parametrize("path, status, message", BAD_REQUESTS)
def test_bad_request_gets_a_json_error(url, path, status, message):
    response = httpx.get(url + path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert message in response.json()["error"]
    assert httpx.get(url + "/data/runs").json() == ["tb"]


def test_bad_post_bodies(url):
    response = httpx.post(
        url + "/data/plugin/hparams/session_groups", content=b'{"colParams": [{"hparam": 5}]}'
    )
    assert response.status_code == 400 and "error" in response.json()
    response = httpx.post(url + "/data/plugin/scalars/scalars_multirun", data={"runs": ["tb"]})
    assert response.status_code == 400 and "tag" in response.json()["error"]
    response = httpx.post(
        url + "/data/plugin/scalars/scalars_multirun", data={"tag": "loss", "runs": ["/etc"]}
    )
    assert response.status_code == 400
    response = httpx.get(url + "/data/plugin/scalars/scalars_multirun")
    assert response.status_code in (404, 405) and "error" in response.json()


def test_multipart_multirun_form(url):
    files = {"tag": (None, "loss"), "runs": (None, "tb")}
    response = httpx.post(url + "/data/plugin/scalars/scalars_multirun", files=files)
    assert response.status_code == 200
    assert len(response.json()["tb"]) == 32


def test_text_cannot_run_scripts(tmp_path):
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.plugins.text import metadata
    from tensorboard.summary.writer.event_file_writer import EventFileWriter
    from tensorboard.util import tensor_util

    writer = EventFileWriter(str(tmp_path))
    source = (
        '<script>alert(1)</script><img src=x onerror="alert(2)"> [a](javascript:alert(3)) **ok**'
    )
    value = summary_pb2.Summary.Value(
        tag="t", tensor=tensor_util.make_tensor_proto(source.encode())
    )
    value.metadata.CopyFrom(metadata.create_summary_metadata("t", ""))
    writer.add_event(
        event_pb2.Event(step=0, wall_time=1.0, summary=summary_pb2.Summary(value=[value]))
    )
    writer.close()
    with flowscope_server(str(tmp_path)) as base:
        html = httpx.get(base + "/data/plugin/text/text?run=.&tag=t").json()[0]["text"]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<strong>ok</strong>" in html


def test_gzip_and_fast_columnar_scalars(url):
    response = httpx.get(
        url + "/api/scalars?run=tb&tag=accuracy", headers={"Accept-Encoding": "gzip"}
    )
    body = response.json()
    assert body["step"] == list(range(30)) and len(body["value"]) == 30
    response = httpx.get(
        url + "/data/plugin/scalars/scalars?run=tb&tag=loss", headers={"Accept-Encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip" and len(response.json()) == 32
