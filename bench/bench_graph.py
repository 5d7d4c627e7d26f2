"""Graph benchmark: import + transform + first view, then expands, with peak memory.

    python bench/bench_graph.py            # inception (~2K ops), 20K and 100K ops
    python bench/bench_graph.py 20k        # one size

The big graphs are generated training steps of stacked transformer layers, named like
TF1 graphs (``model/encoder/layer_7/attention/self/query/MatMul``, their gradients
under ``gradients/`` and optimizer updates under ``Adam/``), with output shapes and
control dependencies. Each size runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from flowscope.proto.graph_pb2 import GraphDef

INCEPTION = ROOT / "tests" / "data" / "graphs" / "keras_inception_v3.pb"
LAYERS = {"20k": 155, "100k": 775}
TARGETS = {"20k": 2.0, "100k": 10.0}


class Builder:
    """Appends NodeDefs with a 2-D output shape."""

    def __init__(self) -> None:
        self.graph = GraphDef()

    def op(self, name: str, op: str, *inputs: str, shape=(-1, 256)) -> str:
        node = self.graph.node.add(name=name, op=op, input=list(inputs))
        dims = node.attr["_output_shapes"].list.shape.add()
        for d in shape:
            dims.dim.add(size=d)
        return name

    def variable(self, scope: str, shape) -> str:
        var = self.op(f"{scope}/kernel", "VariableV2", shape=shape)
        init = self.op(f"{scope}/kernel/Initializer/random_uniform", "RandomUniform", shape=shape)
        self.op(f"{scope}/kernel/Assign", "Assign", var, init, shape=shape)
        return self.op(f"{scope}/kernel/read", "Identity", var, shape=shape)


def dense(b: Builder, scope: str, x: str, units: int = 256) -> str:
    w = b.variable(scope, (256, units))
    bias = b.op(f"{scope}/bias", "VariableV2", shape=(units,))
    y = b.op(f"{scope}/MatMul", "MatMul", x, w, shape=(-1, units))
    return b.op(f"{scope}/BiasAdd", "BiasAdd", y, bias, shape=(-1, units))


def transformer(layers: int) -> GraphDef:
    """A training step of ``layers`` transformer layers (about 129 ops each)."""
    b = Builder()
    x = b.op("input_ids", "Placeholder", shape=(-1, 128))
    h = b.op("model/embeddings/Gather", "GatherV2", x)
    forward: list[tuple[str, str]] = []
    for i in range(layers):
        s = f"model/encoder/layer_{i}"
        q = dense(b, f"{s}/attention/self/query", h)
        k = dense(b, f"{s}/attention/self/key", h)
        v = dense(b, f"{s}/attention/self/value", h)
        scores = b.op(f"{s}/attention/self/MatMul", "BatchMatMulV2", q, k)
        scaled = b.op(f"{s}/attention/self/Mul", "Mul", scores)
        probs = b.op(f"{s}/attention/self/Softmax", "Softmax", scaled)
        ctx = b.op(f"{s}/attention/self/MatMul_1", "BatchMatMulV2", probs, v)
        out = dense(b, f"{s}/attention/output/dense", ctx)
        res = b.op(f"{s}/attention/output/add", "AddV2", out, h)
        norm1 = b.op(f"{s}/attention/output/LayerNorm/batchnorm/add_1", "AddV2", res)
        inter = dense(b, f"{s}/intermediate/dense", norm1, 1024)
        act = b.op(f"{s}/intermediate/Gelu", "Gelu", inter, shape=(-1, 1024))
        out2 = dense(b, f"{s}/output/dense", act)
        res2 = b.op(f"{s}/output/add", "AddV2", out2, norm1)
        h = b.op(f"{s}/output/LayerNorm/batchnorm/add_1", "AddV2", res2)
        forward.append((s, h))
    loss = b.op("loss/Mean", "Mean", b.op("loss/Square", "Square", h), shape=())
    grad = b.op("gradients/Fill", "Fill", loss)
    updates = []
    for s, out in reversed(forward):
        g = f"gradients/{s}"
        for part in (
            "output/dense",
            "intermediate/dense",
            "attention/output/dense",
            "attention/self/value",
            "attention/self/key",
            "attention/self/query",
        ):
            mm = b.op(f"{g}/{part}/MatMul_grad/MatMul", "MatMul", grad, f"{s}/{part}/kernel/read")
            mm1 = b.op(f"{g}/{part}/MatMul_grad/MatMul_1", "MatMul", out, grad)
            deps = b.op(f"{g}/{part}/MatMul_grad/tuple/group_deps", "NoOp", f"^{mm}", f"^{mm1}")
            dx = b.op(
                f"{g}/{part}/MatMul_grad/tuple/control_dependency", "Identity", mm, f"^{deps}"
            )
            dw = b.op(
                f"{g}/{part}/MatMul_grad/tuple/control_dependency_1", "Identity", mm1, f"^{deps}"
            )
            bias = b.op(f"{g}/{part}/BiasAdd_grad/BiasAddGrad", "BiasAddGrad", grad)
            for name, var, value in (
                ("kernel", f"{s}/{part}/kernel", dw),
                ("bias", f"{s}/{part}/bias", bias),
            ):
                m = b.op(f"{s}/{part}/{name}/Adam", "VariableV2")
                v = b.op(f"{s}/{part}/{name}/Adam_1", "VariableV2")
                updates.append(
                    b.op(
                        f"Adam/update_{s}/{part}/{name}/ApplyAdam",
                        "ApplyAdam",
                        var,
                        m,
                        v,
                        "Adam/beta1_power",
                        "Adam/learning_rate",
                        value,
                    )
                )
            grad = b.op(f"{g}/{part}/add_grad", "AddN", dx, grad)
    b.op("Adam/beta1_power", "VariableV2", shape=())
    b.op("Adam/learning_rate", "Const", shape=())
    b.op("Adam", "NoOp", *[f"^{u}" for u in updates])
    return b.graph


def measure(size: str) -> dict:
    """Runs one size in this process."""
    from flowscope.graph import load
    from flowscope.graph.formats.graphdef import from_graph_def
    from flowscope.graph.model import paused_gc

    graph_def = (
        GraphDef.FromString(INCEPTION.read_bytes()) if size == "2k" else transformer(LAYERS[size])
    )
    start = time.perf_counter()
    with paused_gc():  # as `load` does for a file
        flat = from_graph_def(graph_def)
    graph = load(flat)
    imported = time.perf_counter()
    graph.scene()
    first_view = time.perf_counter()
    expands = {}
    targets = (
        ["inception_v3_1", "inception_v3_1/mixed5_1"]
        if size == "2k"
        else [
            "model",
            "model/encoder",
            f"model/encoder/layer_[0-{LAYERS[size] - 1}]",
            "model/encoder/layer_3",
            "model/encoder/layer_3/attention",
        ]
    )
    for name in targets:
        t = time.perf_counter()
        graph.expand(name)
        graph.scene()
        expands[name] = round((time.perf_counter() - t) * 1000, 1)
    t = time.perf_counter()
    graph.collapse(targets[-1])
    graph.scene()
    collapse_ms = round((time.perf_counter() - t) * 1000, 1)
    return {
        "size": size,
        "ops": len(flat.nodes),
        "edges": len(flat.edges),
        "import_transform_s": round(imported - start, 3),
        "first_view_layout_s": round(first_view - imported, 3),
        "total_first_view_s": round(first_view - start, 3),
        "expand_ms": expands,
        "collapse_ms": collapse_ms,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(argv[1])))
        return
    for size in argv or ["2k", "20k", "100k"]:
        out = subprocess.run(
            [sys.executable, __file__, "--one", size], check=True, capture_output=True, text=True
        ).stdout
        result = json.loads(out)
        target = TARGETS.get(size)
        verdict = (
            ""
            if target is None
            else (
                f" (target < {target} s: {'met' if result['total_first_view_s'] < target else 'MISSED'})"
            )
        )
        print(
            f"{size}: {result['ops']} ops, {result['edges']} edges; import+transform "
            f"{result['import_transform_s']} s, first view {result['first_view_layout_s']} s, "
            f"total {result['total_first_view_s']} s{verdict}; peak RSS {result['peak_rss_mb']} MB"
        )
        for name, ms in result["expand_ms"].items():
            print(f"    expand {name}: {ms} ms")
        print(f"    collapse: {result['collapse_ms']} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
