"""A logdir: its runs, loaded incrementally from local paths or fsspec URLs."""

from __future__ import annotations

import logging
import posixpath
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from flowscope.data import parallel
from flowscope.data.cache import LogdirCache
from flowscope.data.frames import Frames
from flowscope.data.run import Run
from flowscope.data.series import Sampling
from flowscope.io.events import EventFileReader
from flowscope.io.files import Location

log = logging.getLogger(__name__)

_NAMED_SOURCE = re.compile(r"^([^/:,]+):(?!//)(.+)$")


@dataclass(frozen=True)
class Source:
    """One logdir in a ``name:path,name:path`` spec; its runs are prefixed by ``name``."""

    name: str
    location: Location

    def run_name(self, relative: str) -> str:
        if not self.name:
            return relative
        return self.name if relative == "." else posixpath.join(self.name, relative)


def parse_sources(spec: str) -> list[Source]:
    """Reads a logdir path or URL, or TensorBoard's ``name:path,name:path`` form."""
    parts = [part for part in spec.split(",") if part]
    named = [_NAMED_SOURCE.match(part) for part in parts]
    if len(parts) > 1 or (named and named[0] and not re.match(r"^[A-Za-z]:[\\/]", parts[0])):
        if not all(named):
            raise ValueError(
                f"bad logdir spec {spec!r}: with several logdirs, each must be NAME:PATH"
            )
        return [Source(m.group(1), Location.parse(m.group(2))) for m in named]  # type: ignore[union-attr]
    if not parts:
        raise ValueError("the logdir is empty")
    return [Source("", Location.parse(parts[0]))]


class Logdir(Frames):
    """The runs under one or more logdirs. `reload` picks up new runs, files and records.

    ``samples_per_plugin`` takes TensorBoard's ``scalars=500,images=20`` form or a
    dict; scalars keep every point unless told otherwise. ``workers`` > 1 loads
    big local logdirs in that many processes the first time (the calling script
    then needs the ``if __name__ == "__main__":`` guard that multiprocessing needs).
    ``cache`` (True, or a directory) keeps what was read on disk, so that opening
    the same logdir again reads only what is new.
    """

    def __init__(
        self,
        path: str,
        *,
        samples_per_plugin: str | dict[str, int] | None = None,
        workers: int = 1,
        cache: bool | Path = False,
        load: bool = True,
    ) -> None:
        self.spec = path
        self.sources = parse_sources(path)
        self.sampling = Sampling.parse(samples_per_plugin)
        self.workers = workers
        self.runs: dict[str, Run] = {}
        self._readers: dict[str, EventFileReader] = {}
        self._missing_runs: set[str] = set()
        self._projector_dirs: dict[Source, frozenset[str]] = {}
        self._problems: dict[Source, str] = {}
        self._reload_lock = threading.Lock()
        self.generation = 0  # bumped whenever a reload changed something
        self.cache = None
        if cache:
            self.cache = LogdirCache(path, self.sampling, None if cache is True else Path(cache))
            restored = self.cache.load()
            if restored is not None:
                self.runs, self._readers = restored
        if load and self.reload():
            self.save_cache()

    def save_cache(self) -> None:
        """Writes the cache (when enabled) with everything read so far."""
        if self.cache is not None:
            with self._reload_lock:
                self.cache.save(self.runs, self._readers)

    def __repr__(self) -> str:
        return f"Logdir({self.spec!r}, runs={len(self.runs)})"

    def run_names(self) -> list[str]:
        return list(self.runs)

    def reload(self) -> bool:
        """Reads whatever is new; returns whether anything changed."""
        with self._reload_lock:
            changed = False
            for source in self.sources:
                changed |= self._reload_source(source)
            if changed:
                self.generation += 1
            return changed

    @property
    def has_embeddings(self) -> bool:
        """Whether the last listing found a ``projector_config.pbtxt`` (no file is read)."""
        return any(self._projector_dirs.values())

    @property
    def problems(self) -> list[str]:
        """Why sources of the last listing gave no data: missing, unreadable, or holding
        no event files. Empty when every source has event files."""
        return list(self._problems.values())

    def _reload_source(self, source: Source) -> bool:
        root = source.location.root
        try:
            found = source.location.list_logdir()
        except FileNotFoundError:
            self._problems[source] = f"the logdir {root} does not exist"
            log.error("logdir %s does not exist (yet)", root)
            return False
        except OSError as err:
            self._problems[source] = f"cannot list the logdir {root}: {err}"
            log.error("cannot list logdir %s: %s", root, err)
            return False
        listing = found.event_files
        if listing:
            self._problems.pop(source, None)
        elif not source.location.fs.exists(root):  # some filesystems list a missing path as empty
            self._problems[source] = f"the logdir {root} does not exist"
        else:
            self._problems[source] = (
                f"no event files (files whose name contains 'tfevents') under {root}"
            )
        changed = found.projector_dirs != self._projector_dirs.get(source, frozenset())
        self._projector_dirs[source] = found.projector_dirs
        changed |= self._load_new_runs_in_parallel(source, listing)
        seen = set()
        for relative, files in listing.items():
            name = source.run_name(relative)
            seen.add(name)
            run = self.runs.get(name)
            if run is None:
                run = self._add_run(Run(name, self.sampling))
                changed = True
            for index, path in enumerate(files):
                final = index < len(files) - 1
                changed |= self._read_file(source, run, path, final)
        for name in self.runs:
            if name not in seen and self._owned_by(source, name) and name not in self._missing_runs:
                self._missing_runs.add(name)
                log.warning("run %s: its directory is gone; keeping the data already loaded", name)
        self._missing_runs -= seen
        return changed

    def _load_new_runs_in_parallel(self, source: Source, listing: dict[str, list[str]]) -> bool:
        """Loads runs never seen before in worker processes when that pays off."""
        jobs = []
        for relative, files in listing.items():
            name = source.run_name(relative)
            if name not in self.runs and not any(path in self._readers for path in files):
                try:
                    size = sum(source.location.size(path) for path in files)
                except OSError:
                    continue
                jobs.append((name, files, size))
        if self.workers < 2 or not parallel.worth_parallel(source.location, [size for _, _, size in jobs]):
            return False
        for run, readers in parallel.load_runs(source.location, jobs, self.sampling, self.workers):
            self._add_run(run)
            self._readers.update((reader.path, reader) for reader in readers)
        return True

    def _add_run(self, run: Run) -> Run:
        """Adds a run, keeping `runs` sorted; the dict is replaced, never mutated, so
        readers in other threads can iterate it safely."""
        self.runs = dict(sorted({**self.runs, run.name: run}.items()))
        return run

    def _owned_by(self, source: Source, run: str) -> bool:
        return not source.name or run == source.name or run.startswith(source.name + "/")

    def _read_file(self, source: Source, run: Run, path: str, final: bool) -> bool:
        reader = self._readers.get(path)
        if reader is None:
            reader = self._readers[path] = EventFileReader(source.location, path)
        changed = False
        try:
            for events in reader.read_batches(final):
                run.ingest(events)
                changed = changed or bool(events)
        except FileNotFoundError:
            log.warning("run %s: event file %s was deleted while being read", run.name, path)
            self._readers.pop(path, None)
        except OSError as err:
            log.warning("run %s: cannot read event file %s: %s", run.name, path, err)
        if changed:
            run.compact()
        return changed
