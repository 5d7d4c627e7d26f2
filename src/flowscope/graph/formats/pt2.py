"""torch.export programs (``.pt2`` archives) as flat graphs, read without torch.

A ``.pt2`` file is a zip archive; its program is serialized as JSON
(``<name>/models/<model>.json``, or ``serialized_exported_program.json`` in older
archives). Each call node's ``nn_module_stack`` (``key,path,class`` entries joined by
``;``) gives the hierarchy: one scope per module path, labelled with the module's class.
Placeholders are parameters, buffers, constants or user inputs by the graph signature;
parameters, buffers and constants are drawn as annotations on the ops that read them.
Higher-order ops (``cond``, ``while_loop``, ...) hold their subgraphs as groups.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from flowscope.graph.flat import (
    CONSTANT,
    INPUT,
    OUTPUT,
    PARAMETER,
    DType,
    FlatGraph,
    GraphBuilder,
    Input,
    OpNode,
    Tensor,
    module_scope,
    new_graph,
    scoped_name,
)
from flowscope.graph.shared import hoist_shared

SCHEMA_MAJOR = 8
"""The newest major version of torch's export schema this reader knows."""
SCALAR_TYPES = {
    1: "uint8", 2: "int8", 3: "int16", 4: "int32", 5: "int64", 6: "float16", 7: "float32",
    8: "float64", 9: "complex32", 10: "complex64", 11: "complex128", 12: "bool",
    13: "bfloat16", 28: "uint16", 29: "float8_e4m3fn", 30: "float8_e5m2",
    31: "float8_e4m3fnuz", 32: "float8_e5m2fnuz", 33: "float8_e8m0fnu", 34: "uint32",
    35: "uint64",
}  # fmt: skip
INPUT_ROLES = {
    "parameter": PARAMETER,
    "buffer": PARAMETER,
    "tensor_constant": CONSTANT,
    "constant_input": CONSTANT,
    "custom_obj": CONSTANT,
    "token": CONSTANT,
    "user_input": INPUT,
}


def _dtype(code: Any) -> DType:
    return DType(SCALAR_TYPES.get(code, "") if isinstance(code, int) else "")


def _tensor(meta: dict[str, Any] | None) -> Tensor:
    if not meta:
        return Tensor()
    sizes = meta.get("sizes", [])
    shape = tuple(s.get("as_int", -1) for s in sizes)
    return Tensor(shape, _dtype(meta.get("dtype")))


def _tensor_names(arg: dict[str, Any]) -> list[str] | None:
    """The tensors an argument passes, or None for a plain value."""
    if "as_tensor" in arg:
        return [arg["as_tensor"]["name"]]
    if "as_tensors" in arg:
        return [t["name"] for t in arg["as_tensors"]]
    if "as_optional_tensors" in arg:
        return [t["as_tensor"]["name"] for t in arg["as_optional_tensors"] if "as_tensor" in t]
    if "as_optional_tensor" in arg:
        inner = arg["as_optional_tensor"]
        return [inner["as_tensor"]["name"]] if "as_tensor" in inner else []
    return None


def _plain(arg: dict[str, Any]) -> Any:
    """A non-tensor argument as a plain value."""
    ((kind, value),) = arg.items() if len(arg) == 1 else (next(iter(arg.items())),)
    if kind == "as_scalar_type":
        return _dtype(value)
    if kind == "as_device":
        return f"{value.get('type')}" + (f":{value['index']}" if value.get("index") else "")
    if kind in ("as_sym_int", "as_sym_bool", "as_sym_float"):
        return value.get("as_name", value) if isinstance(value, dict) else value
    if kind == "as_none":
        return None
    if kind == "as_graph":
        return f"graph {value.get('name', '')}"
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    if isinstance(value, list) and all(isinstance(v, (int, float, str, bool)) for v in value):
        return value
    return json.dumps(value)[:200]


def _module_stack(text: str | None) -> list[tuple[str, str]]:
    """(path, class) pairs from ``key,path,class;...``."""
    pairs = []
    for entry in (text or "").split(";"):
        _key, _, rest = entry.partition(",")
        path, _, type_name = rest.rpartition(",")
        pairs.append((path, type_name))
    return pairs


class _Builder(GraphBuilder):
    def add_graph(
        self, graph: dict[str, Any], prefix: str, tensors: dict[str, tuple[str, int]]
    ) -> dict[str, tuple[str, int]]:
        """Adds the call nodes of ``graph`` under ``prefix``; returns the tensors by name."""
        values = graph.get("tensor_values", {})
        tensors = dict(tensors)
        for node in graph.get("nodes", []):
            meta = node.get("metadata", {})
            stack = _module_stack(meta.get("nn_module_stack"))
            scope = module_scope([p for p, _ in stack], [t for _, t in stack])
            leaf = node.get("name") or node["target"].rpartition(".")[0].rpartition(".")[2]
            if prefix:
                scope = [(p, "") for p in prefix.split("/")] + scope
            name = self.unique(scoped_name(scope, leaf, self.scope_types))
            inputs, attrs = [], {}
            for arg in node.get("inputs", []):
                names = _tensor_names(arg["arg"])
                if names is None:
                    if "as_graph" in arg["arg"]:
                        sub = arg["arg"]["as_graph"]
                        inner = self.add_graph(sub["graph"], f"{name}/{arg['name']}", tensors)
                        inputs += _graph_outputs(sub["graph"], inner)
                    attrs[arg["name"]] = _plain(arg["arg"])
                else:
                    inputs += [Input(*tensors[t]) for t in names if t in tensors]
            outputs: list[Tensor] = []
            for out in node.get("outputs", []):
                for t in _tensor_names(out) or []:
                    tensors[t] = (name, len(outputs))
                    outputs.append(_tensor(values.get(t)))
            self.nodes.append(
                OpNode(
                    name,
                    node["target"].removeprefix("torch.ops."),
                    inputs,
                    attr=attrs,
                    outputs=outputs,
                    original_name=node.get("name", ""),
                    source=meta.get("stack_trace", "").rpartition("\n  File ")[2].strip(),
                )
            )
        return tensors


def _graph_outputs(graph: dict[str, Any], tensors: dict[str, tuple[str, int]]) -> list[Input]:
    found = []
    for out in graph.get("outputs", []):
        found += [Input(*tensors[t]) for t in _tensor_names(out) or [] if t in tensors]
    return found


def from_program_json(program: dict[str, Any], where: str) -> FlatGraph:
    """The flat graph of a serialized ExportedProgram."""
    version = program.get("schema_version", {})
    major = version.get("major") if isinstance(version, dict) else None
    if not isinstance(major, int) or major > SCHEMA_MAJOR:
        raise ValueError(
            f"{where}: torch.export schema version {major} is not supported "
            f"(this flowscope reads versions up to {SCHEMA_MAJOR})"
        )
    module = program.get("graph_module", {})
    graph = module.get("graph", {})
    values = graph.get("tensor_values", {})
    specs = module.get("signature", {}).get("input_specs", [])
    builder = _Builder()
    tensors: dict[str, tuple[str, int]] = {}
    for spec in specs:
        ((kind, body),) = spec.items()
        arg = body.get("arg", {})
        placeholder = arg.get("name") or next(iter(_tensor_names(arg) or []), None)
        if not placeholder:
            continue
        target = (
            body.get("parameter_name")
            or body.get("buffer_name")
            or body.get("tensor_constant_name")
        )
        name = builder.unique(target or placeholder)
        role = INPUT_ROLES.get(kind, INPUT)
        op = {PARAMETER: kind, CONSTANT: "constant", INPUT: "input"}[role]
        builder.nodes.append(
            OpNode(
                name,
                op,
                outputs=[_tensor(values.get(placeholder))],
                role=role,
                original_name=placeholder,
            )
        )
        tensors[placeholder] = (name, 0)
    tensors = builder.add_graph(graph, "", tensors)
    outputs = _graph_outputs(graph, tensors)
    if outputs:
        builder.nodes.append(OpNode(builder.unique("output"), "output", outputs, role=OUTPUT))
    graph = new_graph(builder.nodes, scope_types=builder.scope_types, format="torch.export")
    return hoist_shared(graph)


def program_json(data: bytes, where: str) -> dict[str, Any]:
    """The serialized program of a ``.pt2`` archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValueError(f"{where}: not a .pt2 archive ({error})") from None
    models = [n for n in names if "/models/" in n and n.endswith(".json")]
    models.sort(key=lambda n: (not n.endswith("/model.json"), n))
    legacy = [n for n in names if n.endswith("serialized_exported_program.json")]
    if not models and not legacy:
        raise ValueError(f"{where}: no serialized program in the .pt2 archive")
    chosen = (models or legacy)[0]
    try:
        program = json.loads(archive.read(chosen))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ValueError(f"{where}: cannot read {chosen} ({error})") from None
    if not isinstance(program, dict):
        raise ValueError(f"{where}: {chosen} is not a serialized program")  # noqa: TRY004
    return program


def from_pt2(data: bytes, where: str = "model.pt2") -> FlatGraph:
    return from_program_json(program_json(data, where), where)
