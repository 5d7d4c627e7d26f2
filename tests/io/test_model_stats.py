"""SummaryWriter.add_model_stats: norms and histograms of every parameter and gradient
of a torch module, its first conv kernels as an image, and the layer list; checked with
flowscope's reader and with tensorboard's own EventAccumulator."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

import flowscope
from flowscope.io.summaries import kernel_grid, model_stats
from flowscope.io.writer import SummaryWriter

try:
    import torch
except ImportError:  # the kernel grid's test needs numpy only
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")


def small_cnn():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 6, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(6 * 4 * 4, 2)
    )


def train_step(model) -> None:
    model.zero_grad()
    model(torch.randn(2, 3, 6, 6)).pow(2).mean().backward()


@needs_torch
def test_tags_and_values(tmp_path):
    model = small_cnn()
    with SummaryWriter(tmp_path) as writer:
        writer.add_model_stats(model, 0)  # before backward: no gradients yet
        train_step(model)
        writer.add_model_stats(model, 1)
    logdir = flowscope.Logdir(str(tmp_path))
    names = [name for name, _ in model.named_parameters()]
    scalars = logdir.scalars()
    for name, parameter in model.named_parameters():
        weight = scalars[scalars.tag == f"model_stats/weight_norm/{name}"]
        assert weight.step.tolist() == [0, 1]
        np.testing.assert_allclose(
            weight.value.iloc[-1], parameter.detach().norm().item(), rtol=1e-5
        )
        grad = scalars[scalars.tag == f"model_stats/grad_norm/{name}"]
        assert grad.step.tolist() == [1]
        np.testing.assert_allclose(grad.value.iloc[0], parameter.grad.norm().item(), rtol=1e-5)
    histograms = logdir.histograms()
    assert set(histograms.tag) == {
        f"model_stats/{kind}/{n}" for kind in ("weights", "grads") for n in names
    }
    first = histograms[
        (histograms.tag == "model_stats/weights/0.weight") & (histograms.step == 1)
    ].iloc[0]
    assert first.num == model[0].weight.numel()
    layers = logdir.tensors(tag="model_stats/layers", plugin="model_stats")
    assert json.loads(layers.value.iloc[-1].reshape(-1)[0]) == names
    images = logdir.images(tag="model_stats/kernels/0.weight")
    pixels = np.asarray(Image.open(io.BytesIO(images.image.iloc[-1])))
    assert pixels.shape[2] == 3  # three input channels: RGB kernels
    assert pixels.shape[:2] == (2 * (3 * 8 + 2), 3 * (3 * 8 + 2))  # 6 kernels, 3 to a row


@needs_torch
def test_tensorboard_reads_model_stats(tmp_path):
    from tensorboard.backend.event_processing import event_accumulator as ea

    model = small_cnn()
    train_step(model)
    with SummaryWriter(tmp_path) as writer:
        writer.add_model_stats(model, 5)
    acc = ea.EventAccumulator(str(tmp_path), size_guidance={ea.TENSORS: 0}).Reload()
    tags = acc.Tags()
    assert "model_stats/grad_norm/3.bias" in tags["scalars"]
    assert "model_stats/grads/0.weight" in tags["histograms"]
    assert tags["images"] == ["model_stats/kernels/0.weight"]
    assert acc.Scalars("model_stats/weight_norm/3.weight")[0].step == 5


@needs_torch
def test_non_finite_gradients_are_kept():
    model = small_cnn()
    train_step(model)
    model[3].bias.grad[0] = float("inf")
    values = {value.tag: value for value in model_stats(model)}
    assert values["model_stats/grad_norm/3.bias"].simple_value == float("inf")


def test_kernel_grid_gray_and_scaling():
    weights = np.zeros((5, 2, 2, 2))
    weights[0, 0, 0, 0] = 1.0
    weights[1, 0, 1, 1] = -1.0
    grid = kernel_grid(weights)
    assert grid.shape == (2 * (2 * 8 + 2), 3 * (2 * 8 + 2), 1)  # first input channel only, gray
    assert grid[1, 1, 0] == 255  # the largest weight is white
    assert grid[1 + 8, 1 + 8, 0] == 128  # zero is mid-gray
    assert grid[1 + 8, (2 * 8 + 2) + 1 + 8, 0] == 0  # the most negative weight is black
