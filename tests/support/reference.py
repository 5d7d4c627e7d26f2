"""TensorBoard's reading side, and a value-by-value comparison of what flowscope reads
with what tensorboard's own `EventAccumulator` reads from the same files, with nothing
sampled on either side."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


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
