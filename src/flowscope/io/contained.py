"""Paths named inside log files (projector configs and the like), kept inside the
directory that holds them: a log file must never make the server read anything else."""

from __future__ import annotations

import os
import posixpath
import re

from fsspec.implementations.local import LocalFileSystem

from flowscope.io.files import Location

_DRIVE = re.compile(r"^[A-Za-z]:/")


class PathOutsideError(ValueError):
    """A path from a log file that points outside the directory it must stay in."""


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def contained_path(location: Location, directory: str, named: str) -> str:
    """The path ``named`` (by a file in ``directory``) resolves to; a `PathOutsideError`
    unless it stays inside ``directory`` after normalisation and, on a local disk,
    after following symlinks. Relative paths are taken from ``directory``; absolute
    ones are accepted only when they already point inside it. Windows separators count
    as separators."""
    if "\x00" in named:
        raise PathOutsideError(f"path {named!r} contains a NUL character")
    slashed = named.replace("\\", "/")
    absolute = slashed.startswith("/") or bool(_DRIVE.match(slashed))
    base = posixpath.normpath(directory)
    path = posixpath.normpath(slashed if absolute else posixpath.join(base, slashed))
    if not _inside(path, base):
        raise PathOutsideError(f"path {named!r} points outside its directory")
    if isinstance(location.fs, LocalFileSystem):
        real_base = os.path.realpath(base)
        real = os.path.realpath(path)
        if not (real == real_base or real.startswith(real_base.rstrip(os.sep) + os.sep)):
            raise PathOutsideError(f"path {named!r} leads outside its directory through a link")
    return path
