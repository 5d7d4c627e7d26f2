"""Builds the small model files under ``tests/data/models/`` with the real exporters.

No weights are downloaded: every model is built from a config with random weights,
kept tiny so that the committed files stay small.

    python scripts/make_model_fixtures.py torch   # torch, transformers, onnx, onnxscript
    python scripts/make_model_fixtures.py tf      # tensorflow 2.21 (keras 3)

``torch`` writes, for a tiny Llama, a tiny BERT and a small ResNet, ``NAME.pt2``
(``torch.export.save``), ``NAME.dynamo.onnx`` and ``NAME.script.onnx``
(``torch.onnx.export`` with ``dynamo=True`` / ``False``). ``tf`` writes
``keras_cnn.keras`` and ``keras_cnn.tflite`` (converted by TensorFlow). JAX graphs are
made by the tests themselves with ``flowscope.graph.from_jax``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "models"


def tiny_llama():  # type: ignore[no-untyped-def]
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=64,
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=6,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=32,
        use_cache=False,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config).eval()
    # an explicit attention mask keeps the packed-sequence check (aten::diff, which the
    # TorchScript exporter cannot export) out of the graph
    return model, (torch.randint(0, 64, (1, 8)), torch.ones(1, 8, dtype=torch.long))


def tiny_bert():  # type: ignore[no-untyped-def]
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=64,
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=6,
        num_attention_heads=2,
        max_position_embeddings=32,
        type_vocab_size=2,
    )
    torch.manual_seed(0)

    class Encoder(torch.nn.Module):
        """BertModel called by keyword: its positional call fails under jit tracing."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel(config, add_pooling_layer=False)

        def forward(self, ids, mask):  # type: ignore[no-untyped-def]
            return self.bert(input_ids=ids, attention_mask=mask, use_cache=False).last_hidden_state

    ids = torch.randint(0, 64, (1, 8))
    return Encoder().eval(), (ids, torch.ones(1, 8, dtype=torch.long))


def small_resnet():  # type: ignore[no-untyped-def]
    """A ResNet laid out as torchvision's (conv1, bn1, layer1..4 of BasicBlocks, fc)."""
    import torch
    from torch import nn

    class BasicBlock(nn.Module):
        def __init__(self, inplanes: int, planes: int, stride: int = 1) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = None
            if stride != 1 or inplanes != planes:
                self.downsample = nn.Sequential(
                    nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes)
                )

        def forward(self, x):  # type: ignore[no-untyped-def]
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            return self.relu(self.bn2(self.conv2(out)) + identity)

    class ResNet(nn.Module):
        def __init__(self, blocks: tuple[int, ...] = (2, 2, 2, 2), width: int = 4) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(width)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            planes = width
            for i, count in enumerate(blocks, 1):
                out = width * 2 ** (i - 1)
                stride = 1 if i == 1 else 2
                layer = [BasicBlock(planes, out, stride)]
                layer += [BasicBlock(out, out) for _ in range(count - 1)]
                setattr(self, f"layer{i}", nn.Sequential(*layer))
                planes = out
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(planes, 10)

        def forward(self, x):  # type: ignore[no-untyped-def]
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    torch.manual_seed(0)
    # six blocks in layer1 so that its blocks make a series
    return ResNet((6, 2, 2, 2)).eval(), (torch.randn(1, 3, 32, 32),)


def make_torch() -> None:
    import torch

    OUT.mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings("ignore")
    for name, build in [("llama", tiny_llama), ("bert", tiny_bert), ("resnet", small_resnet)]:
        model, args = build()
        with torch.no_grad():
            program = torch.export.export(model, args)
            torch.export.save(program, OUT / f"{name}.pt2")
            torch.onnx.export(model, args, OUT / f"{name}.dynamo.onnx", dynamo=True, external_data=False)
            torch.onnx.export(model, args, OUT / f"{name}.script.onnx", dynamo=False)
        print("wrote", name)


def make_tf() -> None:
    import keras
    import tensorflow as tf

    OUT.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(0)
    inputs = keras.Input((16, 16, 3), name="image")
    x = inputs
    for i in range(6):
        block = keras.Sequential(
            [keras.layers.Conv2D(4, 3, padding="same", name="conv"), keras.layers.ReLU(name="relu")],
            name=f"block_{i}",
        )
        x = block(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    outputs = keras.layers.Dense(10, name="logits")(x)
    model = keras.Model(inputs, outputs, name="cnn")
    model.save(OUT / "keras_cnn.keras")
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    (OUT / "keras_cnn.tflite").write_bytes(converter.convert())
    print("wrote keras_cnn")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["torch", "tf"]
    for part in parts:
        {"torch": make_torch, "tf": make_tf}[part]()
