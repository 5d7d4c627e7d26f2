"""Walking a local directory tree, following symbolic links as TensorBoard does.

Each real directory is listed once: the directories of the tree itself first, then
those reached through links, so a link to a directory already listed (a loop, or a
second name for it) is not followed again. Links that cannot be followed are
reported as problems, one line each, rather than raised.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

DirKey = tuple[int, int]  # (device, inode) of a directory


@dataclass
class Walk:
    """What `walk` found: the matching files with their `os.stat`, and the problems."""

    files: dict[str, os.stat_result] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # path -> one-line message


@dataclass(frozen=True)
class _Pending:
    path: str
    ancestors: tuple[DirKey, ...]  # the directories above it on this walk


def walk(root: str, wanted: Callable[[str], bool]) -> Walk:
    """The files under ``root`` whose base name is ``wanted``; paths use ``/``. Raises
    `OSError` (`FileNotFoundError` when it does not exist) when ``root`` cannot be listed."""
    walker = _Walker(wanted)
    walker.list_root(root)
    walker.list_the_rest()
    return walker.found


class _Walker:
    def __init__(self, wanted: Callable[[str], bool]) -> None:
        self.wanted = wanted
        self.found = Walk()
        self.listed: set[DirKey] = set()
        self.real: deque[_Pending] = deque()
        self.linked: deque[_Pending] = deque()

    def list_root(self, root: str) -> None:
        info = os.stat(root)
        key = (info.st_dev, info.st_ino)
        self.listed.add(key)
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        self._take(root, entries, (key,))

    def list_the_rest(self) -> None:
        while self.real or self.linked:
            pending = self.real.popleft() if self.real else self.linked.popleft()
            try:
                info = os.stat(pending.path)
                key = (info.st_dev, info.st_ino)
                if key in pending.ancestors:
                    target = os.path.realpath(pending.path)
                    self.found.problems[pending.path] = (
                        f"{pending.path} is a symbolic link to {target}, which contains it: "
                        "a loop, not followed"
                    )
                    continue
                if key in self.listed:
                    log.debug("%s leads to a directory already listed", pending.path)
                    continue
                self.listed.add(key)
                with os.scandir(pending.path) as scan:
                    entries = sorted(scan, key=lambda entry: entry.name)
            except FileNotFoundError:
                continue  # removed meanwhile
            except OSError as err:
                self.found.problems[pending.path] = f"cannot list {pending.path}: {err.strerror}"
                continue
            self._take(pending.path, entries, pending.ancestors + (key,))

    def _take(
        self, directory: str, entries: list[os.DirEntry[str]], ancestors: tuple[DirKey, ...]
    ) -> None:
        for entry in entries:
            path = posixpath.join(directory, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    self.real.append(_Pending(path, ancestors))
                elif entry.is_symlink():
                    self._follow(entry, path, ancestors)
                elif entry.is_file(follow_symlinks=False) and self.wanted(entry.name):
                    self.found.files[path] = entry.stat()
            except FileNotFoundError:
                continue  # removed meanwhile
            except OSError as err:
                self.found.problems[path] = f"cannot read {path}: {err.strerror}"

    def _follow(self, entry: os.DirEntry[str], path: str, ancestors: tuple[DirKey, ...]) -> None:
        try:
            target = entry.stat()
        except OSError as err:
            self.found.problems[path] = (
                f"{path} is a symbolic link to {os.readlink(path)} that cannot be followed: "
                f"{err.strerror}"
            )
            return
        if entry.is_dir():
            self.linked.append(_Pending(path, ancestors))
        elif self.wanted(entry.name):
            self.found.files[path] = target
