"""A cache of what was read from a logdir, so a restart on unchanged files is fast.

A file holds a header (the logdir spec, the sampling and the format) and then a pickle
of the runs and the file readers (with their offsets). The scalar points are in their
compressed blocks, which pickle as they are. Loading it does not touch the logdir
(which may be out of reach): the next reload reads on from the offsets, and reads a
run again when one of its files shrank, changed or vanished meanwhile.

The format is a hash of the source of the packages whose objects are pickled, so a
change to any of them starts a new cache. The directory is kept under a size limit by
removing the least recently used files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flowscope.data.run import Run
from flowscope.data.series import Sampling
from flowscope.io.events import EventFileReader

log = logging.getLogger(__name__)

# A run and a reader hold only objects of these packages (the layers below the data
# layer, and itself): their source is what a cache file's layout depends on.
PICKLED_PACKAGES = ("proto", "io", "data")
DEFAULT_LIMIT_BYTES = 2 << 30
SUFFIX = ".pickle"


def source_format(root: Path) -> str:
    """A hash of the Python source of `PICKLED_PACKAGES` under the package ``root``."""
    digest = hashlib.sha256()
    for package in PICKLED_PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            digest.update(f"{package}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


FORMAT = source_format(Path(__file__).resolve().parents[1])


def default_directory() -> Path:
    base = os.environ.get("FLOWSCOPE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "flowscope"
    )
    return Path(base)


@dataclass(frozen=True)
class CacheFile:
    """A cache file as `cache_files` lists it."""

    path: Path
    size: int
    last_used: float  # seconds since the epoch
    spec: str  # the logdir; "" when the header cannot be read
    current: bool  # written in this version's format


def cache_files(directory: Path | None = None) -> list[CacheFile]:
    """The cache files of ``directory`` (the default one), least recently used first."""
    found = []
    for path in (directory or default_directory()).glob(f"*{SUFFIX}"):
        try:
            stat = path.stat()
            with open(path, "rb") as f:
                header = pickle.load(f)
            spec, current = str(header["spec"]), header["format"] == FORMAT
        except FileNotFoundError:
            continue
        except Exception:  # an older layout or a damaged file: listed, for clearing
            spec, current = "", False
        found.append(CacheFile(path, stat.st_size, stat.st_mtime, spec, current))
    return sorted(found, key=lambda c: c.last_used)


def limit_directory(directory: Path, limit_bytes: int) -> list[Path]:
    """Removes the least recently used cache files until the rest fit in
    ``limit_bytes``; returns the removed paths."""
    files = cache_files(directory)
    total = sum(c.size for c in files)
    removed = []
    for cached in files:
        if total <= limit_bytes:
            break
        cached.path.unlink(missing_ok=True)
        total -= cached.size
        removed.append(cached.path)
    return removed


class LogdirCache:
    """One cache file per logdir spec and sampling, in a directory kept under
    ``limit_bytes``."""

    def __init__(
        self,
        spec: str,
        sampling: Sampling,
        directory: Path | None = None,
        limit_bytes: int = DEFAULT_LIMIT_BYTES,
    ) -> None:
        self.header = {
            "format": FORMAT,
            "spec": spec,
            "sampling": sorted(sampling.per_plugin.items()),
        }
        key = hashlib.sha256(repr(sorted(self.header.items())).encode()).hexdigest()
        self.path = (directory or default_directory()) / f"{key[:32]}{SUFFIX}"
        self.limit_bytes = limit_bytes

    def load(self) -> tuple[dict[str, Run], dict[str, EventFileReader]] | None:
        try:
            with open(self.path, "rb") as f:
                header = pickle.load(f)
                if header != self.header:
                    raise ValueError("written for another logdir or format")
                runs, readers = pickle.load(f)
        except FileNotFoundError:
            return None
        except (
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            ValueError,
            TypeError,
        ) as err:
            # A stale or damaged cache only makes the start slower.
            log.warning("ignoring the logdir cache %s: %s", self.path, err)
            return None
        now = time.time()
        os.utime(self.path, (now, now))  # recently used
        return runs, readers

    def save(self, runs: dict[str, Run], readers: dict[str, EventFileReader]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        locked = list(runs.values())
        for run in locked:
            run.lock.acquire()
        try:
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as f:
                pickle.dump(self.header, f, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump((runs, readers), f, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            for run in locked:
                run.lock.release()
        os.replace(f.name, self.path)
        for removed in limit_directory(self.path.parent, self.limit_bytes):
            log.info("removed the least recently used logdir cache %s", removed)
