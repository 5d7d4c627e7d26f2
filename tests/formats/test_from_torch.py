"""``flowscope.graph.from_torch`` on a live module, through torch.export."""

from __future__ import annotations

import torch
from torch import nn

from flowscope.graph import from_torch
from flowscope.graph.flat import PARAMETER


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.norm = nn.LayerNorm(8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x + torch.relu(self.fc(x)))


class Stack(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(Block() for _ in range(7))
        self.head = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor, scale: float = 1.0) -> torch.Tensor:
        for block in self.blocks:
            x = block(x)
        return self.head(x) * scale


def test_module_paths_classes_series_and_parameters():
    graph = from_torch(Stack(), (torch.ones(2, 8),), {"scale": 2.0})
    flat = graph.model.flat
    assert flat.scope_types["blocks.4"] == "Block"
    assert flat.scope_types["blocks.4/fc"] == "Linear"
    series = graph.model.series["blocks[0-6]"]
    assert len(series.members) == 7
    parameters = [n.name for n in flat.nodes.values() if n.role == PARAMETER]
    assert "blocks.4.fc.weight" in parameters
    h = graph.model.hierarchy
    assert any("blocks.4.fc.weight" in leaf.in_embedded for leaf in h.leaves)
    assert "2×8" in h.edge_label and "2×3" in h.edge_label
    assert any(n.source for n in flat.nodes.values())  # stack traces are kept
