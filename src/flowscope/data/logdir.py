"""A logdir: its runs, loaded incrementally from local paths or fsspec URLs."""

from __future__ import annotations

import logging
import posixpath
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from flowscope.data import parallel
from flowscope.data.cache import DEFAULT_LIMIT_BYTES, LogdirCache
from flowscope.data.frames import Frames
from flowscope.data.ingest import read_into
from flowscope.data.notices import Notices
from flowscope.data.run import Run
from flowscope.data.series import Sampling
from flowscope.io.events import EventFileReader
from flowscope.io.files import FileStat, Listing, Location, one_line

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

    def directory(self, run: str) -> str:
        """The directory of one of this source's runs."""
        relative = posixpath.relpath(run, self.name) if self.name else run
        return self.location.root if relative == "." else self.location.join(relative)


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
    the same logdir again reads only what is new; the least recently used cache files
    go when the directory holds more than ``cache_limit_bytes``.

    An event file that shrank or was rewritten makes its run be read again from all
    its files. `error` tells, in one line, why a logdir cannot be listed right now.
    """

    def __init__(
        self,
        path: str,
        *,
        samples_per_plugin: str | dict[str, int] | None = None,
        workers: int = 1,
        cache: bool | Path = False,
        cache_limit_bytes: int = DEFAULT_LIMIT_BYTES,
        load: bool = True,
    ) -> None:
        self.spec = path
        self.sources = parse_sources(path)
        self.sampling = Sampling.parse(samples_per_plugin)
        self.workers = workers
        self.runs: dict[str, Run] = {}
        self._readers: dict[str, EventFileReader] = {}
        self._errors: dict[Source, str] = {}
        self._empty: set[Source] = set()  # listed, without event files
        self._projector_dirs: dict[Source, set[str]] = {}
        self.error: str | None = None  # why a logdir could not be listed at the last reload
        self._notices = Notices(log)
        self._unchecked: set[str] = set()  # runs restored from the cache, not yet listed
        self._reload_lock = threading.Lock()
        self.generation = 0  # bumped whenever a reload changed something
        self.cache = None
        if cache:
            directory = None if cache is True else Path(cache)
            self.cache = LogdirCache(path, self.sampling, directory, cache_limit_bytes)
            restored = self.cache.load()
            if restored is not None:
                self.runs, self._readers = restored
                self._unchecked = set(self.runs)
        if load and self.reload():
            self.save_cache()

    def save_cache(self) -> None:
        """Writes the cache (when enabled) with everything read so far."""
        if self.cache is not None:
            with self._reload_lock:
                self.cache.save(self.runs, self._readers)

    def __repr__(self) -> str:
        return f"Logdir({self.spec!r}, runs={len(self.runs)})"

    @property
    def problems(self) -> list[str]:
        """Why logdirs gave no data at the last reload: they cannot be listed (`error`)
        or hold no event files. Empty when each has event files."""
        found = []
        for source in self.sources:
            if source in self._errors:
                found.append(self._errors[source])
            elif source in self._empty:
                where = source.location.url
                found.append(f"no event files (names containing 'tfevents') under {where}")
        return found

    @property
    def has_embeddings(self) -> bool:
        """Whether the last listing found a projector config (no file is read)."""
        return any(self._projector_dirs.values())

    def run_names(self) -> list[str]:
        return list(self.runs)

    def reload(self) -> bool:
        """Reads whatever is new; returns whether anything changed."""
        with self._reload_lock:
            changed = False
            self._notices.begin()
            for source in self.sources:
                changed |= self._reload_source(source)
            self._notices.end()
            if changed:
                self.generation += 1
            return changed

    def _reload_source(self, source: Source) -> bool:
        listing = self._list(source)
        if listing is None:
            return False
        if listing.runs:
            self._empty.discard(source)
        else:
            self._empty.add(source)
        changed = listing.projector_dirs != self._projector_dirs.get(source, set())
        self._projector_dirs[source] = listing.projector_dirs
        for path, problem in listing.problems.items():
            self._notices.show(("link", path), problem)
        changed |= self._load_new_runs_in_parallel(source, listing)
        seen = set()
        for relative, files in listing.runs.items():
            name = source.run_name(relative)
            seen.add(name)
            run = self.runs.get(name)
            why = self._reread_reason(source, name, files, listing)
            if run is None or why:
                if why:
                    log.warning("run %s: %s; reading the run again", name, why)
                    self._forget(source, name)
                run = self._add_run(self._fresh_run(name, run))
                changed = True
            for index, path in enumerate(files):
                final = index < len(files) - 1
                changed |= self._read_file(source, run, path, listing.stats[path], final)
        owned = {name for name in self.runs if self._owned_by(source, name)}
        for name in sorted(owned - seen):
            if name in self._unchecked:  # gone while the cache was kept: as a fresh start would
                self._forget(source, name)
                self.runs = {key: run for key, run in self.runs.items() if key != name}
                changed = True
            else:
                gone = f"run {name}: its directory is gone; keeping the data already loaded"
                self._notices.show(("gone", name), gone)
        self._unchecked -= owned
        return changed

    def _list(self, source: Source) -> Listing | None:
        """Lists a source, keeping `error` up to date; None when it cannot be listed."""
        where = source.location.url
        listing = None
        try:
            listing = source.location.scan()
        except FileNotFoundError:
            self._errors[source] = f"logdir {where} does not exist (yet)"
        except OSError as err:
            self._errors[source] = f"cannot list logdir {where}: {one_line(err)}"
        else:
            if self._errors.pop(source, None):
                log.warning("logdir %s can be listed again", where)
        if listing is None:
            self._notices.show(("error", source), self._errors[source], logging.ERROR)
        self.error = "; ".join(self._errors.values()) or None  # set at once: other threads read it
        return listing

    def _reread_reason(
        self, source: Source, name: str, files: list[str], listing: Listing
    ) -> str | None:
        """Why a run must be read again from the start: a file of it shrank or was
        rewritten, or (restored from the cache) one is gone. None when nothing is."""
        for path in files:
            reader = self._readers.get(path)
            try:
                why = reader.replaced(listing.stats[path]) if reader else None
            except OSError:
                why = None  # reading it will fail too, and say so
            if why:
                return f"event file {path} {why}"
        if name in self._unchecked:
            listed = set(files)
            gone = [path for path in self._readers_of(source, name) if path not in listed]
            if gone:
                return f"event file {gone[0]} is gone"
        return None

    def _readers_of(self, source: Source, run: str) -> list[str]:
        directory = source.directory(run)
        return [path for path in self._readers if posixpath.dirname(path) == directory]

    def _forget(self, source: Source, run: str) -> None:
        """Drops the file readers of a run, so that its files are read from the start."""
        for path in self._readers_of(source, run):
            del self._readers[path]

    def _fresh_run(self, name: str, old: Run | None) -> Run:
        """An empty run; its version carries on from ``old``."""
        run = Run(name, self.sampling)
        if old is not None:
            run.version = old.version + 1
        return run

    def _load_new_runs_in_parallel(self, source: Source, listing: Listing) -> bool:
        """Loads runs never seen before in worker processes when that pays off."""
        jobs = []
        for relative, files in listing.runs.items():
            name = source.run_name(relative)
            if name not in self.runs and not any(path in self._readers for path in files):
                jobs.append((name, files, sum(listing.stats[path].size for path in files)))
        sizes = [size for _, _, size in jobs]
        if self.workers < 2 or not parallel.worth_parallel(source.location, sizes):
            return False
        for run, readers in parallel.load_runs(source.location, jobs, self.sampling, self.workers):
            self._add_run(run)
            for reader in readers:
                reader.stat = listing.stats[reader.path]
                self._readers[reader.path] = reader
        return True

    def _add_run(self, run: Run) -> Run:
        """Adds a run, keeping `runs` sorted; the dict is replaced, never mutated, so
        readers in other threads can iterate it safely."""
        self.runs = dict(sorted({**self.runs, run.name: run}.items()))
        return run

    def _owned_by(self, source: Source, run: str) -> bool:
        return not source.name or run == source.name or run.startswith(source.name + "/")

    def _read_file(self, source: Source, run: Run, path: str, stat: FileStat, final: bool) -> bool:
        reader = self._readers.get(path)
        if reader is None:
            reader = self._readers[path] = EventFileReader(source.location, path)
        changed = False
        try:
            changed = read_into(run, reader, final)
            reader.stat = stat
        except FileNotFoundError:
            log.warning("run %s: event file %s was deleted while being read", run.name, path)
            self._readers.pop(path, None)
        except OSError as err:
            problem = f"run {run.name}: cannot read event file {path}: {one_line(err)}"
            self._notices.show(("read", path), problem)
        if changed:
            run.compact()
        return changed
