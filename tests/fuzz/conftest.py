"""The served site of the fuzzing tests: real data, the corpus, and escapes."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowscope.cli.demo import write_demo
from tests.fuzz.fuzz_server import (
    EVENT_FILE,
    Site,
    escaping_projector_config,
    plant_canary,
    serve,
    write_valid_run,
)

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """The demo logdir (every kind of data, written by flowscope's writer), the corpus
    of inputs that once broke flowscope as runs, and projector configs that point
    outside the logdir."""
    folder = Path(tempfile.mkdtemp())
    try:
        logdir, escapes = plant_canary(folder)
        write_demo(str(logdir))
        for path in CORPUS.glob("*.tfevents"):
            (logdir / path.stem).mkdir()
            shutil.copy(path, logdir / path.stem / EVENT_FILE)
        write_valid_run(logdir)
        (logdir / "valid" / "projector_config.pbtxt").write_text(escaping_projector_config(escapes))
        with serve(logdir, escapes) as served:
            yield served
    finally:
        shutil.rmtree(folder)
