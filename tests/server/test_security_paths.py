"""Paths named by log files never lead the server outside the directory that holds
them: projector configs whose tensor, metadata or sprite paths are absolute, climb
with ``..`` (either separator) or go through a symlink get a 4xx, never the file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from google.protobuf import text_format

from flowscope.io.contained import PathOutsideError, contained_path
from flowscope.io.files import Location
from flowscope.io.writer import SummaryWriter
from flowscope.proto.plugins_pb2 import ProjectorConfig
from tests.support.servers import flowscope_server

SECRET = "top secret\tnot for the server\n"
ROUTES = ("tensor", "metadata", "sprite", "pca")


def write_embedding_run(run: Path, tag: str) -> None:
    """A run with one embedding (tensor, metadata, sprite) written by the real writer."""
    with SummaryWriter(str(run)) as writer:
        writer.add_scalar("loss", 1.0, 0)
        writer.add_embedding(
            np.arange(12, dtype=np.float32).reshape(4, 3),
            metadata=["a", "b", "c", "d"],
            label_img=np.zeros((4, 3, 2, 2), dtype=np.uint8),
            tag=tag,
        )


def point_paths_at(run: Path, target: str) -> None:
    """Rewrites every path of the run's projector config to ``target``."""
    path = run / "projector_config.pbtxt"
    config = text_format.Parse(path.read_text(), ProjectorConfig())
    for info in config.embeddings:
        info.tensor_path = info.metadata_path = info.sprite.image_path = target
    path.write_text(text_format.MessageToString(config))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("escape")
    secret = root / "secret.tsv"
    secret.write_text(SECRET)
    logdir = root / "logs"
    escapes = {
        "absolute": "/etc/passwd",
        "absolute_secret": str(secret),
        "climbs": "../../secret.tsv",
        "climbs_deep": "../" * 30 + "etc/passwd",
        "backslashes": "..\\..\\secret.tsv",
        "inner_climb": "default/../../../secret.tsv",
        "link": "link.tsv",
    }
    for name, target in escapes.items():
        write_embedding_run(logdir / name, name)
        point_paths_at(logdir / name, target)
    os.symlink(secret, logdir / "link" / "link.tsv")
    write_embedding_run(logdir / "fine", "fine")
    write_embedding_run(logdir / "inside", "inside")
    point_paths_at(logdir / "inside", str(logdir / "inside" / "inside" / "tensors.tsv"))
    with flowscope_server(str(logdir)) as url:
        yield url, logdir


@pytest.mark.parametrize(
    "run",
    ["absolute", "absolute_secret", "climbs", "climbs_deep", "backslashes", "inner_climb", "link"],
)
@pytest.mark.parametrize("route", ROUTES)
def test_a_path_leaving_the_run_directory_is_refused(served, run, route):
    url, _ = served
    response = httpx.get(f"{url}/api/projector/{route}", params={"run": run, "name": run})
    assert response.status_code == 403, response.text
    assert "outside" in response.json()["error"]
    assert "top secret" not in response.text and "root:" not in response.text


def test_embeddings_inside_their_run_are_still_served(served):
    url, _ = served
    for run in ("fine", "inside"):
        query = {"run": run, "name": run}
        tensor = httpx.get(f"{url}/api/projector/tensor", params=query)
        assert tensor.status_code == 200 and tensor.headers["x-embedding-shape"] == "4,3"
    fine = {"run": "fine", "name": "fine"}
    assert httpx.get(f"{url}/api/projector/metadata", params=fine).json()["rows"] == [
        ["a"], ["b"], ["c"], ["d"]
    ]  # fmt: skip
    assert httpx.get(f"{url}/api/projector/sprite", params=fine).headers["content-type"] == (
        "image/png"
    )


def test_contained_path_resolves_inside_and_refuses_escapes(tmp_path):
    location = Location.parse(str(tmp_path))
    run = str(tmp_path / "run")
    (tmp_path / "run" / "sub").mkdir(parents=True)
    assert contained_path(location, run, "sub/x.tsv") == f"{run}/sub/x.tsv"
    assert contained_path(location, run, "sub\\x.tsv") == f"{run}/sub/x.tsv"
    assert contained_path(location, run, f"{run}/sub/../x.tsv") == f"{run}/x.tsv"
    for bad in ("/etc/passwd", "../x", "sub/../../x", "C:\\Windows\\win.ini", "x\x00y"):
        with pytest.raises(PathOutsideError):
            contained_path(location, run, bad)
    (tmp_path / "run" / "sub" / "up").symlink_to(tmp_path)
    with pytest.raises(PathOutsideError, match="link"):
        contained_path(location, run, "sub/up/secret")


def test_remote_filesystems_are_checked_by_normalised_path():
    location = Location.parse("memory://bucket/logs")
    assert contained_path(location, "/bucket/logs/run", "t.tsv") == "/bucket/logs/run/t.tsv"
    with pytest.raises(PathOutsideError):
        contained_path(location, "/bucket/logs/run", "../../other/t.tsv")
