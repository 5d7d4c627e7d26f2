"""Live torch modules: ``torch.export`` them and read the program as a ``.pt2`` would be.

torch is imported only when a module is converted; flowscope never needs it otherwise.
"""

from __future__ import annotations

import io
from typing import Any

from flowscope.graph.flat import FlatGraph
from flowscope.graph.formats.pt2 import from_pt2


def exported_bytes(module: Any, example_args: tuple, kwargs: dict | None = None) -> bytes:
    """``module`` exported with ``torch.export.export`` and saved as a ``.pt2`` archive."""
    import torch

    program = torch.export.export(module, tuple(example_args), kwargs=kwargs)
    buffer = io.BytesIO()
    torch.export.save(program, buffer)
    return buffer.getvalue()


def from_torch(module: Any, example_args: tuple, kwargs: dict | None = None) -> FlatGraph:
    """The flat graph of ``module`` called on ``example_args``: scopes by module path,
    labelled with the module classes; parameters and buffers as annotations."""
    name = type(module).__name__
    return from_pt2(exported_bytes(module, example_args, kwargs), f"torch.export of {name}")
