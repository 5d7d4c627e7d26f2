"""``flowscope cache --list`` / ``--clear``: the logdir caches that make restarts fast."""

from __future__ import annotations

import argparse
import time

from flowscope.data.cache import cache_files, default_directory


def add_arguments(parser: argparse.ArgumentParser) -> None:
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="list the cached logdirs")
    action.add_argument("--clear", action="store_true", help="remove every cached logdir")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    directory = default_directory()
    files = cache_files(directory)
    total = _mib(sum(c.size for c in files))
    if args.clear:
        for cached in files:
            cached.path.unlink(missing_ok=True)
        print(f"removed {len(files)} cache files ({total}) from {directory}")
        return
    print(f"{directory}: {len(files)} cache files, {total}")
    for cached in reversed(files):  # most recently used first
        used = time.strftime("%Y-%m-%d %H:%M", time.localtime(cached.last_used))
        what = cached.spec if cached.current else f"{cached.spec or '?'} (an older format)"
        print(f"{_mib(cached.size):>10}  {used}  {what}")


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"
