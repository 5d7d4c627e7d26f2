"""Logdirs written at test time by real writers: tensorboard's summary helpers, protos
and `EventFileWriter`, torch.utils.tensorboard and tensorboardX."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.support.records import event, session_log_event, write_with_tensorboard


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
