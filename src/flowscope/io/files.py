"""Logdir listing and reading over fsspec: local paths and any fsspec URL.

Whatever a filesystem raises (botocore's connection errors, for one) comes out of a
`Location` as an `OSError` with a one-line message.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from flowscope.io import walk
from flowscope.io.plugins import PROJECTOR_CONFIG

log = logging.getLogger(__name__)

MESSAGE_CHARS = 300
# Listing fields that change when an object is rewritten (local files, S3, GCS, Azure, memory):
_STAMP_FIELDS = (
    "ino", "mtime", "ETag", "LastModified", "generation", "etag", "last_modified", "created"
)


class StorageError(OSError):
    """A filesystem or object store failed in a way it reports with no `OSError`."""


def is_event_file(name: str) -> bool:
    """TensorBoard's rule: the base name contains ``tfevents``."""
    base = posixpath.basename(name)
    return "tfevents" in base and not base.endswith(".profile-empty")


def one_line(err: BaseException) -> str:
    """The first line of an error's message, or its type when it has none."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    lines = str(err).strip().splitlines()
    text = lines[0] if lines else type(err).__name__
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Re-raises a filesystem's non-`OSError` failure as a one-line `StorageError`."""
    try:
        yield
    except OSError:
        raise
    except Exception as err:
        log.debug("a filesystem call failed", exc_info=True)
        raise StorageError(one_line(err)) from err


@dataclass(frozen=True)
class FileStat:
    """A file's size and what its listing says changes when it is rewritten."""

    size: int
    stamp: tuple[str, ...] = ()

    @classmethod
    def of_info(cls, info: dict[str, Any]) -> FileStat:
        return cls(int(info.get("size") or 0), tuple(str(info.get(key)) for key in _STAMP_FIELDS))

    @classmethod
    def of_stat(cls, result: os.stat_result) -> FileStat:
        stamp = (str(result.st_dev), str(result.st_ino), str(result.st_mtime_ns))
        return cls(result.st_size, stamp)


@dataclass
class Listing:
    """One listing of a logdir: each run's event files in name order, their stats,
    the paths that could not be followed (path -> one-line message), and the
    directories (relative, like runs) holding a projector config."""

    runs: dict[str, list[str]] = field(default_factory=dict)
    stats: dict[str, FileStat] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    projector_dirs: set[str] = field(default_factory=set)


def _listed(path: str) -> bool:
    """Whether a listing keeps ``path``: an event file or a projector config."""
    return is_event_file(path) or posixpath.basename(path) == PROJECTOR_CONFIG


class StorageFile:
    """A file opened for reading through a `Location`; its failures are `OSError`s."""

    def __init__(self, fs: fsspec.AbstractFileSystem, path: str) -> None:
        self.path = path
        with storage_errors():
            self._file = fs.open(path, "rb")

    def seek(self, offset: int, whence: int = 0) -> int:
        with storage_errors():
            return int(self._file.seek(offset, whence))

    def read(self, size: int = -1) -> bytes:
        with storage_errors():
            return bytes(self._file.read(size))

    def close(self) -> None:
        with storage_errors():
            self._file.close()


@dataclass(frozen=True)
class Location:
    """A filesystem and a root path inside it."""

    fs: fsspec.AbstractFileSystem
    root: str

    @classmethod
    def parse(cls, url: str) -> Location:
        fs, root = fsspec.core.url_to_fs(url)
        if isinstance(fs, LocalFileSystem):
            root = fs._strip_protocol(root)
        return cls(fs, root.rstrip("/") or "/")

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, LocalFileSystem)

    @property
    def url(self) -> str:
        """The root as the user would write it: a path, or a URL with its protocol."""
        return self.root if self.is_local else str(self.fs.unstrip_protocol(self.root))

    def join(self, *parts: str) -> str:
        return posixpath.join(self.root, *parts) if parts else self.root

    def relative(self, path: str) -> str:
        return posixpath.relpath(path, self.root)

    def scan(self) -> Listing:
        """Lists the event files under the root afresh (fsspec's listing cache is
        dropped first), following symbolic links on local disks.

        Raises `FileNotFoundError` when the root does not exist, and an `OSError`
        with a one-line message when it cannot be listed."""
        listing = Listing()
        if self.is_local:
            found = walk.walk(self.root, _listed)
            listing.problems = found.problems
            stats = {path: FileStat.of_stat(result) for path, result in found.files.items()}
        else:
            with storage_errors():
                self.fs.invalidate_cache()
                infos = self.fs.find(self.root, withdirs=False, detail=True)
            stats = {path: FileStat.of_info(info) for path, info in infos.items() if _listed(path)}
        for path in [path for path in stats if not is_event_file(path)]:
            del stats[path]
            listing.projector_dirs.add(self.relative(posixpath.dirname(path)) or ".")
        for path in sorted(stats, key=posixpath.basename):
            run = self.relative(posixpath.dirname(path)) or "."
            listing.runs.setdefault(run, []).append(path)
        listing.runs = dict(sorted(listing.runs.items()))
        listing.stats = stats
        return listing

    def list_event_files(self) -> dict[str, list[str]]:
        """Maps each run (directory relative to the root, ``.`` for the root) to its
        event files in name order."""
        return self.scan().runs

    def open(self, path: str) -> StorageFile:
        return StorageFile(self.fs, path)

    def head(self, path: str, size: int) -> bytes:
        """The first ``size`` bytes of a file (fewer when it is shorter)."""
        with storage_errors():
            return bytes(self.fs.cat_file(path, start=0, end=size))

    def size(self, path: str) -> int:
        with storage_errors():
            return int(self.fs.size(path))
