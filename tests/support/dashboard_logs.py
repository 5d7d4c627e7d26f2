"""Logdirs of the browser tests: tensorboard's own EventFileWriter and
torch.utils.tensorboard with every kind of summary, and runs holding real graphs."""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

from tests.support import server_logs
from tests.support.graphdefs import GRAPHS


def write_torch_logdir(logdir: str) -> None:
    """Two runs written by torch.utils.tensorboard with every kind of summary, an
    hparams session each, an embedding, and flowscope's add_model_stats on a small CNN."""
    import torch
    from torch.utils.tensorboard import SummaryWriter

    from flowscope.io.writer import SummaryWriter as FlowscopeWriter

    torch.manual_seed(0)
    for index, lr in enumerate((0.05, 0.2)):
        run = os.path.join(logdir, f"torch_lr{lr}")
        writer = SummaryWriter(run)
        for step in range(200):
            wall = 1_700_000_000.0 + index * 1000 + step * 2
            loss = math.exp(-lr * step / 20) + 0.05 * math.sin(step)
            writer.add_scalar("train/loss", loss, step, walltime=wall)
            writer.add_scalar("train/lr", lr * 0.99**step, step, walltime=wall)
            if step % 40 == 0:
                writer.add_histogram(
                    "layer/weight", torch.randn(500) * (1 + step / 100), step, walltime=wall
                )
                writer.add_image("inputs", torch.rand(3, 16, 16), step, walltime=wall)
                tone = torch.sin(torch.linspace(0, 200 + step, 4000)) * 0.4
                writer.add_audio("tone", tone, step, sample_rate=8000, walltime=wall)
                writer.add_text("notes", f"**step {step}**: lr `{lr}`", step, walltime=wall)
                labels = torch.randint(0, 2, (100,))
                writer.add_pr_curve(
                    "pr", labels, torch.rand(100) * 0.5 + labels * 0.4, step, walltime=wall
                )
        writer.add_hparams(
            {"lr": lr, "layers": 2 + index}, {"hparam/accuracy": 0.7 + index * 0.1}, run_name="hp"
        )
        if index == 0:
            centres = torch.eye(3, 5) * 4
            features = torch.randn(60, 5) * 0.5 + centres[torch.arange(60) % 3]
            thumbnails = torch.zeros(60, 3, 8, 8)
            thumbnails[torch.arange(60), torch.arange(60) % 3] = 1.0  # red, green, blue by class
            writer.add_embedding(
                features,
                metadata=[f"class {i % 3}" for i in range(60)],
                label_img=thumbnails,
                tag="features",
            )
        writer.close()
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8 * 6 * 6, 4)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with FlowscopeWriter(os.path.join(logdir, "model_stats")) as writer:
        for step in range(0, 50, 5):
            optimizer.zero_grad()
            loss = model(torch.randn(4, 3, 8, 8)).pow(2).mean()
            loss.backward()
            optimizer.step()
            writer.add_model_stats(model, step)


def write_tensorboard_logdir(logdir: str) -> None:
    """Every kind of summary through tensorboard's own EventFileWriter and protos."""
    server_logs.write_tensorboard_run(logdir)
    server_logs.write_hparams_runs(logdir, experiment=True)


def write_graphs_logdir(logdir: Path) -> None:
    """Runs holding real graphs: InceptionV3 (a Keras GraphDef written with flowscope's
    SummaryWriter), the TF1 training graph with RunMetadata, the torch-traced BERT-like model."""
    from flowscope.io.writer import SummaryWriter

    with SummaryWriter(str(logdir / "inception")) as writer:
        writer.add_graph((GRAPHS / "keras_inception_v3.pb").read_bytes())
    for name in ("tf1_train", "torch_bert"):
        shutil.copytree(GRAPHS / name, logdir / name)
