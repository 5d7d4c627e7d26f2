"""Suggestions for a node name that does not exist: the names a user most likely meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

SUGGESTIONS = 5


def closest_names(name: str, names: Iterable[str], count: int = SUGGESTIONS) -> list[str]:
    """Names ending in ``/name`` (a scope given without its parents) first, shortest first,
    then the names that read most alike, whole or by their last part."""
    known = list(names)
    tail = "/" + name.strip("/")
    scoped = sorted((n for n in known if n.endswith(tail)), key=lambda n: (len(n), n))
    alike = difflib.get_close_matches(name, known, n=count, cutoff=0.6)
    by_last: dict[str, list[str]] = {}
    for full in known:
        by_last.setdefault(full.rsplit("/", 1)[-1], []).append(full)
    last = name.rsplit("/", 1)[-1]
    near = difflib.get_close_matches(last, by_last, n=count, cutoff=0.6)
    by_part = [full for part in near for full in sorted(by_last[part], key=len)]
    return list(dict.fromkeys([*scoped, *alike, *by_part]))[:count]


def unknown_name_message(name: str, names: Iterable[str]) -> str:
    """``no node named 'x'`` with the closest names, if any."""
    close = closest_names(name, names)
    hint = f"; did you mean {', '.join(repr(n) for n in close)}?" if close else ""
    return f"no node named {name!r}{hint}"
