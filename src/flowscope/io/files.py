"""Logdir listing over fsspec: local paths and any fsspec URL."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import fsspec
from fsspec.implementations.local import LocalFileSystem


def is_event_file(name: str) -> bool:
    """TensorBoard's rule: the base name contains ``tfevents``."""
    base = posixpath.basename(name)
    return "tfevents" in base and not base.endswith(".profile-empty")


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

    def list_event_files(self) -> dict[str, list[str]]:
        """Maps each run (directory relative to the root, ``.`` for the root) to its
        event files in name order, using one recursive listing."""
        runs: dict[str, list[str]] = {}
        for path in self.fs.find(self.root, withdirs=False):
            if is_event_file(path):
                run = self.relative(posixpath.dirname(path)) or "."
                runs.setdefault(run, []).append(path)
        for files in runs.values():
            files.sort(key=posixpath.basename)
        return dict(sorted(runs.items()))

    def size(self, path: str) -> int:
        return int(self.fs.size(path))
