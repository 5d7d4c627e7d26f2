"""What a person notices first: the app's icon, a logdir without data explained on the
console and in ``/api/runs``, the projector enabled only where there are embeddings,
the cache option's help."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
from PIL import Image
from starlette.testclient import TestClient

from flowscope.data.logdir import Logdir
from flowscope.io.writer import SummaryWriter
from flowscope.server import create_app

COMMAND = [sys.executable, "-m", "flowscope.cli.main"]
SERVE_ONCE = ["--port", "0", "--no_cache", "--reload_interval", "0"]


def client_of(logdir: str, web_app=None) -> TestClient:
    ld = Logdir(logdir, load=False)
    ld.reload()
    options = {} if web_app is None else {"web_app": web_app}
    return TestClient(create_app(ld, 0, **options))


def runs_of(client: TestClient) -> dict:
    return client.get("/api/runs").json()


def test_favicon_is_an_icon_with_or_without_the_built_app(tmp_path):
    for web_app in (None, tmp_path / "no-app"):
        response = client_of(str(tmp_path), web_app).get("/favicon.ico")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/vnd.microsoft.icon"
        icon = Image.open(io.BytesIO(response.content))
        assert icon.format == "ICO" and icon.size == (32, 32)


def test_missing_logdir_is_explained_in_api_runs(tmp_path):
    missing = tmp_path / "does" / "not" / "exist"
    body = runs_of(client_of(str(missing)))
    assert body["runs"] == [] and body["logdir"] == str(missing)
    assert body["problems"] == [f"logdir {missing} does not exist (yet)"]


def test_logdir_without_event_files_is_explained(tmp_path):
    (tmp_path / "notes.txt").write_text("no events here")
    body = runs_of(client_of(str(tmp_path)))
    assert len(body["problems"]) == 1 and "no event files" in body["problems"][0]
    assert str(tmp_path) in body["problems"][0]


def test_problems_clear_once_event_files_appear(tmp_path):
    ld = Logdir(str(tmp_path), load=False)
    ld.reload()
    assert ld.problems
    with SummaryWriter(str(tmp_path / "run")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    ld.reload()
    assert ld.problems == []


def test_projector_is_listed_only_with_embeddings(tmp_path):
    with SummaryWriter(str(tmp_path / "plain")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    client = client_of(str(tmp_path))
    assert runs_of(client)["logdir_plugins"] == []
    with SummaryWriter(str(tmp_path / "embedded")) as writer:
        writer.add_embedding(np.eye(4), metadata=["a", "b", "c", "d"])
    client = client_of(str(tmp_path))
    body = runs_of(client)
    assert body["logdir_plugins"] == ["projector"] and body["problems"] == []


def test_torch_embeddings_in_the_logdir_root_enable_the_projector(tmp_path):
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    with TorchWriter(str(tmp_path)) as writer:
        writer.add_embedding(np.eye(3, dtype=np.float32), metadata=["x", "y", "z"])
    assert runs_of(client_of(str(tmp_path)))["logdir_plugins"] == ["projector"]


def test_serving_an_empty_logdir_says_there_is_no_data(tmp_path):
    (tmp_path / "notes.txt").write_text("no events here")
    process = subprocess.Popen(
        [*COMMAND, "--logdir", str(tmp_path), *SERVE_ONCE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
    finally:
        process.terminate()
        process.wait(15)
    assert "no data to show: no event files" in line and str(tmp_path) in line


def test_no_cache_help_says_where_the_cache_is_and_what_turning_it_off_costs():
    result = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, check=True)
    help_text = " ".join(result.stdout.split())
    assert "read the whole logdir on every start" in help_text
    assert "~/.cache/flowscope" in help_text
