"""A cache of what was read from a logdir, so a restart on unchanged files is fast.

The file holds a pickle of the runs and the file readers (with their offsets),
with the scalar columns left out, followed by those columns' raw bytes. Writing
and reading the columns straight from and into their arrays keeps memory flat:
pickling them would hold a second copy of every point. On load, a file that
shrank or vanished invalidates the cache; files that grew are read on from their
offsets by the next reload.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from array import array
from pathlib import Path
from typing import BinaryIO

from flowscope.data.run import Run
from flowscope.data.series import Sampling
from flowscope.io.events import EventFileReader

log = logging.getLogger(__name__)

FORMAT = 4  # bumped when the file layout or the pickled classes change


def default_directory() -> Path:
    base = os.environ.get("FLOWSCOPE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "flowscope"
    )
    return Path(base)


class LogdirCache:
    """One cache file per logdir spec and sampling."""

    def __init__(self, spec: str, sampling: Sampling, directory: Path | None = None) -> None:
        key = hashlib.sha256(repr((FORMAT, spec, sorted(sampling.per_plugin.items()))).encode()).hexdigest()
        self.path = (directory or default_directory()) / f"{key[:32]}.pickle"

    def load(self) -> tuple[dict[str, Run], dict[str, EventFileReader]] | None:
        try:
            with open(self.path, "rb") as f:
                runs, readers, layout = pickle.load(f)
                _read_columns(f, runs, layout)
        except FileNotFoundError:
            return None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as err:
            # A stale or damaged cache only makes the start slower.
            log.warning("ignoring the logdir cache %s: %s", self.path, err)
            return None
        for path, reader in readers.items():
            try:
                if reader.location.size(path) < reader.offset:
                    log.info("logdir cache %s is stale: %s shrank", self.path, path)
                    return None
            except OSError:
                log.info("logdir cache %s is stale: %s is gone", self.path, path)
                return None
        return runs, readers

    def save(self, runs: dict[str, Run], readers: dict[str, EventFileReader]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        locked = list(runs.values())
        for run in locked:
            run.lock.acquire()
        try:
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as f:
                columns = _take_columns(runs)
                try:
                    layout = [(run, tag, [(c.typecode, len(c)) for c in cols]) for run, tag, cols in columns]
                    pickle.dump((runs, readers, layout), f, protocol=pickle.HIGHEST_PROTOCOL)
                finally:
                    _put_columns(runs, columns)
                for _, _, cols in columns:
                    for column in cols:
                        column.tofile(f)
        finally:
            for run in locked:
                run.lock.release()
        os.replace(f.name, self.path)


Columns = list[tuple[str, str, tuple[array, array, array]]]


def _take_columns(runs: dict[str, Run]) -> Columns:
    """Swaps every scalar series' columns for empty ones, returning the originals."""
    taken = []
    for name, run in runs.items():
        for tag, series in run.scalars.items():
            cols = (series.steps, series.wall_times, series.values)
            series.steps, series.wall_times, series.values = (array(c.typecode) for c in cols)
            taken.append((name, tag, cols))
    return taken


def _put_columns(runs: dict[str, Run], columns: Columns) -> None:
    for name, tag, (steps, wall_times, values) in columns:
        series = runs[name].scalars[tag]
        series.steps, series.wall_times, series.values = steps, wall_times, values


def _read_columns(f: BinaryIO, runs: dict[str, Run], layout: list) -> None:
    """Reads the raw columns that follow the pickle straight into fresh arrays."""
    columns: Columns = []
    for name, tag, specs in layout:
        cols = []
        for typecode, length in specs:
            column = array(typecode)
            column.fromfile(f, length)
            cols.append(column)
        columns.append((name, tag, tuple(cols)))
    _put_columns(runs, columns)
