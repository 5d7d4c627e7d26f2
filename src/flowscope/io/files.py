"""Logdir listing over fsspec: local paths and any fsspec URL."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import fsspec
from fsspec.implementations.local import LocalFileSystem

PROJECTOR_CONFIG = "projector_config.pbtxt"


def is_event_file(name: str) -> bool:
    """TensorBoard's rule: the base name contains ``tfevents``."""
    base = posixpath.basename(name)
    return "tfevents" in base and not base.endswith(".profile-empty")


@dataclass(frozen=True)
class Listing:
    """What one recursive listing of a logdir found."""

    event_files: dict[str, list[str]]
    """Each run (directory relative to the root, ``.`` for the root) to its event files,
    in name order."""
    projector_dirs: frozenset[str]
    """Directories (relative, like runs) holding a ``projector_config.pbtxt``."""


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

    def join(self, *parts: str) -> str:
        return posixpath.join(self.root, *parts) if parts else self.root

    def relative(self, path: str) -> str:
        return posixpath.relpath(path, self.root)

    def list_logdir(self) -> Listing:
        """Event files per run and projector configs, from one recursive listing."""
        runs: dict[str, list[str]] = {}
        projector_dirs = set()
        for path in self.fs.find(self.root, withdirs=False):
            directory = self.relative(posixpath.dirname(path)) or "."
            if is_event_file(path):
                runs.setdefault(directory, []).append(path)
            elif posixpath.basename(path) == PROJECTOR_CONFIG:
                projector_dirs.add(directory)
        for files in runs.values():
            files.sort(key=posixpath.basename)
        return Listing(dict(sorted(runs.items())), frozenset(projector_dirs))

    def list_event_files(self) -> dict[str, list[str]]:
        """Maps each run (directory relative to the root, ``.`` for the root) to its
        event files in name order."""
        return self.list_logdir().event_files

    def size(self, path: str) -> int:
        return int(self.fs.size(path))
