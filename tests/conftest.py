"""Shared helpers and fixtures for the reading-side tests.

Logs are generated at test time by real writers (tensorboard's protos and
`EventFileWriter`, tensorboardX, torch.utils.tensorboard) and every value flowscope
reads is compared with what tensorboard's own `EventAccumulator` reads from the same
files, with nothing sampled on either side.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

import crc32c
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Test modules import the helpers below as `readhelpers`: the module name `conftest`
# is shared with the conftest.py of other test directories.
sys.modules["readhelpers"] = sys.modules[__name__]

# Settings of the property tests here (not a global profile: other test directories
# have their own). FLOWSCOPE_EXAMPLES=2000 for a thorough run.
read_settings = settings(
    deadline=None,
    max_examples=int(os.environ.get("FLOWSCOPE_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# ---------------------------------------------------------------------------
# A reference CRC-32C and TFRecord framing, written independently of flowscope
# ---------------------------------------------------------------------------

def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def reference_crc32c(data: bytes) -> int:
    """Bitwise-table CRC-32C (Castagnoli), reflected, init and xor-out 0xFFFFFFFF."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def mask(crc: int) -> int:
    rotated = ((crc >> 15) | (crc << 17)) & 0xFFFFFFFF
    return (rotated + 0xA282EAD8) & 0xFFFFFFFF


def reference_masked_crc(data: bytes) -> int:
    return mask(reference_crc32c(data))


def tf_record(data: bytes) -> bytes:
    """One TFRecord (the C crc32c is checked against `reference_crc32c` in test_records)."""
    header = struct.pack("<Q", len(data))
    return (
        header
        + struct.pack("<I", mask(crc32c.crc32c(header)))
        + data
        + struct.pack("<I", mask(crc32c.crc32c(data)))
    )


def record_bounds(blob: bytes) -> list[tuple[int, int]]:
    """(start, end) of each record in a well-formed record file."""
    bounds, pos = [], 0
    while pos < len(blob):
        (length,) = struct.unpack_from("<Q", blob, pos)
        end = pos + 12 + length + 4
        bounds.append((pos, end))
        pos = end
    return bounds


# ---------------------------------------------------------------------------
# Events, written with tensorboard's own protos
# ---------------------------------------------------------------------------

def tb_protos():
    from tensorboard.compat.proto import event_pb2, summary_pb2

    return event_pb2, summary_pb2


_clock = [1_700_000_000.0]


def next_wall_time() -> float:
    _clock[0] += 0.25
    return _clock[0]


def event(step: int = 0, wall_time: float | None = None, **fields):
    event_pb2, _ = tb_protos()
    return event_pb2.Event(step=step, wall_time=next_wall_time() if wall_time is None else wall_time, **fields)


def file_version_event(version: str = "brain.Event:2"):
    return event(file_version=version)


def scalar_event(tag: str, step: int, value: float, wall_time: float | None = None):
    _, summary_pb2 = tb_protos()
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
    return event(step, wall_time, summary=summary)


def summary_event(summary, step: int, wall_time: float | None = None):
    return event(step, wall_time, summary=summary)


def tensor_proto(dtype: str, shape: list[int], **fields):
    """A tensorboard ``TensorProto`` of ``dtype`` (e.g. "DT_FLOAT"), ``shape`` and ``fields``."""
    from tensorboard.compat.proto import tensor_pb2, tensor_shape_pb2, types_pb2

    dims = [tensor_shape_pb2.TensorShapeProto.Dim(size=n) for n in shape]
    return tensor_pb2.TensorProto(
        dtype=types_pb2.DataType.Value(dtype),
        tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=dims),
        **fields,
    )


def tensor_event(tag: str, step: int, tensor, plugin: str = "", wall_time: float | None = None):
    """A summary of one tensor value (a tensorboard ``TensorProto``) of ``plugin``."""
    _, summary_pb2 = tb_protos()
    value = summary_pb2.Summary.Value(tag=tag, tensor=tensor)
    value.metadata.plugin_data.plugin_name = plugin
    return event(step, wall_time, summary=summary_pb2.Summary(value=[value]))


def session_log_event(step: int, status: str = "START", wall_time: float | None = None):
    event_pb2, _ = tb_protos()
    log = event_pb2.SessionLog(status=event_pb2.SessionLog.SessionStatus.Value(status))
    return event(step, wall_time, session_log=log)


def event_file_name(seconds: int, host: str = "testhost", suffix: str = "") -> str:
    return f"events.out.tfevents.{seconds:010d}.{host}{suffix}"


def write_event_file(path: Path | str, events: Iterable, mode: str = "wb") -> Path:
    """Frames and writes events (protos or bytes) to ``path``; returns it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode) as f:
        f.writelines(tf_record(e if isinstance(e, bytes) else e.SerializeToString()) for e in events)
    return path


def write_with_tensorboard(logdir: Path | str, events: Iterable, suffix: str = "") -> Path:
    """Writes events through tensorboard's `EventFileWriter` (adds file_version 2)."""
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(logdir), max_queue_size=1000, flush_secs=1000, filename_suffix=suffix)
    for e in events:
        writer.add_event(e)
    writer.close()
    return Path(writer._file_name)


# ---------------------------------------------------------------------------
# TensorBoard's reading side
# ---------------------------------------------------------------------------

def load_accumulator(path: Path | str):
    from tensorboard.backend.event_processing import plugin_event_accumulator as pea

    acc = pea.EventAccumulator(str(path), size_guidance={pea.TENSORS: 0}, purge_orphaned_data=True)
    return acc.Reload()


def load_multiplexer(logdir: Path | str):
    from tensorboard.backend.event_processing import plugin_event_multiplexer as pem

    mux = pem.EventMultiplexer(size_guidance={"tensors": 0}, purge_orphaned_data=True)
    mux.AddRunsFromDirectory(str(logdir))
    return mux.Reload()


def keep_everything(*extra_plugins: str) -> dict[str, int]:
    plugins = {
        "scalars", "histograms", "images", "audio", "text", "pr_curves", "hparams", "custom_scalars",
        "graph_keras_model", "graph_run_metadata", "graph_run_metadata_graph", "", "mesh", "tensor",
    }
    return {p: 0 for p in plugins | set(extra_plugins)}


def open_logdir(path, **kwargs):
    import flowscope

    kwargs.setdefault("samples_per_plugin", keep_everything())
    return flowscope.Logdir(str(path), **kwargs)


# ---------------------------------------------------------------------------
# Value-by-value comparison with EventAccumulator
# ---------------------------------------------------------------------------

GRAPH_DERIVED = {"graphs", "graph_tagged_run_metadata"}  # tags TensorBoard makes from graph events


def _ndarray(tensor_proto) -> np.ndarray:
    from tensorboard.util import tensor_util

    return tensor_util.make_ndarray(tensor_proto)


def _raw_first_metadata(run_dir: Path) -> dict:
    """The metadata of each tag's first value, read without TensorBoard's migrations."""
    from tensorboard.backend.event_processing.event_file_loader import LegacyEventFileLoader

    first: dict = {}
    for name in sorted(os.listdir(run_dir)):
        if "tfevents" not in name or not (run_dir / name).is_file():
            continue
        for e in LegacyEventFileLoader(str(run_dir / name)).Load():
            if e.HasField("summary"):
                for v in e.summary.value:
                    first.setdefault(v.tag or v.node_name, v.metadata)
    return first


def _nan_equal(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def assert_logdir_matches_tensorboard(logdir: Path | str, ld=None) -> dict:
    """Loads ``logdir`` with flowscope and with TensorBoard and compares everything.
    Returns how many values of each plugin were compared (so tests can check coverage)."""
    logdir = Path(logdir)
    mux = load_multiplexer(logdir)
    ld = ld if ld is not None else open_logdir(logdir)
    tb_runs = sorted(r.replace(os.sep, "/") for r in mux.Runs())
    assert sorted(ld.run_names()) == tb_runs
    counts: dict[str, int] = {}
    for run_name in mux.Runs():
        compared = assert_run_matches_tensorboard(
            ld, run_name.replace(os.sep, "/"), mux.GetAccumulator(run_name), logdir / run_name
        )
        for k, v in compared.items():
            counts[k] = counts.get(k, 0) + v
    return counts


def assert_run_matches_tensorboard(ld, run_name: str, acc, run_dir: Path) -> dict:
    import pandas as pd
    from tensorboard.plugins.distribution import compressor

    from flowscope.proto.plugins_pb2 import HParamsPluginData

    run = ld.runs[run_name]
    counts: dict[str, int] = {}
    tb_tags = acc.Tags()["tensors"]
    tb_plugin = {t: (acc.summary_metadata[t].plugin_data.plugin_name if t in acc.summary_metadata else "") for t in tb_tags}
    derived = {t for t in tb_tags if tb_plugin[t] in GRAPH_DERIVED}
    expected = set(tb_tags) - derived
    assert set(run.tags()) == expected, f"run {run_name}: tags differ"

    # Graphs: the GraphDef bytes and the tagged run metadata.
    assert run.graph_def == acc.SerializedGraph(), f"run {run_name}: graph differs"
    if run.graph_def is not None:
        counts["graph"] = 1
    trm = {t for t in derived if tb_plugin[t] == "graph_tagged_run_metadata"}
    assert set(run.run_metadata) == trm
    for t in trm:
        # The latest run metadata of the tag. (When a purge leaves TensorBoard none, it
        # lists the tag without data; flowscope keeps the purged one: not compared.)
        items = acc.Tensors(t)
        if items:
            assert run.run_metadata[t] == items[-1].tensor_proto.string_val[0]
        counts["run_metadata"] = counts.get("run_metadata", 0) + 1

    raw_first = _raw_first_metadata(run_dir)
    for tag in expected:
        plugin = tb_plugin[tag]
        assert run.plugin_of[tag] == plugin, f"run {run_name} tag {tag}: plugin differs"
        # The first metadata of the tag is kept as written.
        assert run.metadata[tag].plugin_data.content == raw_first[tag].plugin_data.content
        assert run.metadata[tag].summary_description == raw_first[tag].summary_description
        if raw_first[tag].display_name:
            assert run.metadata[tag].display_name == raw_first[tag].display_name

        events = acc.Tensors(tag)
        steps = [e.step for e in events]
        walls = [e.wall_time for e in events]

        if plugin == "hparams":
            content = acc.PluginTagToContent("hparams")[tag]
            assert run.hparams[tag] == HParamsPluginData.FromString(content)
            counts["hparams"] = counts.get("hparams", 0) + 1
            continue

        if plugin == "scalars":
            df = ld.scalars(run=run_name, tag=tag)
            assert df["step"].tolist() == steps
            assert df["wall_time"].tolist() == walls
            expected_values = np.array([_ndarray(e.tensor_proto).item() for e in events])
            dtype = np.result_type(*[_ndarray(e.tensor_proto).dtype for e in events]) if events else np.float32
            assert _nan_equal(df["value"].to_numpy().astype(dtype), expected_values.astype(dtype)), (
                f"run {run_name} tag {tag}: scalar values differ"
            )
            counts["scalars"] = counts.get("scalars", 0) + len(events)
            continue

        if plugin == "histograms":
            df = ld.histograms(run=run_name, tag=tag)
            assert df["step"].tolist() == steps and df["wall_time"].tolist() == walls
            dist = ld.distributions(run=run_name, tag=tag)
            assert dist["step"].tolist() == steps
            for (_, row), (_, drow), e in zip(df.iterrows(), dist.iterrows(), events):
                tb = _ndarray(e.tensor_proto).astype(np.float64).reshape(-1, 3)
                mine = np.stack([row["lefts"], row["rights"], row["counts"]], axis=1)
                assert mine.shape == tb.shape
                np.testing.assert_allclose(mine, tb, rtol=1e-6)
                tb_dist = compressor.compress_histogram(tb)
                mine_dist = [drow[f"bp{bp}"] for bp, _ in tb_dist]
                np.testing.assert_allclose(mine_dist, [v for _, v in tb_dist], rtol=1e-5, atol=1e-9)
            counts["histograms"] = counts.get("histograms", 0) + len(events)
            continue

        if plugin == "images":
            df = ld.images(run=run_name, tag=tag)
            got = [(s, w, list(g["index"]), list(g["width"]), list(g["height"]), list(g["image"]))
                   for (s, w), g in df.groupby(["step", "wall_time"], sort=False)]
            want = []
            for e in events:
                arr = _ndarray(e.tensor_proto).reshape(-1)
                n = len(arr) - 2
                want.append((e.step, e.wall_time, list(range(n)), [int(arr[0])] * n, [int(arr[1])] * n, list(arr[2:])))
            assert [g for g in got] == [w for w in want if w[2]], f"run {run_name} tag {tag}: images differ"
            counts["images"] = counts.get("images", 0) + len(events)
            continue

        if plugin == "audio":
            df = ld.audio(run=run_name, tag=tag)
            got = {(s, w): list(g["audio"]) for (s, w), g in df.groupby(["step", "wall_time"], sort=False)}
            assert list(got) == [(s, w) for s, w in zip(steps, walls)]
            for e in events:
                arr = _ndarray(e.tensor_proto)
                clips = list(arr[:, 0]) if arr.ndim == 2 else list(arr.reshape(-1))
                assert got[(e.step, e.wall_time)] == clips
            # Labels as written (TensorBoard drops them when it migrates the tensor).
            counts["audio"] = counts.get("audio", 0) + len(events)
            continue

        if plugin == "text":
            df = ld.text(run=run_name, tag=tag)
            assert df["step"].tolist() == steps and df["wall_time"].tolist() == walls
            for value, e in zip(df["value"], events):
                arr = _ndarray(e.tensor_proto)
                decoded = np.vectorize(lambda b: b.decode("utf-8"), otypes=[object])(arr) if arr.size else arr
                if arr.ndim == 0:
                    assert value == arr.item().decode("utf-8")
                else:
                    assert np.asarray(value).shape == arr.shape
                    assert np.asarray(value).tolist() == decoded.tolist()
            counts["text"] = counts.get("text", 0) + len(events)
            continue

        if plugin == "pr_curves":
            df = ld.pr_curves(run=run_name, tag=tag)
            assert df["step"].tolist() == steps and df["wall_time"].tolist() == walls
            columns = ["true_positives", "false_positives", "true_negatives", "false_negatives", "precision", "recall"]
            for (_, row), e in zip(df.iterrows(), events):
                tb = _ndarray(e.tensor_proto)
                mine = np.stack([row[c] for c in columns])
                assert mine.shape == tb.shape
                assert np.array_equal(mine.astype(tb.dtype), tb)
                np.testing.assert_allclose(row["thresholds"], np.linspace(0, 1, tb.shape[1]))
            counts["pr_curves"] = counts.get("pr_curves", 0) + len(events)
            continue

        # Everything else (graph sub-plugins, custom scalars, plain tensors): the tensors.
        df = ld.tensors(run=run_name, tag=tag, plugin=plugin)
        assert isinstance(df, pd.DataFrame)
        assert df["step"].tolist() == steps and df["wall_time"].tolist() == walls
        for value, e in zip(df["value"], events):
            tb = _ndarray(e.tensor_proto)
            mine = np.asarray(value)
            if tb.dtype.kind in "OSU":
                assert mine.reshape(-1).tolist() == tb.reshape(-1).tolist()
            else:
                assert mine.shape == tb.shape and _nan_equal(mine, tb)
        counts[plugin or "tensors"] = counts.get(plugin or "tensors", 0) + len(events)
    return counts


# ---------------------------------------------------------------------------
# Log generators (session-scoped: written once, read by many tests)
# ---------------------------------------------------------------------------

def _png_like(seed: int, n: int = 40) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + np.random.RandomState(seed).bytes(n)


def _wav_like(seed: int, n: int = 40) -> bytes:
    return b"RIFF" + np.random.RandomState(seed).bytes(n)


def generate_tensorboard_logs(root: Path) -> Path:
    """Runs written with tensorboard's summary helpers and protos through its
    `EventFileWriter`: TF2-style tensors (`tf2`), TF1-style old values with graphs
    and run metadata (`tf1`), and an hparams experiment with two trials."""
    from tensorboard.compat.proto import event_pb2, graph_pb2, meta_graph_pb2, summary_pb2
    from tensorboard.compat.proto.config_pb2 import RunMetadata
    from tensorboard.plugins.audio import metadata as audio_md
    from tensorboard.plugins.graph import metadata as graph_md
    from tensorboard.plugins.histogram import summary_v2 as hist_v2
    from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2
    from tensorboard.plugins.hparams import metadata as hp_md
    from tensorboard.plugins.hparams import summary_v2 as hp_v2
    from tensorboard.plugins.image import metadata as image_md
    from tensorboard.plugins.pr_curve import metadata as pr_md
    from tensorboard.plugins.scalar import metadata as scalar_md
    from tensorboard.plugins.scalar import summary_v2 as scalar_v2
    from tensorboard.plugins.text import summary_v2 as text_v2
    from tensorboard.util import tensor_util

    Value = summary_pb2.Summary.Value
    rng = np.random.RandomState(0)

    # --- tf2: tensor summaries ---
    events = []
    for step in range(6):
        s = summary_pb2.Summary()
        s.MergeFrom(scalar_v2.scalar_pb("loss", np.float32(1.0 / (step + 1))))
        s.MergeFrom(scalar_v2.scalar_pb("metrics/accuracy", np.float32(step / 10), description="acc"))
        s.value.add(tag="double", tensor=tensor_util.make_tensor_proto(np.float64(1 / 3 + step)),
                    metadata=scalar_md.create_summary_metadata("", ""))
        s.value.add(tag="int_scalar", tensor=tensor_util.make_tensor_proto(np.int64(2**40 + step)),
                    metadata=scalar_md.create_summary_metadata("", ""))
        s.MergeFrom(scalar_v2.scalar_pb("nan_inf", [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45][step]))
        s.MergeFrom(hist_v2.histogram_pb("weights", rng.randn(50) * (step + 1), buckets=7))
        s.MergeFrom(hist_v2.histogram_pb("constant", np.full(5, 3.0), buckets=4))
        s.MergeFrom(hist_v2.histogram_pb("empty", np.zeros(0)))
        s.MergeFrom(text_v2.text_pb("text/scalar", f"**step** {step} é"))
        s.MergeFrom(text_v2.text_pb("text/vector", np.array([f"a{step}", "b"])))
        s.MergeFrom(text_v2.text_pb("text/table", np.array([["h1", "h2"], [str(step), "x"]])))
        s.MergeFrom(text_v2.text_pb("text/cube", np.array([[["a", "b"]], [["c", str(step)]]])))
        imgs = [str(8).encode(), str(6).encode()] + [_png_like(step * 10 + i) for i in range(step % 3 + 1)]
        s.value.add(tag="images/v2", tensor=tensor_util.make_tensor_proto(np.array(imgs, dtype=object)),
                    metadata=image_md.create_summary_metadata("images/v2", "", converted_to_tensor=False))
        audio = np.array([[_wav_like(step), f"label {step}".encode()], [_wav_like(step + 100), b""]], dtype=object)
        s.value.add(tag="audio/v2", tensor=tensor_util.make_tensor_proto(audio),
                    metadata=audio_md.create_summary_metadata("audio/v2", "", audio_md.Encoding.Value("WAV")))
        n = 11
        tp = np.sort(rng.randint(0, 20, n))[::-1].astype(np.float32)
        fp = np.sort(rng.randint(0, 20, n))[::-1].astype(np.float32)
        tp[-3:] = 0
        fp[-3:] = 0
        tn, fn = (20 - fp).astype(np.float32), (20 - tp).astype(np.float32)
        precision = (tp / np.maximum(1.0, tp + fp)).astype(np.float32)
        recall = (tp / np.maximum(1.0, tp + fn)).astype(np.float32)
        s.value.add(tag="pr/curve", tensor=tensor_util.make_tensor_proto(np.stack([tp, fp, tn, fn, precision, recall])),
                    metadata=pr_md.create_summary_metadata("pr/curve", "", n))
        s.value.add(tag="raw_tensor", tensor=tensor_util.make_tensor_proto(np.arange(step + 2, dtype=np.int32)))
        if step == 2:
            s.value.add(tag="keras", tensor=tensor_util.make_tensor_proto(b'{"class_name": "Sequential"}'),
                        metadata=summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(
                            plugin_name=graph_md.PLUGIN_NAME_KERAS_MODEL, content=b"1")))
            rm = RunMetadata()
            rm.step_stats.dev_stats.add(device="/cpu:0")
            s.value.add(tag="trace", tensor=tensor_util.make_tensor_proto(rm.SerializeToString()),
                        metadata=summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(
                            plugin_name=graph_md.PLUGIN_NAME_RUN_METADATA_WITH_GRAPH, content=b"1")))
        events.append(event(step, summary=s))
    write_with_tensorboard(root / "tf2", events)

    # --- tf1: old-style values, graphs, run metadata, a session START ---
    events = [session_log_event(0)]
    graph = graph_pb2.GraphDef()
    graph.node.add(name="x", op="Placeholder")
    graph.node.add(name="y", op="Relu", input=["x"])
    meta = meta_graph_pb2.MetaGraphDef()
    meta.graph_def.node.add(name="from_meta", op="Const")
    events.append(event(0, meta_graph_def=meta.SerializeToString()))
    events.append(event(0, graph_def=graph.SerializeToString()))
    for step in range(0, 50, 7):
        s = summary_pb2.Summary()
        s.value.add(tag="loss", simple_value=float(np.float32(10.0 / (step + 1))))
        s.value.add(tag="lr", simple_value=0.1)
        data = rng.randn(30) + step
        counts, edges = np.histogram(data, bins=6)
        histo = summary_pb2.HistogramProto(
            min=float(data.min()), max=float(data.max()), num=30, sum=float(data.sum()),
            sum_squares=float((data ** 2).sum()),
            # An empty first bucket and DBL_MAX as the last edge, as TF1 writes them.
            bucket_limit=[float(edges[0]) - 1] + list(edges[1:-1]) + [1.7976931348623157e308],
            bucket=[0.0] + [float(c) for c in counts],
        )
        s.value.add(tag="activations", histo=histo)
        s.value.add(tag="input", image=summary_pb2.Summary.Image(
            height=4, width=5, colorspace=3, encoded_image_string=_png_like(step)))
        s.value.add(tag="sound", audio=summary_pb2.Summary.Audio(
            sample_rate=8000, num_channels=1, length_frames=10, encoded_audio_string=_wav_like(step),
            content_type="audio/wav"))
        events.append(event(step, summary=s))
        rm = RunMetadata()
        rm.step_stats.dev_stats.add(device=f"/cpu:{step}")
        events.append(event(step, tagged_run_metadata=event_pb2.TaggedRunMetadata(
            tag=f"step{step}", run_metadata=rm.SerializeToString())))
    write_with_tensorboard(root / "tf1", events)

    # --- hparams: an experiment and two trials with their metrics ---
    config = hp_v2.hparams_config_pb(
        hparams=[hp_v2.HParam("lr", hp_v2.RealInterval(0.001, 1.0)),
                 hp_v2.HParam("optimizer", hp_v2.Discrete(["adam", "sgd"]))],
        metrics=[hp_v2.Metric("loss", display_name="Loss")],
    )
    write_with_tensorboard(root / "hparams", [event(0, summary=config)])
    for i, (lr, opt) in enumerate([(0.01, "adam"), (0.1, "sgd")]):
        start = hp_v2.hparams_pb({"lr": lr, "optimizer": opt}, trial_id=f"trial{i}", start_time_secs=1000 + i)
        end_data = plugin_data_pb2.HParamsPluginData(version=0, session_end_info=plugin_data_pb2.SessionEndInfo(
            status=api_pb2.STATUS_SUCCESS, end_time_secs=2000 + i))
        end = summary_pb2.Summary(value=[Value(tag=hp_md.SESSION_END_INFO_TAG,
                                               metadata=hp_md.create_summary_metadata(end_data))])
        trial = [event(0, summary=start)]
        trial += [event(s, summary=scalar_v2.scalar_pb("loss", np.float32(lr * 10 / (s + 1)))) for s in range(4)]
        trial.append(event(4, summary=end))
        write_with_tensorboard(root / "hparams" / f"trial{i}", trial)
    return root


def generate_torch_logs(root: Path) -> Path:
    import torch
    from torch.utils.tensorboard import SummaryWriter

    torch.manual_seed(0)
    rng = np.random.RandomState(1)
    w = SummaryWriter(str(root / "torch"))
    for step in range(8):
        w.add_scalar("loss", 1.0 / (step + 1), step)
        w.add_scalar("new_style", 2.0 * step, step, new_style=True)
        w.add_scalar("double", 1 / 3 + step, step, new_style=True, double_precision=True)
        w.add_scalars("pair", {"train": step, "val": -step}, step)
        w.add_histogram("weights", rng.randn(100) * (step + 1), step)
        w.add_histogram("ints", rng.randint(0, 5, 40), step, bins="auto")
        w.add_histogram_raw("raw", min=-1.0, max=3.0, num=6, sum=3.0, sum_squares=9.0,
                            bucket_limits=[-0.5, 0.0, 1.0, 3.0], bucket_counts=[1, 2, 0, 3], global_step=step)
        if step % 2 == 0:
            w.add_image("image", rng.rand(3, 4, 5), step)
            w.add_images("batch", rng.rand(2, 3, 4, 5), step)
            w.add_audio("audio", np.sin(np.arange(400) / (step + 2.0)).astype(np.float32), step, sample_rate=8000)
            w.add_text("text", f"hello **{step}** é", step)
        w.add_pr_curve("pr", rng.randint(0, 2, 30), rng.rand(30), step, num_thresholds=17)
    w.add_pr_curve_raw("pr_raw", [3, 2, 1], [3, 1, 0], [0, 2, 3], [0, 1, 2], [0.5, 0.66, 1.0], [1.0, 0.66, 0.33],
                       global_step=1, num_thresholds=3)
    w.add_custom_scalars({"Training": {"loss": ["Multiline", ["loss", "new_style"]]}})

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(3, 2)

        def forward(self, x):
            return torch.relu(self.linear(x))

    w.add_graph(Tiny(), torch.zeros(1, 3))
    w.add_embedding(torch.arange(15, dtype=torch.float32).reshape(5, 3) / 7, metadata=list("abcde"), tag="emb")
    w.add_embedding(torch.ones(2, 4), metadata=[["x", 1], ["y", 2]], metadata_header=["name", "n"], tag="multi",
                    label_img=torch.zeros(2, 3, 4, 4))
    w.add_hparams({"lr": 0.1, "optimizer": "sgd", "bn": True, "layers": 3}, {"hparam/accuracy": 0.9, "hparam/loss": 0.2},
                  run_name="trial_a")
    w.add_hparams({"lr": 0.01, "optimizer": "adam", "bn": False, "layers": 4}, {"hparam/accuracy": 0.8, "hparam/loss": 0.3},
                  run_name="trial_b")
    w.close()
    return root


def generate_tensorboardx_logs(root: Path) -> Path:
    import torch
    from tensorboardX import SummaryWriter

    rng = np.random.RandomState(2)
    w = SummaryWriter(str(root / "tbx"))
    for step in range(0, 40, 5):
        w.add_scalar("loss", 1.0 / (step + 1), step)
        w.add_scalars("pair", {"train": step, "val": -step}, step)
        w.add_histogram("weights", rng.randn(100) * (step + 1), step)
        w.add_histogram_raw("raw", min=-1.0, max=3.0, num=6, sum=3.0, sum_squares=9.0,
                            bucket_limits=[-0.5, 0.0, 1.0, 3.0], bucket_counts=[1, 2, 0, 3], global_step=step)
        w.add_image("image", rng.rand(3, 4, 5), step)
        w.add_images("batch", rng.rand(3, 3, 4, 5), step)
        w.add_text("text", f"step *{step}*", step)
        w.add_pr_curve("pr", rng.randint(0, 2, 30), rng.rand(30), step, num_thresholds=9)
        try:
            import soundfile  # noqa: F401  (tensorboardX needs it for audio)
        except ImportError:
            pass
        else:
            w.add_audio("audio", np.sin(np.arange(400) / 3.0).astype(np.float32), step, sample_rate=8000)
    w.add_custom_scalars({"Training": {"loss": ["Multiline", ["loss"]]}})

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(3, 2)

        def forward(self, x):
            return torch.sigmoid(self.linear(x))

    w.add_graph(Tiny(), torch.zeros(1, 3))
    w.add_embedding(np.arange(12, dtype=np.float32).reshape(4, 3), metadata=list("wxyz"), tag="emb")
    w.add_hparams({"lr": 0.5, "optimizer": "sgd"}, {"hparam/accuracy": 0.7}, name="trial")
    w.close()
    return root


@pytest.fixture(scope="session")
def tensorboard_logdir(tmp_path_factory) -> Path:
    return generate_tensorboard_logs(tmp_path_factory.mktemp("tensorboard_logs"))


@pytest.fixture(scope="session")
def torch_logdir(tmp_path_factory) -> Path:
    pytest.importorskip("torch")
    return generate_torch_logs(tmp_path_factory.mktemp("torch_logs"))


@pytest.fixture(scope="session")
def tensorboardx_logdir(tmp_path_factory) -> Path:
    pytest.importorskip("tensorboardX")
    pytest.importorskip("torch")
    return generate_tensorboardx_logs(tmp_path_factory.mktemp("tbx_logs"))
