"""The lower layers import nothing above them: ``io`` only ``io`` and ``proto``, ``data``
only those and itself; and the server reads the model-stats names without the writer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import flowscope

PACKAGE = Path(flowscope.__file__).resolve().parent
ALLOWED = {"io": {"io", "proto"}, "data": {"data", "io", "proto"}}


def flowscope_imports(path: Path) -> set[str]:
    """The ``flowscope.*`` modules that ``path`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.startswith("flowscope."))
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below(layer: str) -> None:
    wrong = {
        f"{path.name} imports {name}"
        for path in (PACKAGE / layer).glob("*.py")
        for name in flowscope_imports(path)
        if name.split(".")[1] not in ALLOWED[layer]
    }
    assert not wrong


def test_model_stats_route_does_not_import_the_writer() -> None:
    imports = flowscope_imports(PACKAGE / "server" / "routes" / "model_stats.py")
    assert not {"flowscope.io.writer", "flowscope.io.summaries"} & imports
