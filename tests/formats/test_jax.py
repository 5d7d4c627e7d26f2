"""JAX functions by ``flowscope.graph.from_jax``: named scopes as groups, sub-jaxprs
(jit, custom_jvp, cond) as nested groups, literals as annotations."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from flowscope.graph import from_jax
from flowscope.graph.flat import CONSTANT
from flowscope.graph.formats.jax import from_jax as flat_of_function
from flowscope.graph.hierarchy import Group


def mlp(x, weights):
    for i, w in enumerate(weights):
        with jax.named_scope(f"layer_{i}"):
            with jax.named_scope("dense"):
                x = x @ w + 1.0
            x = jax.nn.relu(x)
    return x


@jax.jit
def attention(x, wq, wk, wv):
    q, k, v = x @ wq, x @ wk, x @ wv
    return jax.nn.softmax(q @ k.T / 4.0) @ v


def transformer(x, blocks):
    for i, (wq, wk, wv, w1) in enumerate(blocks):
        with jax.named_scope(f"block_{i}"):
            with jax.named_scope("attention"):
                x = x + attention(x, wq, wk, wv)
            with jax.named_scope("mlp"):
                x = x + jnp.tanh(x @ w1)
    return jax.lax.cond(x.sum() > 0, lambda a: a * 2.0, lambda a: a - 1.0, x)


def _count_eqns(jaxpr) -> int:
    inner = getattr(jaxpr, "jaxpr", jaxpr)
    total = 0
    for eqn in inner.eqns:
        total += 1
        for value in eqn.params.values():
            for item in value if isinstance(value, (tuple, list)) else [value]:
                if hasattr(getattr(item, "jaxpr", item), "eqns"):
                    total += _count_eqns(item)
    return total


def test_mlp_layers_form_a_series_with_literals_as_annotations():
    weights = [jnp.ones((8, 8))] * 6
    graph = from_jax(mlp, jnp.ones((2, 8)), weights)
    h = graph.model.hierarchy
    assert all(isinstance(h.nodes[f"layer_{i}/dense"], Group) for i in range(6))
    series = graph.model.series["layer_[0-5]"]
    assert len(series.members) == 6 and len({m.template for m in series.members}) == 1
    literals = [n for n in graph.model.flat.nodes.values() if n.role == CONSTANT]
    assert literals and all(h.embedded[n.name] == "in" for n in literals)
    assert "2×8" in h.edge_label


def test_transformer_blocks_and_sub_jaxprs():
    blocks = [tuple(jnp.ones((8, 8)) for _ in range(4))] * 5
    x = jnp.ones((4, 8))
    flat = flat_of_function(transformer, x, blocks)
    graph = from_jax(transformer, x, blocks)
    h = graph.model.hierarchy
    assert isinstance(h.nodes["block_3/attention/jit"], Group)  # the jitted call's body
    assert any(name.startswith("block_3/attention/jit/jaxpr/") for name in h.leaf_of_op)
    assert any(name.startswith("cond/branches_0/") for name in h.leaf_of_op)
    assert "block_[0-4]" in graph.model.series
    ops = [n for n in flat.nodes.values() if n.role == ""]
    assert len(ops) == _count_eqns(jax.make_jaxpr(transformer)(x, blocks))
