"""The real names a mistyped node name probably meant: torch's module names carry the
attribute in brackets (``BertEncoder[encoder]``), which people leave out."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

BRACKETS = re.compile(r"\[[^\]]*\]")
SUGGESTIONS = 3


def _plain(name: str) -> str:
    """``BertModel/BertEncoder[encoder]`` as ``bertmodel/bertencoder``."""
    return BRACKETS.sub("", name).lower()


def closest_names(name: str, names: Iterable[str], limit: int = SUGGESTIONS) -> list[str]:
    """Names equal to ``name`` but for case and bracketed attributes, else the most similar
    names as deep as ``name`` (as many path components)."""
    wanted = _plain(name)
    depth = name.count("/")
    same_depth = [n for n in names if n and n.count("/") == depth]
    exact = sorted(n for n in same_depth if _plain(n) == wanted)
    if exact:
        return exact[:limit]
    by_lower: dict[str, str] = {}
    for n in same_depth:
        by_lower.setdefault(n.lower(), n)
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=limit, cutoff=0.6)
    return [by_lower[c] for c in close]


def unknown_node_message(name: str, names: Iterable[str]) -> str:
    """``no node named 'x'``, with the closest real names when there are some."""
    found = closest_names(name, names)
    hint = f"; did you mean {' or '.join(repr(n) for n in found)}?" if found else ""
    return f"no node named {name!r}{hint}"
