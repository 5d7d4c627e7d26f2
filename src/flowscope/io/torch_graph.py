"""A torch module as a GraphDef that TensorBoard shows readably, through ``torch.export``.

Ops are named by module path (``blocks.3/attn/linear``), one scope per called module
as its ``nn_module_stack`` lists them, and carry ``_output_shapes``. Parameters,
buffers and constants are ``Const`` ops in their module's scope, so that TensorBoard
and flowscope draw them as annotations; user inputs are ``Placeholder`` ops.
torch's own ``add_graph`` names ops by TorchScript debug names instead.
torch is imported only when a module is converted.
"""

from __future__ import annotations

from typing import Any

from flowscope.proto.graph_pb2 import GraphDef, NodeDef

INPUT_OPS = {"PARAMETER": "Const", "BUFFER": "Const", "CONSTANT_TENSOR": "Const"}


def _scope(stack: dict[str, tuple[str, Any]] | None) -> list[str]:
    """Scope segments from a module stack: each path relative to the one above it."""
    segments: list[str] = []
    previous = ""
    for path, _type in (stack or {}).values():
        if not path or path == previous:
            continue
        segments.append(path[len(previous) + 1 :] if path.startswith(previous + ".") else path)
        previous = path
    return segments


def _param_scope(target: str, called: dict[str, list[str]]) -> str:
    """``blocks.3.fc.weight`` -> ``blocks.3/fc/weight`` when ``blocks.3.fc`` was called."""
    module, _, leaf = target.rpartition(".")
    segments = called.get(module)
    return "/".join([*segments, leaf]) if segments is not None else target


def _shapes(value: Any) -> list[list[int]]:
    values = value if isinstance(value, (list, tuple)) else [value]
    shapes = []
    for item in values:
        shape = getattr(item, "shape", None)
        if shape is not None:
            shapes.append([d if isinstance(d, int) else -1 for d in shape])
    return shapes


def _set_shapes(node: NodeDef, shapes: list[list[int]]) -> None:
    if shapes:
        listed = node.attr["_output_shapes"].list
        for dims in shapes:
            shape = listed.shape.add()
            for d in dims:
                shape.dim.add(size=d)


def module_graph_def(module: Any, example_args: tuple, kwargs: dict | None = None) -> GraphDef:
    import torch

    program = torch.export.export(module, tuple(example_args), kwargs=kwargs)
    fx_nodes = list(program.graph.nodes)
    called: dict[str, list[str]] = {}
    for fx in fx_nodes:
        stack = fx.meta.get("nn_module_stack") or {}
        for depth, (path, _type) in enumerate(stack.values()):
            called.setdefault(path, _scope(dict(list(stack.items())[: depth + 1])))
    specs = {s.arg.name: s for s in program.graph_signature.input_specs if hasattr(s.arg, "name")}
    graph = GraphDef()
    names: dict[str, str] = {}
    taken: set[str] = set()
    for fx in fx_nodes:
        if fx.op == "placeholder":
            spec = specs.get(fx.name)
            target = getattr(spec, "target", None)
            name = _param_scope(target, called) if target else fx.name
            op = INPUT_OPS.get(spec.kind.name if spec else "", "Placeholder")
        elif fx.op == "output":
            name, op = "output", "Identity"
        else:
            name = "/".join([*_scope(fx.meta.get("nn_module_stack")), fx.name])
            op = str(fx.target)
        base, k = name, 0
        while name in taken:
            k += 1
            name = f"{base}_{k}"
        taken.add(name)
        names[fx.name] = name
        node = graph.node.add(name=name, op=op)
        inputs: list[Any] = []
        torch.fx.node.map_arg((fx.args, fx.kwargs), inputs.append)
        node.input.extend(names[i.name] for i in inputs if i.name in names)
        _set_shapes(node, _shapes(fx.meta.get("val")))
    return graph
