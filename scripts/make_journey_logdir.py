"""Writes the logdir of the browser journey tests, ``tests/data/journey/``, with the
real writers, one run folder per writer:

    python scripts/make_journey_logdir.py          # every part; needs tensorflow==2.21.0,
                                                   # torch and tensorboardX
    python scripts/make_journey_logdir.py tf2      # or only one part: tf2, keras, tf1,
                                                   # torch, tbx

``tf2/hparam_tuning`` is TensorBoard's hparams tutorial in small: ``hp.hparams_config``
in the root and one ``hp.hparams`` run per trial (``trial-0`` ...) with ``tf.summary``
scalars. ``keras`` is the TensorBoard callback (``histogram_freq=1``, ``write_graph``)
on a tiny model, ``tf1`` a ``tf.compat.v1`` ``FileWriter`` with a graph, summaries and
RunMetadata, ``torch`` is ``torch.utils.tensorboard`` (scalars, ``add_graph``,
``add_hparams`` and ``add_embedding``) and ``tbx`` tensorboardX (scalars, images, text and
a PR curve). The files are committed so that the tests need none of these frameworks.
"""

from __future__ import annotations

import math
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "journey"


def _fresh_dir(name: str) -> Path:
    path = OUT / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def make_tf2() -> None:
    """The hparams tutorial: three trials of two hparams, accuracy and loss per epoch."""
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    root = _fresh_dir("tf2/hparam_tuning")
    units = hp.HParam("num_units", hp.Discrete([16, 32]))
    dropout = hp.HParam("dropout", hp.RealInterval(0.1, 0.2))
    optimizer = hp.HParam("optimizer", hp.Discrete(["adam", "sgd"]))
    metrics = [
        hp.Metric("accuracy", display_name="Accuracy"),
        hp.Metric("loss", display_name="Loss"),
    ]
    with tf.summary.create_file_writer(str(root)).as_default():
        hp.hparams_config(hparams=[units, dropout, optimizer], metrics=metrics)
    trials = [(16, 0.1, "adam"), (32, 0.2, "sgd"), (32, 0.1, "adam")]
    for index, (n, rate, opt) in enumerate(trials):
        with tf.summary.create_file_writer(str(root / f"trial-{index}")).as_default():
            hp.hparams({units: n, dropout: rate, optimizer: opt})
            for epoch in range(5):
                accuracy = 0.5 + 0.08 * epoch * (1 + index) / 3 - rate / 4
                tf.summary.scalar("accuracy", accuracy, step=epoch)
                tf.summary.scalar("loss", 1.2 * math.exp(-0.3 * epoch * (1 + index)), step=epoch)


def make_keras() -> None:
    """A two-layer classifier fitted for three epochs with validation data."""
    import keras
    import numpy as np

    logdir = _fresh_dir("keras")
    keras.utils.set_random_seed(0)
    inputs = keras.Input((8,), name="features")
    hidden = keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax", name="head")(hidden)
    model = keras.Model(inputs, outputs, name="classifier")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 1).astype("int64")
    callback = keras.callbacks.TensorBoard(str(logdir), histogram_freq=1, write_graph=True)
    model.fit(x, y, validation_split=0.25, epochs=3, batch_size=16, verbose=0, callbacks=[callback])


def make_tf1() -> None:
    """A TF1 regression trained for a few steps; step 3 is traced into RunMetadata."""
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(0)
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        target = v1.placeholder(tf.float32, [None, 1], name="target")
        with v1.variable_scope("model"):
            with v1.variable_scope("hidden"):
                weights = v1.get_variable("weights", [4, 8])
                hidden = tf.nn.relu(tf.matmul(x, weights))
            with v1.variable_scope("out"):
                weights = v1.get_variable("weights", [8, 1])
                bias = v1.get_variable("bias", [1], initializer=v1.zeros_initializer())
                prediction = tf.matmul(hidden, weights) + bias
        with v1.name_scope("loss"):
            loss = tf.reduce_mean(tf.square(prediction - target))
            v1.summary.scalar("mse", loss)
            v1.summary.histogram("prediction", prediction)
        step = v1.train.get_or_create_global_step()
        train = v1.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=step)
        summaries = v1.summary.merge_all()
        init = v1.global_variables_initializer()
    logdir = _fresh_dir("tf1")
    feed = {x: [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]], target: [[1.0], [0.0]]}
    with v1.Session(graph=graph) as session:
        writer = v1.summary.FileWriter(str(logdir), graph)
        session.run(init)
        for i in range(1, 6):
            if i == 3:
                options = v1.RunOptions(trace_level=v1.RunOptions.FULL_TRACE)
                metadata = v1.RunMetadata()
                result = session.run([summaries, train], feed, options, metadata)
                writer.add_run_metadata(metadata, f"step_{i}", global_step=i)
            else:
                result = session.run([summaries, train], feed)
            writer.add_summary(result[0], i)
        writer.close()


def make_torch() -> None:
    """A small CNN: loss curves, its traced graph, an hparams run and an embedding."""
    import torch
    from torch import nn
    from torch.utils.tensorboard import SummaryWriter

    torch.manual_seed(0)
    logdir = _fresh_dir("torch")
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 10))
    with SummaryWriter(str(logdir)) as writer:
        for step in range(20):
            writer.add_scalar("train/loss", 2.0 * math.exp(-step / 8) + 0.05 * math.sin(step), step)
            writer.add_scalar("train/lr", 0.1 * 0.9**step, step)
        writer.add_graph(model, torch.zeros(1, 1, 8, 8))
        writer.add_hparams({"lr": 0.1, "bs": 32}, {"hparam/accuracy": 0.81}, run_name="hparams")
        features = torch.randn(30, 5)
        labels = [f"digit {i % 3}" for i in range(30)]
        writer.add_embedding(features, metadata=labels, tag="features")


def make_tbx() -> None:
    """tensorboardX: a scalar, an image every other step, text and a PR curve."""
    import numpy as np
    from tensorboardX import SummaryWriter

    logdir = _fresh_dir("tbx")
    rng = np.random.default_rng(0)
    with SummaryWriter(str(logdir)) as writer:
        for step in range(10):
            writer.add_scalar("eval/score", 0.3 + 0.05 * step, step)
            if step % 3 == 0:
                ramp = np.linspace(0, 1, 32 * 32).reshape(32, 32)
                image = np.stack([ramp, ramp.T * step / 9, 1 - ramp]).astype("float32")
                writer.add_image("samples/gradient", image, step)
        writer.add_text(
            "notes", "A **tensorboardX** run: *scalars*, images, text and a PR curve.", 0
        )
        labels = rng.integers(0, 2, 100)
        scores = np.clip(labels * 0.4 + rng.random(100) * 0.6, 0, 1)
        writer.add_pr_curve("pr/positive", labels, scores, 9)


PARTS: dict[str, Callable[[], None]] = {
    "tf2": make_tf2,
    "keras": make_keras,
    "tf1": make_tf1,
    "torch": make_torch,
    "tbx": make_tbx,
}

if __name__ == "__main__":
    for part in sys.argv[1:] or list(PARTS):
        PARTS[part]()
