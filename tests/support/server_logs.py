"""Small logdirs written by real writers: tensorboard's own protos and EventFileWriter,
tensorboardX and torch.utils.tensorboard. Every series stays below TensorBoard's
default sample counts, so both servers keep every point."""

from __future__ import annotations

import io
import math
import os
import struct
import wave

import numpy as np
from PIL import Image

WALL_TIME = 1_700_000_000.0


def png(width: int, height: int, shade: int) -> bytes:
    pixels = np.full((height, width, 3), shade, dtype=np.uint8)
    pixels[:, : width // 2, 0] = 255 - shade
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def wav(frequency: float, rate: int = 8000, frames: int = 800) -> bytes:
    samples = [int(12000 * math.sin(2 * math.pi * frequency * i / rate)) for i in range(frames)]
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack(f"<{frames}h", *samples))
    return out.getvalue()


def _graph_def():
    from tensorboard.compat.proto import graph_pb2, node_def_pb2

    graph = graph_pb2.GraphDef()
    graph.versions.producer = 27
    for name, op, inputs in [
        ("input", "Placeholder", []),
        ("dense/kernel", "VariableV2", []),
        ("dense/MatMul", "MatMul", ["input", "dense/kernel"]),
        ("dense/Relu", "Relu", ["dense/MatMul"]),
        ("loss", "Mean", ["dense/Relu"]),
    ]:
        node = graph.node.add(name=name, op=op, input=inputs, device="/cpu:0")
        node.attr["T"].type = 1
        if op == "VariableV2":
            node.attr["big"].s = b"x" * 2000
    assert isinstance(graph.node[0], node_def_pb2.NodeDef)
    return graph


def write_tensorboard_run(logdir: str) -> None:
    """Run ``tb``: every kind of summary, through tensorboard's protos and writer."""
    from tensorboard.compat.proto import config_pb2, event_pb2, summary_pb2
    from tensorboard.compat.proto.step_stats_pb2 import StepStats
    from tensorboard.plugins.audio import metadata as audio_md
    from tensorboard.plugins.histogram import metadata as histogram_md
    from tensorboard.plugins.image import metadata as image_md
    from tensorboard.plugins.pr_curve import metadata as pr_md
    from tensorboard.plugins.scalar import metadata as scalar_md
    from tensorboard.plugins.text import metadata as text_md
    from tensorboard.summary.writer.event_file_writer import EventFileWriter
    from tensorboard.util import tensor_util

    writer = EventFileWriter(os.path.join(logdir, "tb"))

    def emit(step: int, *values: summary_pb2.Summary.Value, offset: float = 0.0) -> None:
        event = event_pb2.Event(wall_time=WALL_TIME + step + offset, step=step)
        event.summary.value.extend(values)
        writer.add_event(event)

    def tensor(tag, array, md, first):
        value = summary_pb2.Summary.Value(tag=tag, tensor=tensor_util.make_tensor_proto(array))
        if first:
            value.metadata.CopyFrom(md)
        return value

    scalar_meta = scalar_md.create_summary_metadata("Accuracy", "How often it is **right**.")
    for step in range(30):
        emit(
            step,
            summary_pb2.Summary.Value(tag="loss", simple_value=1.0 / (step + 1)),
            tensor("accuracy", np.float32(step / 30.0), scalar_meta, step == 0),
        )
    emit(30, summary_pb2.Summary.Value(tag="loss", simple_value=float("nan")))
    emit(31, summary_pb2.Summary.Value(tag="loss", simple_value=float("inf")))

    rng = np.random.default_rng(0)
    hist_meta = histogram_md.create_summary_metadata("weights", "")
    for step in range(0, 30, 5):
        counts, edges = np.histogram(rng.normal(step / 10, 1, 500), bins=12)
        buckets = np.stack([edges[:-1], edges[1:], counts], axis=1).astype(np.float64)
        old = summary_pb2.HistogramProto(
            min=float(edges[0]),
            max=float(edges[-1]),
            num=500,
            sum=1.0,
            sum_squares=2.0,
            bucket_limit=[-1e300, *edges[1:-1].tolist(), 1e300],
            bucket=[0, *counts.tolist(), 0],
        )
        emit(
            step,
            tensor("weights", buckets, hist_meta, step == 0),
            summary_pb2.Summary.Value(tag="old_histo", histo=old),
            offset=0.25,
        )

    image_meta = image_md.create_summary_metadata("samples", "two images")
    audio_meta = audio_md.create_summary_metadata(
        "tone", "", encoding=audio_md.Encoding.Value("WAV")
    )
    for step in range(0, 30, 10):
        images = np.array(
            [b"8", b"6", png(8, 6, 10 * step), png(8, 6, 10 * step + 5)], dtype=object
        )
        if step == 20:
            images = images[:3]
        clips = np.array([[wav(220 + step), b"*low*"], [wav(440 + step), b"high"]], dtype=object)
        old_image = summary_pb2.Summary.Image(
            height=4, width=5, colorspace=3, encoded_image_string=png(5, 4, step)
        )
        emit(
            step,
            tensor("samples", images, image_meta, step == 0),
            tensor("tone", clips, audio_meta, step == 0),
            summary_pb2.Summary.Value(tag="old_image", image=old_image),
            offset=0.5,
        )

    text_meta = text_md.create_summary_metadata("notes", "")
    markdown = (
        "# Notes\n\nSome *markdown* with a [link](https://example.com) and `code`.\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nDone"
    )
    for step in range(3):
        emit(
            step,
            tensor(
                "notes", np.array(markdown + f" step {step}", dtype=object), text_meta, step == 0
            ),
            tensor("vector", np.array([b"x", b"**y**", b"z"], dtype=object), text_meta, step == 0),
            tensor(
                "table", np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object), text_meta, step == 0
            ),
            tensor(
                "cube",
                np.array([[[b"p", b"q"], [b"r", b"s"]]] * 2, dtype=object),
                text_meta,
                step == 0,
            ),
            offset=0.75,
        )

    pr_meta = pr_md.create_summary_metadata("pr", "", num_thresholds=5)
    for step in range(3):
        tp = np.array([50, 40 - step, 20, 0, 0], dtype=np.float32)
        fp = np.array([50, 20, 5 + step, 0, 0], dtype=np.float32)
        tn = 100 - fp
        fn = 50 - tp
        precision = tp / np.maximum(tp + fp, 1)
        recall = tp / np.maximum(tp + fn, 1)
        emit(
            step,
            tensor("pr", np.stack([tp, fp, tn, fn, precision, recall]), pr_meta, step == 0),
            offset=0.8,
        )

    writer.add_event(
        event_pb2.Event(wall_time=WALL_TIME, graph_def=_graph_def().SerializeToString())
    )
    run_metadata = config_pb2.RunMetadata(step_stats=StepStats())
    run_metadata.step_stats.dev_stats.add(device="/cpu:0").node_stats.add(
        node_name="dense/MatMul", all_start_micros=5
    )
    tagged = event_pb2.TaggedRunMetadata(
        tag="step_1", run_metadata=run_metadata.SerializeToString()
    )
    writer.add_event(event_pb2.Event(wall_time=WALL_TIME + 1, step=1, tagged_run_metadata=tagged))
    writer.close()


def write_hparams_runs(logdir: str, experiment: bool) -> None:
    """Runs ``hp/trial_*`` and ``hp/trial_*/eval``: three sessions, and with ``experiment``
    the experiment written to run ``hp``; without it, TensorBoard infers one."""
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2
    from tensorboard.plugins.hparams import metadata as hp_md
    from tensorboard.plugins.hparams import summary_v2 as hp
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    def write(run: str, step: int, summary: summary_pb2.Summary, wall: float) -> None:
        writer = EventFileWriter(os.path.join(logdir, run))
        writer.add_event(event_pb2.Event(wall_time=wall, step=step, summary=summary))
        writer.close()

    learning_rate = hp.HParam("lr", hp.RealInterval(0.001, 0.1))
    optimizer = hp.HParam("optimizer", hp.Discrete(["adam", "sgd"]))
    metrics = [hp.Metric("accuracy", display_name="Accuracy"), hp.Metric("loss", group="eval")]
    if experiment:
        config = hp.hparams_config_pb([learning_rate, optimizer], metrics, time_created_secs=5.0)
        write("hp", 0, config, WALL_TIME)

    trials = [(0.01, "adam", 0.9, 0.3), (0.1, "sgd", 0.7, 0.5), (0.05, "adam", 0.8, 0.4)]
    for index, (lr, opt, accuracy, loss) in enumerate(trials):
        run = f"hp/trial_{index}"
        writer = EventFileWriter(os.path.join(logdir, run))
        start = hp.hparams_pb(
            {"lr": lr, "optimizer": opt}, trial_id=run, start_time_secs=100.0 + index
        )
        writer.add_event(event_pb2.Event(wall_time=WALL_TIME + index, step=0, summary=start))
        for step in range(3):
            writer.add_event(
                event_pb2.Event(
                    wall_time=WALL_TIME + index + step,
                    step=step * 10,
                    summary=summary_pb2.Summary(
                        value=[
                            summary_pb2.Summary.Value(
                                tag="accuracy", simple_value=accuracy - 0.1 * (2 - step)
                            )
                        ]
                    ),
                )
            )
        end = plugin_data_pb2.HParamsPluginData(
            version=0,
            session_end_info=plugin_data_pb2.SessionEndInfo(
                status=api_pb2.STATUS_SUCCESS, end_time_secs=200.0 + index
            ),
        )
        value = summary_pb2.Summary.Value(
            tag=hp_md.SESSION_END_INFO_TAG, metadata=hp_md.create_summary_metadata(end)
        )
        writer.add_event(
            event_pb2.Event(
                wall_time=WALL_TIME + index + 3, step=0, summary=summary_pb2.Summary(value=[value])
            )
        )
        writer.close()
        write(
            f"{run}/eval",
            20,
            summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=loss)]),
            WALL_TIME + index + 4,
        )


def write_tensorboardx_run(logdir: str) -> None:
    """Run ``tbx`` (and the runs tensorboardX makes for add_scalars and add_hparams)."""
    from tensorboardX import SummaryWriter

    writer = SummaryWriter(os.path.join(logdir, "tbx"))
    rng = np.random.default_rng(1)
    for step in range(20):
        wall = WALL_TIME + 100 + step
        writer.add_scalar("train/loss", 2.0 / (step + 1), step, walltime=wall)
        writer.add_scalar("train/lr", 0.1 * 0.9**step, step, walltime=wall)
        writer.add_scalars("compare", {"a": step * 0.5, "b": step * 0.25}, step, walltime=wall)
        if step % 5 == 0:
            writer.add_histogram("activations", rng.normal(size=300), step, walltime=wall)
            writer.add_image(
                "picture", rng.integers(0, 255, size=(3, 6, 8), dtype=np.uint8), step, walltime=wall
            )
            writer.add_text("log", f"step **{step}**\n\n- item", step, walltime=wall)
            labels = rng.integers(0, 2, size=100)
            writer.add_pr_curve(
                "pr", labels, rng.random(100), step, num_thresholds=11, walltime=wall
            )
    writer.add_hparams(
        {"lr": 0.1, "layers": 3, "act": "relu"}, {"hparam/score": 0.75}, name="hparams"
    )
    writer.close()


def write_torch_run(logdir: str) -> None:
    """Run ``torch``: torch.utils.tensorboard with a traced model graph."""
    import torch
    from torch.utils.tensorboard import SummaryWriter

    torch.manual_seed(0)
    writer = SummaryWriter(os.path.join(logdir, "torch"))
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    writer.add_graph(model, torch.zeros(1, 4))
    for step in range(15):
        wall = WALL_TIME + 200 + step
        writer.add_scalar("loss", 1.5 - step * 0.05, step, walltime=wall)
        if step % 5 == 0:
            writer.add_histogram("fc.weight", model[0].weight.detach(), step, walltime=wall)
            writer.add_image("digits", torch.rand(3, 5, 5), step, walltime=wall)
            writer.add_audio(
                "beep",
                torch.sin(torch.linspace(0, 80 + step, 800)),
                step,
                sample_rate=8000,
                walltime=wall,
            )
            writer.add_text("summary", f"| col |\n|---|\n| {step} |", step, walltime=wall)
    writer.close()


def write_all(logdir: str) -> None:
    """Every kind of summary from three writers. The only written hparams experiment
    is tensorboardX's; the ``hp/trial_*`` sessions join it."""
    write_tensorboard_run(logdir)
    write_hparams_runs(logdir, experiment=False)
    write_tensorboardx_run(logdir)
    write_torch_run(logdir)
