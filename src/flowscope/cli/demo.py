"""``flowscope demo``: a logdir with every kind of summary and a model graph, served."""

from __future__ import annotations

import argparse
import gzip
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from flowscope.cli.serve import add_server_arguments, run_server
from flowscope.io.files import Location
from flowscope.io.writer import SummaryWriter
from flowscope.proto.graph_pb2 import GraphDef

STEPS = 300
LEARNING_RATES = (0.1, 0.03, 0.01)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser, logdir_required=False)
    parser.set_defaults(reload_interval=5.0)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if not args.logdir:
        args.logdir = os.path.join(tempfile.gettempdir(), "flowscope-demo")
    if Location.parse(args.logdir).list_event_files() if os.path.isdir(args.logdir) else False:
        print(f"using the demo logdir already in {args.logdir}")
    else:
        print(f"writing a demo logdir to {args.logdir}")
        write_demo(args.logdir)
    run_server(args, parser)


def write_demo(logdir: str) -> None:
    """Three training runs that differ in learning rate, with every kind of summary and
    the InceptionV3 graph, plus a TF1 run with RunMetadata."""
    rng = np.random.default_rng(0)
    for index, lr in enumerate(LEARNING_RATES):
        with SummaryWriter(os.path.join(logdir, f"lr_{lr}")) as writer:
            if index == 0:
                writer.add_graph(demo_graph())
                writer.add_text(
                    "notes",
                    "# Demo run\n\nA *synthetic* InceptionV3 training, with SGD.\n\n| lr | batch |\n|---|---|\n| 0.1 | 64 |",
                    0,
                )
                writer.add_embedding(
                    rng.normal(size=(100, 8)), metadata=[f"point {i % 10}" for i in range(100)]
                )
            speed = lr * 30
            for step in range(STEPS):
                progress = 1 - math.exp(-speed * step / STEPS)
                noise = rng.normal(0, 0.03)
                writer.add_scalar("train/loss", 2.3 * (1 - progress) + 0.1 + noise, step)
                writer.add_scalar("train/accuracy", 0.1 + 0.85 * progress + noise / 3, step)
                writer.add_scalar("eval/accuracy", 0.1 + 0.8 * progress, step)
                writer.add_scalar("learning_rate", lr * 0.99 ** (step / 10), step)
                if step % 30 == 0:
                    writer.add_model_stats(DemoModel(rng, progress, lr), step)
                    writer.add_histogram(
                        "weights/dense", rng.normal(0, 1 - 0.5 * progress, 1000), step
                    )
                    writer.add_histogram(
                        "activations/relu", np.maximum(rng.normal(progress, 1, 1000), 0), step
                    )
                if step % 100 == 0:
                    writer.add_image("inputs/sample", _pattern(step, index), step)
                    tone = (
                        np.sin(np.linspace(0, 2 * math.pi * (220 + step), 8000)).astype(np.float32)
                        * 0.5
                    )
                    writer.add_audio("outputs/tone", tone, step, sample_rate=8000)
                    labels = rng.integers(0, 2, 200)
                    predictions = np.clip(
                        labels * progress + rng.random(200) * (1 - progress), 0, 1
                    )
                    writer.add_pr_curve("eval/pr", labels, predictions, step, num_thresholds=51)
                    writer.add_text(
                        "samples/prediction", [[f"step {step}", f"{progress:.2f}"]], step
                    )
            writer.add_hparams(
                {"lr": lr, "optimizer": "sgd", "batch_size": 64},
                {"hparams/final_accuracy": 0.1 + 0.85 * progress},
                run_name="hparams",
            )
    write_profile_run(logdir)


DEMO_PARAMETERS = {
    "conv1.weight": (8, 3, 3, 3),
    "conv1.bias": (8,),
    "conv2.weight": (16, 8, 3, 3),
    "fc.weight": (10, 64),
    "fc.bias": (10,),
}


class DemoParameter:
    """A parameter as `SummaryWriter.add_model_stats` reads one: values and a gradient."""

    def __init__(self, values: np.ndarray, grad: np.ndarray) -> None:
        self.values = values
        self.grad = grad

    def __array__(self, dtype: np.dtype | None = None, copy: bool | None = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype)


class DemoModel:
    """A small convnet's parameters during training, for the model insight dashboard:
    weights grow as it learns, gradients shrink, and the first layer's gradients fade
    faster the lower the learning rate (a vanishing-gradient flag for lr 0.01)."""

    def __init__(self, rng: np.random.Generator, progress: float, lr: float) -> None:
        self.parameters = {}
        for depth, (name, shape) in enumerate(DEMO_PARAMETERS.items()):
            weights = rng.normal(0, 0.3 + 0.4 * progress, shape)
            fade = (1 - progress) * ((lr / 0.1) ** 6 if depth == 0 else 1)
            grad = rng.normal(0, 0.05 * fade / (depth + 1), shape)
            self.parameters[name] = DemoParameter(weights, grad)

    def named_parameters(self) -> list[tuple[str, DemoParameter]]:
        return list(self.parameters.items())


def _pattern(step: int, seed: int) -> np.ndarray:
    """A 3x64x64 uint8 image: rings whose size changes with the step."""
    y, x = np.mgrid[-1:1:64j, -1:1:64j]
    rings = (np.sin((x**2 + y**2) * (10 + step / 20 + seed)) + 1) / 2
    return (np.stack([rings, 1 - rings, np.abs(x)]) * 255).astype(np.uint8)


DEMO_DATA = Path(__file__).parent / "demo_data"


def demo_graph() -> GraphDef:
    """The op graph of Keras' InceptionV3 (2.2K ops), as TensorFlow traced it."""
    return GraphDef.FromString(gzip.decompress((DEMO_DATA / "inception_v3.pb.gz").read_bytes()))


def write_profile_run(logdir: str) -> None:
    """A TF1 training job's event file, with its graph and RunMetadata (compute time
    and memory per op), written by TensorFlow's FileWriter."""
    run = Path(logdir) / "tf1_profile"
    run.mkdir(parents=True, exist_ok=True)
    data = gzip.decompress((DEMO_DATA / "tf1_train.tfevents.gz").read_bytes())
    (run / "events.out.tfevents.1700000000.demo").write_bytes(data)
