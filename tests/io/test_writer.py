"""SummaryWriter: what it writes, read back by TensorBoard's own loader and by flowscope."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import types
import wave

import numpy as np
import pytest
from google.protobuf import text_format
from PIL import Image
from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
from tensorboard.backend.event_processing.plugin_event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import api_pb2
from tensorboard.plugins.hparams import plugin_data_pb2 as hparams_pb2
from tensorboard.plugins.pr_curve import plugin_data_pb2 as pr_curve_pb2
from tensorboard.plugins.projector import projector_config_pb2
from tensorboard.util import tensor_util

import flowscope
from flowscope import SummaryWriter
from flowscope.data.projector import find_embeddings
from flowscope.io.files import Location
from flowscope.io.writer import WriterClosedError
from flowscope.proto.graph_pb2 import GraphDef

STORE_EVERYTHING = {
    kind: 0
    for kind in ("scalars", "images", "audio", "histograms", "tensors", "compressedHistograms")
}


def accumulate(directory) -> EventAccumulator:
    acc = EventAccumulator(str(directory), size_guidance=STORE_EVERYTHING)
    acc.Reload()
    return acc


def tb_values(acc: EventAccumulator, tag: str) -> list[tuple[int, np.ndarray]]:
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in acc.Tensors(tag)]


def plugin_of(acc: EventAccumulator, tag: str) -> str:
    return acc.SummaryMetadata(tag).plugin_data.plugin_name


def event_files(directory) -> list[str]:
    return sorted(name for name in os.listdir(directory) if "tfevents" in name)


def png_pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


@pytest.fixture
def logdir(tmp_path):
    return tmp_path / "logs"


# ---- files ----


def test_event_file_name_and_version(logdir):
    with SummaryWriter(logdir, filename_suffix=".v2") as writer:
        writer.add_scalar("x", 1.0)
    (name,) = event_files(logdir)
    assert re.fullmatch(rf"events\.out\.tfevents\.\d{{10}}\..+\.{os.getpid()}\.\d+\.v2", name)
    assert writer.file_path == os.path.join(logdir, name)
    events = list(EventFileLoader(str(logdir / name)).Load())
    assert events[0].file_version == "brain.Event:2"
    assert len(events) == 2


# ---- each kind, read back by TensorBoard and flowscope ----


def test_scalars(logdir):
    values = [0.5, 2, np.float64(-3.25), np.int32(7), np.array([1e-3]), float("nan"), float("inf")]
    with SummaryWriter(logdir) as writer:
        for step, value in enumerate(values):
            writer.add_scalar("loss/train", value, global_step=step * 10, walltime=1000.0 + step)
        writer.add_scalar("no_step", 1.0)
    expected = np.array([float(np.asarray(v).reshape(-1)[0]) for v in values], dtype=np.float32)

    acc = accumulate(logdir)
    got = tb_values(acc, "loss/train")
    assert [step for step, _ in got] == [step * 10 for step in range(len(values))]
    np.testing.assert_array_equal([value for _, value in got], expected)
    assert [e.wall_time for e in acc.Tensors("loss/train")] == [
        1000.0 + s for s in range(len(values))
    ]
    assert plugin_of(acc, "loss/train") == "scalars"
    assert acc.Tensors("no_step")[0].step == 0

    frame = flowscope.Logdir(str(logdir)).scalars(tag="loss/train")
    np.testing.assert_array_equal(frame["value"].to_numpy(np.float32), expected)
    assert frame["step"].tolist() == [step * 10 for step in range(len(values))]


def test_histogram_default_buckets(logdir):
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(0, 1, 5000), [0.0, 0.0, 1e-15, -1e-15, 1e25], [np.nan]])
    with SummaryWriter(logdir) as writer:
        writer.add_histogram("weights", values, global_step=3)
    finite = values[np.isfinite(values)]

    acc = accumulate(logdir)
    ((step, buckets),) = tb_values(acc, "weights")
    assert step == 3 and plugin_of(acc, "weights") == "histograms"
    assert buckets[:, 2].sum() == finite.size
    assert buckets[0, 0] == np.float32(finite.min()) and buckets[-1, 1] == np.float32(finite.max())
    np.testing.assert_array_equal(buckets[1:, 0], buckets[:-1, 1])
    inner = buckets[1:, 0].astype(np.float64)
    assert np.all(np.diff(inner) > 0)
    positive = inner[inner > 1e-12]
    np.testing.assert_allclose(positive[1:] / positive[:-1], 1.1, rtol=1e-6)

    row = flowscope.Logdir(str(logdir)).histograms().iloc[0]
    assert row["num"] == finite.size
    for left, right, count in zip(row["lefts"], row["rights"], row["counts"]):
        inside = (
            (finite > left) & (finite <= right)
            if left != row["min"]
            else (finite >= left) & (finite <= right)
        )
        assert inside.sum() == count


def test_histogram_numpy_bins(logdir):
    values = np.random.default_rng(1).uniform(-2, 5, 1000)
    with SummaryWriter(logdir) as writer:
        writer.add_histogram("h", values, 0, bins=20)
        writer.add_histogram("edges", values, 0, bins=[0.0, 1.0, 2.0])
    counts, edges = np.histogram(values, bins=20)

    acc = accumulate(logdir)
    ((_, buckets),) = tb_values(acc, "h")
    np.testing.assert_array_equal(buckets[:, 2], counts)
    np.testing.assert_allclose(buckets[1:, 0], edges[1:-1], rtol=1e-6)
    ((_, buckets),) = tb_values(acc, "edges")
    np.testing.assert_array_equal(buckets[:, 2], np.histogram(values, bins=[0.0, 1.0, 2.0])[0])
    assert buckets[0, 0] >= 0 and buckets[-1, 1] <= 2


def test_images(logdir):
    rng = np.random.default_rng(2)
    hwc = rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)
    chw = rng.random((4, 7, 9))
    gray = rng.integers(0, 256, (4, 4), dtype=np.uint8)
    batch = rng.integers(0, 256, (10, 1, 3, 2), dtype=np.uint8)
    with SummaryWriter(logdir) as writer:
        writer.add_image("hwc", hwc, 1, dataformats="HWC")
        writer.add_image("chw", chw, 1)
        writer.add_image("gray", gray, 1, dataformats="HW")
        writer.add_images("batch", batch, 2)

    acc = accumulate(logdir)
    frame = flowscope.Logdir(str(logdir)).images().set_index("tag")
    for tag, width, height in [("hwc", 5, 6), ("chw", 9, 7), ("gray", 4, 4), ("batch", 16, 6)]:
        ((_, tensor),) = tb_values(acc, tag)
        assert plugin_of(acc, tag) == "images"
        assert tensor[:2].tolist() == [str(width).encode(), str(height).encode()]
        assert frame.loc[tag, "image"] == tensor[2]
        assert (frame.loc[tag, "width"], frame.loc[tag, "height"]) == (width, height)
    pixels = {
        tag: png_pixels(tb_values(acc, tag)[0][1][2]) for tag in ("hwc", "chw", "gray", "batch")
    }
    np.testing.assert_array_equal(pixels["hwc"], hwc)
    np.testing.assert_array_equal(
        pixels["chw"], np.rint(chw.transpose(1, 2, 0) * 255).astype(np.uint8)
    )
    np.testing.assert_array_equal(pixels["gray"], gray)
    grid = pixels["batch"]  # 8 columns, 2 rows of 3x2 thumbnails; the unused cells are black
    for i in range(10):
        row, col = divmod(i, 8)
        np.testing.assert_array_equal(
            grid[row * 3 : (row + 1) * 3, col * 2 : (col + 1) * 2], batch[i, 0]
        )
    assert not grid[3:, 4:].any()


def test_audio(logdir):
    t = np.linspace(0, 1, 800, endpoint=False)
    mono = 0.5 * np.sin(2 * np.pi * 440 * t)
    stereo = np.stack([mono, np.clip(2 * mono, -1, 1)])
    loud = np.array([2.0, -3.0, 0.25])
    with SummaryWriter(logdir) as writer:
        writer.add_audio("mono", mono, 1, sample_rate=8000)
        writer.add_audio("stereo", stereo, 1, sample_rate=16000)
        writer.add_audio("loud", loud, 1)

    acc = accumulate(logdir)
    frame = flowscope.Logdir(str(logdir)).audio().set_index("tag")
    for tag, samples, rate in [
        ("mono", mono[None], 8000),
        ("stereo", stereo, 16000),
        ("loud", loud[None], 44100),
    ]:
        ((_, tensor),) = tb_values(acc, tag)
        assert plugin_of(acc, tag) == "audio"
        wav = tensor[0]
        assert frame.loc[tag, "audio"] == wav
        with wave.open(io.BytesIO(wav)) as w:
            assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (len(samples), rate, 2)
            frames = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, len(samples)).T
        np.testing.assert_array_equal(frames, np.rint(np.clip(samples, -1, 1) * 32767))


def test_text(logdir):
    table = [["a", "b"], ["c", "d|e"]]
    with SummaryWriter(logdir) as writer:
        writer.add_text("notes", "hello **world** ü", 1)
        writer.add_text("table", table, 2)

    acc = accumulate(logdir)
    assert plugin_of(acc, "notes") == "text"
    ((_, notes),) = tb_values(acc, "notes")
    assert notes.shape == () and notes.item() == "hello **world** ü".encode()
    ((_, tb_table),) = tb_values(acc, "table")
    assert tb_table.tolist() == [[c.encode() for c in row] for row in table]

    frame = flowscope.Logdir(str(logdir)).text().set_index("tag")
    assert frame.loc["notes", "value"] == "hello **world** ü"
    assert frame.loc["table", "value"].tolist() == table


@pytest.fixture
def tf_shim(monkeypatch):
    """Just enough ``tensorflow.compat.v1`` for tensorboard's pr_curve ``pb`` to run without TF."""
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.compat.tensorflow_stub import dtypes

    v1 = types.ModuleType("tensorflow.compat.v1")
    v1.SummaryMetadata, v1.Summary = summary_pb2.SummaryMetadata, summary_pb2.Summary
    v1.make_tensor_proto, v1.float32 = tensor_util.make_tensor_proto, dtypes.float32
    compat = types.ModuleType("tensorflow.compat")
    compat.v1 = v1
    tf = types.ModuleType("tensorflow")
    tf.compat = compat
    for name, module in [
        ("tensorflow", tf),
        ("tensorflow.compat", compat),
        ("tensorflow.compat.v1", v1),
    ]:
        monkeypatch.setitem(sys.modules, name, module)


@pytest.mark.parametrize("num_thresholds, weighted", [(127, False), (11, False), (50, True)])
def test_pr_curve_matches_tensorboard(logdir, tf_shim, num_thresholds, weighted):
    from tensorboard.plugins.pr_curve import summary as pr_summary

    rng = np.random.default_rng(num_thresholds)
    labels = rng.random(400) > 0.4
    predictions = np.clip(labels * 0.3 + rng.random(400) * 0.7, 0, 1).astype(np.float32)
    predictions[:3] = [0.0, 1.0, 0.5]
    weights = rng.random(400) if weighted else None
    with SummaryWriter(logdir) as writer:
        writer.add_pr_curve(
            "pr", labels, predictions, 5, num_thresholds=num_thresholds, weights=weights
        )

    reference = pr_summary.pb(
        "pr",
        labels,
        predictions,
        num_thresholds=num_thresholds,
        weights=1.0 if weights is None else weights,
    )
    expected = tensor_util.make_ndarray(reference.value[0].tensor)
    acc = accumulate(logdir)
    ((step, got),) = tb_values(acc, "pr")
    assert step == 5 and got.shape == (6, num_thresholds) and got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)
    content = acc.PluginTagToContent("pr_curves")["pr"]
    assert pr_curve_pb2.PrCurvePluginData.FromString(content).num_thresholds == num_thresholds

    row = flowscope.Logdir(str(logdir)).pr_curves().iloc[0]
    for i, column in enumerate(
        [
            "true_positives",
            "false_positives",
            "true_negatives",
            "false_negatives",
            "precision",
            "recall",
        ]
    ):
        np.testing.assert_array_equal(row[column], expected[i])


def test_hparams(logdir):
    hparams = {"lr": 0.01, "layers": 3, "optimizer": "adam", "dropout": np.float32(0.5), "bn": True}
    with SummaryWriter(logdir) as writer:
        writer.add_hparams(
            hparams,
            {"hparam/accuracy": 0.75, "hparam/loss": 0.5},
            run_name="trial1",
            hparam_domain_discrete={"optimizer": ["adam", "sgd"]},
        )
        writer.add_hparams(
            {"lr": 0.1, "layers": 2, "optimizer": "sgd", "dropout": 0.0, "bn": False},
            {"hparam/accuracy": 0.5, "hparam/loss": 1.0},
        )
    runs = sorted(d for d in os.listdir(logdir) if os.path.isdir(logdir / d))
    assert runs[-1] == "trial1" and len(runs) == 2

    acc = accumulate(logdir / "trial1")
    content = acc.PluginTagToContent("hparams")
    assert set(content) == {
        "_hparams_/experiment",
        "_hparams_/session_start_info",
        "_hparams_/session_end_info",
    }
    experiment = hparams_pb2.HParamsPluginData.FromString(
        content["_hparams_/experiment"]
    ).experiment
    kinds = {info.name: api_pb2.DataType.Name(info.type) for info in experiment.hparam_infos}
    assert kinds == {
        "lr": "DATA_TYPE_FLOAT64",
        "layers": "DATA_TYPE_FLOAT64",
        "optimizer": "DATA_TYPE_STRING",
        "dropout": "DATA_TYPE_FLOAT64",
        "bn": "DATA_TYPE_BOOL",
    }
    (optimizer,) = [info for info in experiment.hparam_infos if info.name == "optimizer"]
    assert [v.string_value for v in optimizer.domain_discrete.values] == ["adam", "sgd"]
    assert [m.name.tag for m in experiment.metric_infos] == ["hparam/accuracy", "hparam/loss"]
    start = hparams_pb2.HParamsPluginData.FromString(
        content["_hparams_/session_start_info"]
    ).session_start_info
    assert start.hparams["lr"].number_value == 0.01 and start.hparams["layers"].number_value == 3
    assert (
        start.hparams["optimizer"].string_value == "adam" and start.hparams["bn"].bool_value is True
    )
    assert start.hparams["dropout"].number_value == 0.5
    end = hparams_pb2.HParamsPluginData.FromString(
        content["_hparams_/session_end_info"]
    ).session_end_info
    assert end.status == api_pb2.STATUS_SUCCESS
    ((_, accuracy),) = tb_values(acc, "hparam/accuracy")
    assert accuracy == np.float32(0.75)

    frame = flowscope.Logdir(str(logdir)).hparams().set_index("run")
    assert frame.loc["trial1", "optimizer"] == "adam" and bool(frame.loc["trial1", "bn"]) is True
    assert frame.loc["trial1", "hparam/accuracy"] == np.float32(0.75)
    assert frame.loc[runs[0], "lr"] == 0.1 and frame.loc[runs[0], "hparam/loss"] == 1.0


def test_add_scalars_writes_a_run_per_key(logdir):
    with SummaryWriter(logdir) as writer:
        for step in range(3):
            writer.add_scalars("loss/all", {"train": step * 1.0, "valid": step * 2.0}, step)
    for key, factor in [("train", 1.0), ("valid", 2.0)]:
        got = tb_values(accumulate(logdir / f"loss_all_{key}"), "loss/all")
        assert got == [(step, np.float32(step * factor)) for step in range(3)]
    frame = flowscope.Logdir(str(logdir)).scalars()
    assert sorted(frame["run"].unique()) == ["loss_all_train", "loss_all_valid"]


def test_graph(logdir):
    graph = GraphDef()
    graph.node.add(name="x", op="Placeholder")
    graph.node.add(name="y", op="Relu", input=["x"], device="/cpu:0")
    graph.versions.producer = 1
    with SummaryWriter(logdir) as writer:
        writer.add_graph(graph)
        writer.add_graph(graph.SerializeToString())
    data = graph.SerializeToString()
    events = [e for e in EventFileLoader(writer.file_path).Load() if e.HasField("graph_def")]
    assert [e.graph_def for e in events] == [data, data]
    acc = accumulate(logdir)
    assert [node.name for node in acc.Graph().node] == ["x", "y"]
    assert acc.Graph().SerializeToString() == data
    assert flowscope.Logdir(str(logdir)).runs["."].graph_def == data


# ---- torch tensors ----


def test_torch_tensors(logdir):
    torch = pytest.importorskip("torch")
    weights = torch.randn(200, requires_grad=True)
    image = torch.rand(3, 5, 4)
    with SummaryWriter(logdir) as writer:
        writer.add_scalar("s", torch.tensor(0.25, requires_grad=True), torch.tensor(4))
        writer.add_scalar("bf16", torch.tensor(1.5, dtype=torch.bfloat16), 5)
        writer.add_histogram("h", weights, 1)
        writer.add_image("img", image, 1)
        writer.add_audio("a", torch.linspace(-1, 1, 50), 1, sample_rate=1000)
        writer.add_pr_curve(
            "pr",
            torch.tensor([1, 0, 1, 1]),
            torch.tensor([0.9, 0.2, 0.4, 0.6]),
            1,
            num_thresholds=5,
        )
        writer.add_hparams({"lr": torch.tensor(0.5)}, {"acc": torch.tensor(0.9)}, run_name="hp")
        writer.add_embedding(torch.randn(4, 3), label_img=torch.rand(4, 3, 2, 2))

    acc = accumulate(logdir)
    assert tb_values(acc, "s") == [(4, np.float32(0.25))] and tb_values(acc, "bf16")[0][1] == 1.5
    ((_, buckets),) = tb_values(acc, "h")
    assert buckets[:, 2].sum() == 200 and buckets[0, 0] == weights.min().item()
    pixels = png_pixels(tb_values(acc, "img")[0][1][2])
    np.testing.assert_array_equal(
        pixels, np.rint(image.permute(1, 2, 0).numpy().astype(np.float64) * 255)
    )
    ((_, pr),) = tb_values(acc, "pr")
    np.testing.assert_array_equal(pr[:4, 0], [3, 1, 0, 0])
    start = hparams_pb2.HParamsPluginData.FromString(
        accumulate(logdir / "hp").PluginTagToContent("hparams")["_hparams_/session_start_info"]
    )
    assert start.session_start_info.hparams["lr"].number_value == 0.5


def test_import_does_not_load_torch():
    code = "import sys, flowscope, flowscope.io.writer; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- lifetime ----


def test_context_manager_and_close(logdir):
    with SummaryWriter(logdir) as writer:
        writer.add_scalar("x", 1.0, 1)
    assert writer.closed
    assert tb_values(accumulate(logdir), "x") == [(1, np.float32(1.0))]
    with pytest.raises(WriterClosedError, match="closed"):
        writer.add_scalar("x", 2.0, 2)
    for add in (
        lambda: writer.add_text("t", "a"),
        lambda: writer.add_graph(GraphDef()),
        lambda: writer.add_embedding(np.eye(2)),
        lambda: writer.add_hparams({"a": 1}, {"m": 1}),
    ):
        with pytest.raises(RuntimeError, match="closed"):
            add()
    writer.flush()
    writer.close()
    with pytest.raises(WriterClosedError), writer:
        pass
    assert not (logdir / "default").exists()


def test_flush_and_flush_secs(logdir):
    writer = SummaryWriter(logdir / "manual", max_queue=1000)
    writer.add_scalar("x", 1.0, 1)
    assert not accumulate(logdir / "manual").Tags()["tensors"]
    writer.flush()
    assert tb_values(accumulate(logdir / "manual"), "x") == [(1, np.float32(1.0))]
    writer.close()

    timed = SummaryWriter(logdir / "timed", flush_secs=0.1, max_queue=1000)
    timed.add_scalar("x", 2.0, 1)
    deadline = time.time() + 5
    while not accumulate(logdir / "timed").Tags()["tensors"] and time.time() < deadline:
        time.sleep(0.05)
    assert tb_values(accumulate(logdir / "timed"), "x") == [(1, np.float32(2.0))]
    timed.close()

    queued = SummaryWriter(logdir / "queued", max_queue=3)
    for step in range(3):
        queued.add_scalar("x", step, step)
    assert len(tb_values(accumulate(logdir / "queued"), "x")) == 3
    queued.close()


def test_metadata_only_on_first_value_of_a_tag(logdir):
    with SummaryWriter(logdir) as writer:
        for step in range(3):
            writer.add_text("t", f"step {step}", step)
    values = [v for e in EventFileLoader(writer.file_path).Load() for v in e.summary.value]
    assert [v.HasField("metadata") for v in values] == [True, False, False]
    assert [v.item() for _, v in tb_values(accumulate(logdir), "t")] == [
        b"step 0",
        b"step 1",
        b"step 2",
    ]


# ---- projector ----


def test_embeddings_merge_into_projector_config(logdir):
    rng = np.random.default_rng(3)
    words = rng.random((5, 3)).astype(np.float32)
    thumbs = rng.integers(0, 256, (5, 3, 4, 6), dtype=np.uint8)
    with SummaryWriter(logdir) as writer:
        writer.add_embedding(
            words, metadata=["a", "b\tc", "d", "e", "f"], label_img=thumbs, tag="words"
        )
        writer.add_embedding(
            np.eye(3),
            metadata=[["x", 1], ["y", 2], ["z", 3]],
            metadata_header=["name", "n"],
            global_step=7,
            tag="one/hot",
        )
    with SummaryWriter(logdir) as writer:
        writer.add_embedding(words * 2, tag="words")  # replaces the first "words"
        writer.add_embedding(np.ones((2, 2)), global_step=8, tag="later")

    config = text_format.Parse(
        (logdir / "projector_config.pbtxt").read_text(), projector_config_pb2.ProjectorConfig()
    )
    assert [e.tensor_name for e in config.embeddings] == ["words", "one/hot:00007", "later:00008"]
    assert config.embeddings[1].tensor_path == "00007/one%2Fhot/tensors.tsv"
    assert list(config.embeddings[1].tensor_shape) == [3, 3]

    found = {e.name: e for e in find_embeddings(".", Location.parse(str(logdir)), str(logdir))}
    np.testing.assert_array_equal(found["words"].tensor(), words * 2)
    assert found["words"].metadata() is None and found["words"].sprite() is None
    one_hot = found["one/hot:00007"]
    np.testing.assert_array_equal(one_hot.tensor(), np.eye(3))
    assert one_hot.metadata().to_dict("list") == {"name": ["x", "y", "z"], "n": ["1", "2", "3"]}


def test_embedding_sprite_and_labels(logdir):
    thumbs = np.random.default_rng(4).integers(0, 256, (5, 3, 4, 6), dtype=np.uint8)
    with SummaryWriter(logdir) as writer:
        writer.add_embedding(
            np.zeros((5, 2)), metadata=["a", "b\tc", "d", "e", "f"], label_img=thumbs
        )
    (embedding,) = find_embeddings(".", Location.parse(str(logdir)), str(logdir))
    assert embedding.metadata()["label"].tolist() == ["a", "b c", "d", "e", "f"]
    assert list(embedding.info.sprite.single_image_dim) == [6, 4]
    sprite = png_pixels(embedding.sprite())  # 3 thumbnails to a row: ceil(sqrt(5))
    assert sprite.shape == (8, 18, 3)
    for i in range(5):
        row, col = divmod(i, 3)
        np.testing.assert_array_equal(
            sprite[row * 4 : (row + 1) * 4, col * 6 : (col + 1) * 6], thumbs[i].transpose(1, 2, 0)
        )


# ---- bad input ----


BAD_INPUT = {
    "4-D image as CHW": (
        lambda w: w.add_image("i", np.zeros((2, 3, 4, 4))),
        "does not match dataformats",
    ),
    "batch to add_image": (
        lambda w: w.add_image("i", np.zeros((2, 3, 4, 4)), dataformats="NCHW"),
        "add_images",
    ),
    "no batch to add_images": (
        lambda w: w.add_images("i", np.zeros((3, 4, 4)), dataformats="CHW"),
        "needs N",
    ),
    "two channels": (lambda w: w.add_image("i", np.zeros((2, 4, 4))), "1, 3 or 4 channels"),
    "bad letters": (
        lambda w: w.add_image("i", np.zeros((4, 4)), dataformats="XY"),
        "bad dataformats",
    ),
    "int64 image": (lambda w: w.add_image("i", np.zeros((3, 4, 4), dtype=np.int64)), "uint8"),
    "empty image": (lambda w: w.add_image("i", np.zeros((3, 0, 4))), "empty"),
    "empty histogram": (lambda w: w.add_histogram("h", []), "no values"),
    "text histogram": (lambda w: w.add_histogram("h", ["a"]), "numeric"),
    "vector scalar": (lambda w: w.add_scalar("s", [1.0, 2.0]), "one value"),
    "string scalar": (lambda w: w.add_scalar("s", "1"), "numeric"),
    "float step": (lambda w: w.add_scalar("s", 1.0, 1.5), "global_step"),
    "3-D audio": (lambda w: w.add_audio("a", np.zeros((1, 2, 3))), "channels, frames"),
    "empty audio": (lambda w: w.add_audio("a", np.zeros(0)), "no samples"),
    "fractional rate": (lambda w: w.add_audio("a", np.zeros(3), sample_rate=44.1), "sample_rate"),
    "numbers as text": (lambda w: w.add_text("t", [1, 2]), "str"),
    "prediction above 1": (lambda w: w.add_pr_curve("p", [1, 0], [0.5, 1.5]), r"\[0, 1\]"),
    "NaN prediction": (lambda w: w.add_pr_curve("p", [1, 0], [0.5, np.nan]), r"\[0, 1\]"),
    "pr shapes": (lambda w: w.add_pr_curve("p", [1, 0, 1], [0.5, 0.5]), "shape"),
    "list hparam": (lambda w: w.add_hparams({"layers": [1, 2]}, {"m": 1}), "layers"),
    "domain type": (
        lambda w: w.add_hparams({"o": "a"}, {"m": 1}, hparam_domain_discrete={"o": [1]}),
        "type",
    ),
    "unknown domain": (
        lambda w: w.add_hparams({"o": "a"}, {"m": 1}, hparam_domain_discrete={"p": [1]}),
        "unknown",
    ),
    "garbage graph": (lambda w: w.add_graph(b"\xff\xff\xff"), "not a GraphDef"),
    "graph of a dict": (lambda w: w.add_graph({"node": []}), "GraphDef"),
    "1-D embedding": (lambda w: w.add_embedding(np.zeros(3)), r"\[N, D\]"),
    "short metadata": (lambda w: w.add_embedding(np.zeros((3, 2)), metadata=["a"]), "1 rows for 3"),
    "one-column header": (
        lambda w: w.add_embedding(np.zeros((1, 2)), metadata=[["a"]], metadata_header=["l"]),
        "two columns",
    ),
    "sprite count": (
        lambda w: w.add_embedding(np.zeros((2, 2)), label_img=np.zeros((3, 3, 2, 2))),
        "3 images",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_a_clear_value_error(logdir, case):
    add, message = BAD_INPUT[case]
    with SummaryWriter(logdir) as writer:
        with pytest.raises(ValueError, match=message):
            add(writer)
        writer.add_scalar("still_fine", 1.0)
    assert tb_values(accumulate(logdir), "still_fine") == [(0, np.float32(1.0))]


def test_bad_writer_arguments(tmp_path):
    with pytest.raises(ValueError, match="local"):
        SummaryWriter("s3://bucket/logs")
    with pytest.raises(ValueError, match="flush_secs"):
        SummaryWriter(tmp_path, flush_secs=0)
