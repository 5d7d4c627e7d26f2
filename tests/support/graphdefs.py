"""GraphDef builder and the committed real graphs, for the graph tests."""

from __future__ import annotations

from pathlib import Path

from flowscope.proto.graph_pb2 import AttrValue, GraphDef

GRAPHS = Path(__file__).resolve().parents[1] / "data" / "graphs"


def graph_def(*nodes: tuple, shapes: dict | None = None) -> GraphDef:
    """A GraphDef from ``(name, op, [inputs])`` tuples (a 4th item: device);
    ``shapes`` maps a name to its ``_output_shapes`` (lists of dims)."""
    g = GraphDef()
    for spec in nodes:
        name, op, inputs = spec[:3]
        node = g.node.add(name=name, op=op, input=inputs)
        if len(spec) > 3:
            node.device = spec[3]
        for dims in (shapes or {}).get(name, []):
            shape = node.attr["_output_shapes"].list.shape.add()
            if dims is None:
                shape.unknown_rank = True
            else:
                for d in dims:
                    shape.dim.add(size=d)
    return g


def attr_string(value: str) -> AttrValue:
    return AttrValue(s=value.encode())
