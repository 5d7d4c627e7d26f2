"""The routes the dashboards use beyond TensorBoard's: binary scalar columns, audio
clips with labels, model statistics and the embedding projector."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator

import httpx
import numpy as np
import pytest

from flowscope.io.writer import SummaryWriter
from flowscope.server.routes.projector import principal_components
from tests.support import server_logs
from tests.support.servers import flowscope_server


def decode_columns(body: bytes) -> list[dict]:
    """An independent reader of the ``/api/scalars/columns`` layout."""
    (length,) = struct.unpack_from("<I", body)
    header = json.loads(body[4 : 4 + length])
    offset = -(-(4 + length) // 8) * 8
    out = []

    def take(dtype: str, n: int) -> np.ndarray:
        nonlocal offset
        array = np.frombuffer(body, dtype=dtype, count=n, offset=offset)
        offset += -(-array.nbytes // 8) * 8
        return array

    for s in header["series"]:
        n = s["n"]
        if s["step"] == "range":
            steps = s["step_start"] + s["step_stride"] * np.arange(n)
        else:
            steps = take("<i4" if s["step"] == "i4" else "<f8", n)
        series = {"run": s["run"], "step": steps}
        if "wall_time" in header["columns"]:
            series["wall_time"] = s["wall_start"] + take("<f4", n).astype(np.float64)
        if "value" in header["columns"]:
            series["value"] = take("<f4" if s["value"] == "f4" else "<f8", n)
        out.append(series)
    return out


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import torch

    logdir = tmp_path_factory.mktemp("dashboards")
    server_logs.write_tensorboard_run(str(logdir))
    with SummaryWriter(str(logdir / "irregular")) as writer:
        for step in [0, 3, 4, 10, 2**33]:
            writer.add_scalar("loss", step * 0.5, step, walltime=1000.0 + step % 100)
        writer.add_embedding(
            np.arange(40, dtype=np.float32).reshape(10, 4) % 7,
            metadata=[[f"p{i}", str(i % 2)] for i in range(10)],
            metadata_header=["name", "parity"],
            label_img=np.zeros((10, 3, 4, 4), dtype=np.uint8),
            tag="points",
        )
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3), torch.nn.Flatten(), torch.nn.Linear(16, 2)
    )
    with SummaryWriter(str(logdir / "model")) as writer:
        for step in (0, 10):
            model.zero_grad()
            model(torch.randn(2, 1, 4, 4)).sum().backward()
            writer.add_model_stats(model, step)
    with flowscope_server(str(logdir)) as base:
        yield base


def test_scalar_columns_round_trip(url):
    response = httpx.get(
        f"{url}/api/scalars/columns",
        params=[("tag", "loss"), ("run", "tb"), ("run", "irregular"), ("run", "nope")],
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in response.headers  # binary columns are not gzipped
    series = decode_columns(response.content)
    assert [s["run"] for s in series] == ["tb", "irregular"]
    for s in series:
        rows = httpx.get(
            f"{url}/data/plugin/scalars/scalars", params={"run": s["run"], "tag": "loss"}
        ).json()
        assert s["step"].tolist() == [row[1] for row in rows]
        np.testing.assert_allclose(s["wall_time"], [row[0] for row in rows], atol=1e-3)
        values = [float(row[2]) for row in rows]
        np.testing.assert_array_equal(
            s["value"].astype(np.float64), np.array(values, dtype=np.float32).astype(np.float64)
        )
    assert series[1]["step"].tolist()[-1] == 2**33  # steps beyond int32 come as f8


def test_scalar_columns_subsets(url):
    """``columns`` picks the wall times, the values or both; steps always come."""
    params = [("tag", "loss"), ("run", "tb"), ("run", "irregular")]
    both = decode_columns(httpx.get(f"{url}/api/scalars/columns", params=params).content)
    for columns in ["value", "wall_time", "wall_time,value"]:
        response = httpx.get(f"{url}/api/scalars/columns", params=[*params, ("columns", columns)])
        assert response.status_code == 200
        for part, full in zip(decode_columns(response.content), both, strict=True):
            assert sorted(part) == sorted(["run", "step", *columns.split(",")])
            for name in part:
                np.testing.assert_array_equal(part[name], full[name])
    unknown = httpx.get(f"{url}/api/scalars/columns", params=[*params, ("columns", "step")])
    assert unknown.status_code == 400


def test_scalar_columns_stream(url):
    """Several tags in one response: per tag, a uint32 length and its columns body."""
    runs = [("run", "tb"), ("run", "irregular")]
    tags = [("tag", "loss"), ("tag", "nope"), ("tag", "loss")]  # repeats are dropped
    response = httpx.get(f"{url}/api/scalars/columns/stream", params=[*tags, *runs])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    body, frames = response.content, []
    while body:
        (length,) = struct.unpack_from("<I", body)
        frames.append(body[4 : 4 + length])
        body = body[4 + length :]
    header_tags = [json.loads(f[4 : 4 + struct.unpack_from("<I", f)[0]])["tag"] for f in frames]
    assert header_tags == ["loss", "nope"]
    single = httpx.get(f"{url}/api/scalars/columns", params=[("tag", "loss"), *runs]).content
    assert frames[0] == single
    assert decode_columns(frames[1]) == []  # no run has it
    for params in [
        runs,
        [("tag", "loss")],
        [("tag", "../x"), *runs],
        [*tags, *runs, ("columns", "x")],
    ]:
        assert httpx.get(f"{url}/api/scalars/columns/stream", params=params).status_code == 400


def test_scalar_columns_errors(url):
    assert httpx.get(f"{url}/api/scalars/columns", params={"tag": "loss"}).status_code == 400
    assert httpx.get(f"{url}/api/scalars/columns", params={"run": "tb"}).status_code == 400
    assert (
        httpx.get(f"{url}/api/scalars/columns", params={"tag": "loss", "run": "../x"}).status_code
        == 400
    )


def test_audio_clips_with_labels(url):
    steps = httpx.get(f"{url}/api/audio", params={"run": "tb", "tag": "tone"}).json()
    assert [s["step"] for s in steps] == [0, 10, 20]
    clips = steps[0]["clips"]
    assert [c["label"] for c in clips] == ["<p><em>low</em></p>", "<p>high</p>"]
    audio = httpx.get(f"{url}/data/plugin/audio/individualAudio?{clips[1]['query']}")
    assert audio.status_code == 200 and audio.content.startswith(b"RIFF")


def test_model_stats_matrices(url):
    body = httpx.get(f"{url}/api/model_stats", params={"run": "model"}).json()
    assert body["layers"] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert body["steps"] == [0, 10]
    for norm in ("weight_norm", "grad_norm"):
        assert len(body[norm]) == 4 and all(len(row) == 2 and None not in row for row in body[norm])
    assert body["kernels"] == ["model_stats/kernels/0.weight"]
    empty = httpx.get(f"{url}/api/model_stats", params={"run": "tb"}).json()
    assert empty["layers"] == [] and empty["steps"] == []
    assert httpx.get(f"{url}/api/model_stats", params={"run": "nope"}).status_code == 404


def test_projector_routes(url):
    listing = httpx.get(f"{url}/api/projector/embeddings").json()
    assert listing == [
        {
            "run": "irregular",
            "name": "points",
            "shape": [10, 4],
            "metadata": True,
            "sprite": {"width": 4, "height": 4},
        }
    ]
    query = {"run": "irregular", "name": "points"}
    tensor = httpx.get(f"{url}/api/projector/tensor", params=query)
    assert tensor.headers["x-embedding-shape"] == "10,4"
    matrix = np.frombuffer(tensor.content, dtype="<f4").reshape(10, 4)
    np.testing.assert_array_equal(matrix, np.arange(40, dtype=np.float32).reshape(10, 4) % 7)
    metadata = httpx.get(f"{url}/api/projector/metadata", params=query).json()
    assert metadata["columns"] == ["name", "parity"] and metadata["rows"][3] == ["p3", "1"]
    sprite = httpx.get(f"{url}/api/projector/sprite", params=query)
    assert sprite.headers["content-type"] == "image/png"
    pca = httpx.get(f"{url}/api/projector/pca", params={**query, "components": 2}).json()
    coords, variance = principal_components(matrix, 2)
    np.testing.assert_allclose(np.abs(pca["coords"]), np.abs(coords), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(pca["variance"], variance, rtol=1e-6)
    assert (
        httpx.get(f"{url}/api/projector/pca", params={**query, "components": 99}).status_code == 400
    )
    assert (
        httpx.get(f"{url}/api/projector/tensor", params={"run": "x", "name": "y"}).status_code
        == 404
    )


def test_principal_components_match_numpy():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(50, 5)) * [5, 3, 1, 0.5, 0.1]
    coords, variance = principal_components(data.astype(np.float32), 3)
    assert coords.shape == (50, 3)
    assert variance[0] > variance[1] > variance[2]
    eigen = np.sort(np.linalg.eigvalsh(np.cov(data.T)))[::-1]
    np.testing.assert_allclose(variance, eigen[:3] / eigen.sum(), rtol=1e-3)
