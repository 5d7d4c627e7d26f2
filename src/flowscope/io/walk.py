"""Walking a local directory tree, following symbolic links as TensorBoard does.

Each real directory is listed once: the directories of the tree itself first, then
those reached through links, so a link to a directory already listed (a loop or a
second name for it) is not followed again. Links that cannot be followed are
reported as problems, one line each, rather than raised.
"""

from __future__ import annotations

import logging
import os
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
    """The files under ``root`` whose base name is ``wanted``; raises `FileNotFoundError`
    when ``root`` does not exist."""
    found = Walk()
    listed: set[DirKey] = set()
    real: deque[_Pending] = deque([_Pending(root, ())])
    linked: deque[_Pending] = deque()
    first = True
    while real or linked:
        pending = real.popleft() if real else linked.popleft()
        try:
            info = os.stat(pending.path)
        except OSError as err:
            if first:
                raise
            found.problems[pending.path] = f"cannot open directory {pending.path}: {err.strerror}"
            continue
        key = (info.st_dev, info.st_ino)
        if key in pending.ancestors:
            found.problems[pending.path] = (
                f"{pending.path} is a symbolic link to {os.path.realpath(pending.path)}, which "
                "contains it: a loop, not followed"
            )
            continue
        if key in listed:
            log.debug("%s leads to a directory already listed; not followed", pending.path)
            continue
        listed.add(key)
        _list_directory(pending, pending.ancestors + (key,), wanted, found, real, linked, first)
        first = False
    return found


def _list_directory(
    pending: _Pending,
    ancestors: tuple[DirKey, ...],
    wanted: Callable[[str], bool],
    found: Walk,
    real: deque[_Pending],
    linked: deque[_Pending],
    is_root: bool,
) -> None:
    try:
        with os.scandir(pending.path) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        if is_root:
            raise
        found.problems[pending.path] = f"cannot list directory {pending.path}: {err.strerror}"
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                real.append(_Pending(entry.path, ancestors))
            elif entry.is_symlink():
                _follow_link(entry, ancestors, wanted, found, linked)
            elif entry.is_file(follow_symlinks=False) and wanted(entry.name):
                found.files[entry.path] = entry.stat()
        except OSError as err:  # removed or made unreadable while listing
            found.problems[entry.path] = f"cannot read {entry.path}: {err.strerror}"


def _follow_link(
    entry: os.DirEntry[str],
    ancestors: tuple[DirKey, ...],
    wanted: Callable[[str], bool],
    found: Walk,
    linked: deque[_Pending],
) -> None:
    try:
        target = entry.stat()
    except OSError as err:
        found.problems[entry.path] = (
            f"{entry.path} is a symbolic link to {os.readlink(entry.path)} that cannot be "
            f"followed: {err.strerror}"
        )
        return
    if entry.is_dir():
        linked.append(_Pending(entry.path, ancestors))
    elif wanted(entry.name):
        found.files[entry.path] = target
