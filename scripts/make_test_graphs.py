"""Generates the real model graphs under ``tests/data/graphs/``.

Two parts, each run in the environment that has its framework:

    python scripts/make_test_graphs.py tf      # needs tensorflow-cpu==2.21.0 (keras 3)
    python scripts/make_test_graphs.py torch   # needs torch and tensorboard

``tf`` writes ``keras_resnet50.pb``, ``keras_inception_v3.pb`` (traced with
``weights=None``), ``keras_mlp/`` (a TensorBoard-callback logdir with the Keras
conceptual graph), ``tf1_train/`` (a TF1 graph with name scopes, ref variables,
control dependencies, moving averages, summaries and tagged RunMetadata),
``tf1_train.pbtxt`` and ``tf2_trace/`` (``trace_export`` of nested tf.functions).
``torch`` writes ``torch_resnet/`` and ``torch_bert/`` (``SummaryWriter.add_graph``).
The outputs are committed so that the tests need neither framework.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "graphs"


def _fresh_dir(name: str) -> Path:
    path = OUT / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def make_keras() -> None:
    import keras
    import tensorflow as tf

    for name, build, size in [
        ("keras_resnet50", keras.applications.ResNet50, 224),
        ("keras_inception_v3", keras.applications.InceptionV3, 299),
    ]:
        model = build(weights=None)
        fn = tf.function(lambda x, model=model: model(x, training=False))
        graph = fn.get_concrete_function(tf.TensorSpec([None, size, size, 3])).graph
        (OUT / f"{name}.pb").write_bytes(graph.as_graph_def().SerializeToString())

    logdir = _fresh_dir("keras_mlp")
    inputs = keras.Input((16,), name="features")
    hidden = inputs
    for i in range(1, 4):
        hidden = keras.layers.Dense(32, activation="relu", name=f"dense_{i}")(hidden)
    outputs = keras.layers.Dense(3, activation="softmax", name="head")(hidden)
    model = keras.Model(inputs, outputs, name="mlp")
    model.compile("sgd", "sparse_categorical_crossentropy")
    callback = keras.callbacks.TensorBoard(str(logdir), write_graph=True)
    model.fit(tf.ones([8, 16]), tf.zeros([8]), epochs=1, verbose=0, callbacks=[callback])


def make_tf1() -> None:
    import tensorflow as tf
    from tensorflow.core.framework import attr_value_pb2

    v1 = tf.compat.v1
    v1.disable_resource_variables()  # ref variables: Assign ops get reference edges
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(1)
        with tf.device("/cpu:0"):
            x = v1.placeholder(tf.float32, [None, 784], name="x")
            labels = v1.placeholder(tf.int64, [None], name="labels")
        hidden = x
        width = 784
        for k in range(1, 7):  # six identical blocks, each with a nested scope
            with v1.variable_scope(f"layer_{k}"):
                with v1.variable_scope("conv"):
                    w = v1.get_variable("weights", [width, 64])
                    b = v1.get_variable("bias", [64], initializer=v1.zeros_initializer())
                    hidden = tf.matmul(hidden, w) + b
                hidden = tf.nn.relu(hidden, name="relu")
            width = 64
        with v1.variable_scope("logits"):
            w = v1.get_variable("weights", [64, 10])
            logits = tf.matmul(hidden, w)
        with v1.name_scope("loss"):
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            )
            v1.summary.scalar("loss", loss)
            v1.summary.histogram("logits", logits)
        step = v1.train.get_or_create_global_step()
        train = v1.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
        init_model = v1.variables_initializer(v1.global_variables())
        ema = v1.train.ExponentialMovingAverage(0.99)
        with tf.control_dependencies([train]):
            train_op = ema.apply(v1.trainable_variables())
        with tf.control_dependencies([train_op]):
            done = tf.no_op(name="train_done")
        summaries = v1.summary.merge_all()
        init = v1.global_variables_initializer()
        for op in graph.get_operations():  # a fake XLA clustering of the first block
            if op.name.startswith("layer_1/conv/") and op.type in ("MatMul", "AddV2", "Add"):
                op._set_attr("_XlaCluster", attr_value_pb2.AttrValue(s=b"cluster_0"))

    logdir = _fresh_dir("tf1_train")
    with graph.as_default(), v1.Session(graph=graph) as session:
        writer = v1.summary.FileWriter(str(logdir), graph)
        session.run(init_model)  # the averages start from the initialized weights
        session.run(init)
        feed = {x: [[0.01] * 784] * 4, labels: [1, 2, 3, 4]}
        options = v1.RunOptions(trace_level=v1.RunOptions.FULL_TRACE)
        metadata = v1.RunMetadata()
        result = session.run([summaries, done], feed, options=options, run_metadata=metadata)
        writer.add_run_metadata(metadata, "step_1", global_step=1)
        writer.add_summary(result[0], 1)
        writer.close()
    v1.train.write_graph(graph, str(OUT), "tf1_train.pbtxt", as_text=True)


def make_tf2_trace() -> None:
    import tensorflow as tf

    @tf.function
    def dense(x, w):
        return tf.nn.relu(tf.matmul(x, w))

    @tf.function
    def model(x):
        w = tf.ones([3, 3])
        with tf.name_scope("block"):
            y = dense(dense(x, w), w)
        return tf.reduce_sum(y, name="total")

    logdir = _fresh_dir("tf2_trace")
    writer = tf.summary.create_file_writer(str(logdir))
    tf.summary.trace_on(graph=True)
    model(tf.ones([2, 3]))
    with writer.as_default():
        tf.summary.trace_export("model_trace", step=0)
    writer.close()


def make_torch() -> None:
    import torch
    from torch import nn
    from torch.utils.tensorboard import SummaryWriter

    torch.manual_seed(0)

    class Block(nn.Module):
        def __init__(self, channels: int) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
            self.bn = nn.BatchNorm2d(channels)
            self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

        def forward(self, x):
            return torch.relu(x + self.conv2(torch.relu(self.bn(self.conv1(x)))))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3)
            self.blocks = nn.Sequential(*[Block(8) for _ in range(3)])
            self.fc = nn.Linear(8, 10)

        def forward(self, x):
            return self.fc(self.blocks(self.stem(x)).mean((2, 3)))

    class BertSelfAttention(nn.Module):
        def __init__(self, hidden: int, heads: int) -> None:
            super().__init__()
            self.heads = heads
            self.query = nn.Linear(hidden, hidden)
            self.key = nn.Linear(hidden, hidden)
            self.value = nn.Linear(hidden, hidden)

        def forward(self, x):
            b, t, h = x.shape
            split = lambda y: y.view(b, t, self.heads, h // self.heads).transpose(1, 2)
            q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
            scores = torch.softmax(q @ k.transpose(-1, -2) / (h // self.heads) ** 0.5, -1)
            return (scores @ v).transpose(1, 2).reshape(b, t, h)

    class BertLayer(nn.Module):
        def __init__(self, hidden: int) -> None:
            super().__init__()
            self.attention = BertSelfAttention(hidden, 4)
            self.norm1 = nn.LayerNorm(hidden)
            self.intermediate = nn.Linear(hidden, 4 * hidden)
            self.output = nn.Linear(4 * hidden, hidden)
            self.norm2 = nn.LayerNorm(hidden)

        def forward(self, x):
            x = self.norm1(x + self.attention(x))
            return self.norm2(x + self.output(nn.functional.gelu(self.intermediate(x))))

    class BertModel(nn.Module):
        def __init__(self, hidden: int = 32, layers: int = 12) -> None:
            super().__init__()
            self.embeddings = nn.Embedding(100, hidden)
            self.layer = nn.ModuleList([BertLayer(hidden) for _ in range(layers)])
            self.pooler = nn.Linear(hidden, hidden)

        def forward(self, ids):
            x = self.embeddings(ids)
            for layer in self.layer:
                x = layer(x)
            return torch.tanh(self.pooler(x[:, 0]))

    for name, model, example in [
        ("torch_resnet", Net(), torch.zeros(1, 3, 16, 16)),
        ("torch_bert", BertModel(), torch.zeros(1, 8, dtype=torch.long)),
    ]:
        writer = SummaryWriter(str(_fresh_dir(name)))
        writer.add_graph(model.eval(), example)
        writer.close()


def main(argv: list[str]) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    OUT.mkdir(parents=True, exist_ok=True)
    parts = argv or ["tf", "torch"]
    if "tf" in parts:
        make_keras()
        make_tf2_trace()
        make_tf1()  # last: it turns resource variables off
    if "torch" in parts:
        make_torch()


if __name__ == "__main__":
    main(sys.argv[1:])
