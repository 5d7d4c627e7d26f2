"""Event files written by flowscope's SummaryWriter, as bytes to place anywhere."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from flowscope import SummaryWriter


def scalar_file(steps: Iterable[int], scale: float = 1.0) -> bytes:
    """One ``loss`` point a step, valued ``step * scale``."""
    return growing_file(steps, [], scale)[1]


def growing_file(
    first: Iterable[int], then: Iterable[int], scale: float = 1.0
) -> tuple[bytes, bytes]:
    """The same file twice: after the ``first`` steps were flushed, and after the rest."""
    with tempfile.TemporaryDirectory() as directory:
        with SummaryWriter(directory) as writer:
            for step in first:
                writer.add_scalar("loss", step * scale, step)
            writer.flush()
            early = Path(writer.file_path).read_bytes()
            for step in then:
                writer.add_scalar("loss", step * scale, step)
            path = Path(writer.file_path)
        return early, path.read_bytes()
