"""Suggestions for a node name that does not exist: the names a user most likely meant.

torch's module names carry the attribute in brackets (``BertEncoder[encoder]``), which
people leave out, and people give a scope without its parents (``conv1_bn``)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

SUGGESTIONS = 5
BRACKETS = re.compile(r"\[[^\]]*\]")


def _plain(name: str) -> str:
    """``BertModel/BertEncoder[encoder]`` as ``bertmodel/bertencoder``."""
    return BRACKETS.sub("", name).lower()


def closest_names(name: str, names: Iterable[str], count: int = SUGGESTIONS) -> list[str]:
    """Names equal to ``name`` but for case and bracketed attributes first, then names
    ending in ``/name`` (shortest first), then the names that read most alike, whole or
    by their last part."""
    known = [n for n in names if n]
    wanted = _plain(name)
    exact = sorted(n for n in known if _plain(n) == wanted)
    tail = "/" + name.strip("/")
    scoped = sorted((n for n in known if n.endswith(tail)), key=lambda n: (len(n), n))
    alike = difflib.get_close_matches(name, known, n=count, cutoff=0.6)
    by_last: dict[str, list[str]] = {}
    for full in known:
        by_last.setdefault(full.rsplit("/", 1)[-1], []).append(full)
    last = name.rsplit("/", 1)[-1]
    near = difflib.get_close_matches(last, by_last, n=count, cutoff=0.6)
    by_part = [full for part in near for full in sorted(by_last[part], key=len)]
    return list(dict.fromkeys([*exact, *scoped, *alike, *by_part]))[:count]


def unknown_name_message(name: str, names: Iterable[str]) -> str:
    """``no node named 'x'`` with the closest names, if any."""
    close = closest_names(name, names)
    hint = f"; did you mean {', '.join(repr(n) for n in close)}?" if close else ""
    return f"no node named {name!r}{hint}"
