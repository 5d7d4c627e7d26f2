"""A cache of what was read from a logdir, so a restart on unchanged files is fast.

The file is a pickle of the runs and the file readers (with their offsets). The
scalar points are in their compressed blocks, which pickle as they are. Loading it
does not touch the logdir (which may be out of reach): the next reload reads on
from the offsets, and reads a run again when one of its files shrank, changed or
vanished meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from flowscope.data.run import Run
from flowscope.data.series import Sampling
from flowscope.io.events import EventFileReader

log = logging.getLogger(__name__)

FORMAT = 6  # bumped when the file layout or the pickled classes change


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
                runs, readers = pickle.load(f)
        except FileNotFoundError:
            return None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as err:
            # A stale or damaged cache only makes the start slower.
            log.warning("ignoring the logdir cache %s: %s", self.path, err)
            return None
        return runs, readers

    def save(self, runs: dict[str, Run], readers: dict[str, EventFileReader]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        locked = list(runs.values())
        for run in locked:
            run.lock.acquire()
        try:
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as f:
                pickle.dump((runs, readers), f, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            for run in locked:
                run.lock.release()
        os.replace(f.name, self.path)
