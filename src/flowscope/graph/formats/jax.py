"""JAX functions as flat graphs, from ``jax.make_jaxpr``.

Each equation is an op typed by its primitive, in the scope of its name stack
(``jax.named_scope``, ``jax.named_call``, Flax module names). An equation holding
sub-jaxprs (``jit``/``pjit``, ``custom_jvp_call``, ``custom_vjp_call``, ``cond``,
``scan``, ``while``) becomes a group of their equations; their results feed the
equation. Literals and the closed-over constants are constants, drawn as annotations.
jax is imported only when a function is converted.
"""

from __future__ import annotations

from typing import Any

from flowscope.graph.flat import (
    CONSTANT,
    INPUT,
    OUTPUT,
    DType,
    FlatGraph,
    GraphBuilder,
    Input,
    OpNode,
    Tensor,
    new_graph,
)

PLAIN = (int, float, str, bool)


def _tensor(var: Any) -> Tensor:
    aval = getattr(var, "aval", None)
    shape = getattr(aval, "shape", None)
    dtype = getattr(aval, "dtype", None)
    return Tensor(
        tuple(d if isinstance(d, int) else -1 for d in shape) if shape is not None else None,
        DType(str(dtype)) if dtype is not None else "",
    )


def _plain(value: Any) -> Any:
    if isinstance(value, PLAIN) or value is None:
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(v, PLAIN) for v in value):
        return list(value)
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _sub_jaxprs(params: dict[str, Any]) -> list[tuple[str, Any]]:
    """The (label, jaxpr) pairs held in an equation's params."""
    found = []
    for key, value in params.items():
        items = value if isinstance(value, (tuple, list)) else [value]
        for k, item in enumerate(items):
            inner = getattr(item, "jaxpr", item)
            if hasattr(inner, "eqns") and hasattr(inner, "invars"):
                label = key if len(items) == 1 else f"{key}_{k}"
                found.append((label, item))
    return found


class _Builder(GraphBuilder):
    def constant(self, scope: str, value: Any, var: Any) -> Input:
        name = self.unique(f"{scope}/literal" if scope else "literal")
        text = _plain(getattr(value, "val", value))
        self.nodes.append(
            OpNode(name, "literal", attr={"value": text}, outputs=[_tensor(var)], role=CONSTANT)
        )
        return Input(name)

    def source(self, var: Any, env: dict[Any, Input], scope: str) -> Input | None:
        if hasattr(var, "val"):  # a Literal
            return self.constant(scope, var, var)
        return env.get(var)

    def add_jaxpr(self, closed: Any, prefix: str, env: dict[Any, Input]) -> dict[Any, Input]:
        """Adds the equations of ``closed`` under ``prefix``; ``env`` maps its input
        variables to their producers. Returns ``env`` with its outputs added."""
        jaxpr = getattr(closed, "jaxpr", closed)
        consts = getattr(closed, "consts", [])
        for var, value in zip(jaxpr.constvars, consts):
            env[var] = self.constant(prefix, value, var)
        for eqn in jaxpr.eqns:
            stack = str(eqn.source_info.name_stack)
            scope = "/".join(p for p in (prefix, stack) if p)
            name = self.unique(f"{scope}/{eqn.primitive.name}" if scope else eqn.primitive.name)
            inputs = [s for v in eqn.invars if (s := self.source(v, env, scope)) is not None]
            for label, sub in _sub_jaxprs(eqn.params):
                inner_vars = getattr(sub, "jaxpr", sub).invars
                outer = [s for v in eqn.invars if (s := env.get(v)) is not None]
                outer = (
                    outer[len(outer) - len(inner_vars) :] if len(outer) >= len(inner_vars) else []
                )
                inner_env = dict(zip(inner_vars, outer))
                inner_env = self.add_jaxpr(sub, f"{name}/{label}", inner_env)
                outs = getattr(sub, "jaxpr", sub).outvars
                inputs += [s for v in outs if (s := inner_env.get(v)) is not None]
            attrs = {k: _plain(v) for k, v in eqn.params.items() if not _sub_jaxprs({k: v})}
            self.nodes.append(
                OpNode(
                    name,
                    eqn.primitive.name,
                    inputs,
                    attr=attrs,
                    outputs=[_tensor(v) for v in eqn.outvars],
                    source=_source_line(eqn),
                )
            )
            for k, var in enumerate(eqn.outvars):
                env[var] = Input(name, k)
        return env


def _source_line(eqn: Any) -> str:
    try:
        from jax._src import source_info_util

        return source_info_util.summarize(eqn.source_info)
    except (ImportError, AttributeError):
        return ""


def from_jaxpr(closed: Any) -> FlatGraph:
    """The flat graph of a closed jaxpr."""
    builder = _Builder()
    env: dict[Any, Input] = {}
    for k, var in enumerate(closed.jaxpr.invars):
        name = builder.unique(f"arg{k}")
        builder.nodes.append(OpNode(name, "input", outputs=[_tensor(var)], role=INPUT))
        env[var] = Input(name)
    env = builder.add_jaxpr(closed, "", env)
    outputs = [s for v in closed.jaxpr.outvars if (s := builder.source(v, env, "")) is not None]
    builder.nodes.append(OpNode(builder.unique("output"), "output", outputs, role=OUTPUT))
    return new_graph(builder.nodes, format="jax")


def from_jax(fn: Any, *args: Any, **kwargs: Any) -> FlatGraph:
    """The flat graph of ``fn`` traced on ``args`` by ``jax.make_jaxpr``."""
    import jax

    return from_jaxpr(jax.make_jaxpr(fn)(*args, **kwargs))
