"""Embeddings named by ``projector_config.pbtxt`` in a logdir or run directory."""

from __future__ import annotations

import io
import logging
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from google.protobuf import text_format

from flowscope.io.files import Location
from flowscope.io.plugins import PROJECTOR_CONFIG
from flowscope.proto.plugins_pb2 import EmbeddingInfo, ProjectorConfig

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Embedding:
    """One embedding: where its tensor, metadata and sprite live."""

    run: str
    name: str
    location: Location
    directory: str
    info: EmbeddingInfo

    def _path(self, relative: str) -> str:
        return relative if posixpath.isabs(relative) else posixpath.join(self.directory, relative)

    def tensor(self) -> np.ndarray:
        """The ``[n, d]`` float32 matrix from the TSV at ``tensor_path``."""
        if not self.info.tensor_path:
            raise ValueError(f"embedding {self.name!r} has no tensor_path (checkpoint tensors need TensorFlow)")
        import pandas as pd

        with self.location.fs.open(self._path(self.info.tensor_path), "rb") as f:
            frame = pd.read_csv(f, sep="\t", header=None, dtype=np.float32)
        return frame.to_numpy()

    def metadata(self) -> pd.DataFrame | None:
        """The metadata TSV: a header row only when there are several columns."""
        if not self.info.metadata_path:
            return None
        import pandas as pd

        with self.location.fs.open(self._path(self.info.metadata_path), "rb") as f:
            text = f.read().decode("utf-8")
        lines = text.rstrip("\n").split("\n")
        if lines and "\t" in lines[0]:
            return pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
        return pd.DataFrame({"label": lines})

    def sprite(self) -> bytes | None:
        if not self.info.HasField("sprite") or not self.info.sprite.image_path:
            return None
        with self.location.fs.open(self._path(self.info.sprite.image_path), "rb") as f:
            return f.read()


def find_embeddings(run: str, location: Location, directory: str) -> list[Embedding]:
    path = posixpath.join(directory, PROJECTOR_CONFIG)
    try:
        if not location.fs.exists(path):
            return []
        with location.fs.open(path, "rb") as f:
            config = text_format.Parse(f.read().decode("utf-8"), ProjectorConfig(), allow_unknown_field=True)
    except (OSError, text_format.ParseError) as err:
        log.warning("%s: cannot read projector config: %s", path, err)
        return []
    return [
        Embedding(run, info.tensor_name or f"embedding_{i}", location, directory, info)
        for i, info in enumerate(config.embeddings)
    ]
