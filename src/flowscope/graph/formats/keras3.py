"""Keras 3 ``.keras`` archives: a zip holding ``config.json`` (the model config, read as
the Keras conceptual graph), ``metadata.json`` and the weights, which are not read."""

from __future__ import annotations

import io
import zipfile

from flowscope.graph.flat import FlatGraph
from flowscope.graph.keras import from_keras_json


def from_keras_archive(data: bytes, where: str = "model.keras") -> FlatGraph:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            config = archive.read("config.json")
    except KeyError:
        raise ValueError(f"{where}: no config.json in the .keras archive") from None
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ValueError(f"{where}: not a .keras archive ({error})") from None
    try:
        return from_keras_json(config)
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise ValueError(f"{where}: unreadable model config ({error})") from None
