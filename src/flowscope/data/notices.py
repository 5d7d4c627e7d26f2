"""Messages about lasting conditions, logged once rather than on every reload."""

from __future__ import annotations

import logging
from collections.abc import Hashable


class Notices:
    """Logs a condition's message when it first shows and again only when its message
    changes, or when it comes back after it was gone.

    Each reload calls `begin`, then `show` for every condition it still sees, then `end`.
    """

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._shown: dict[Hashable, str] = {}
        self._seen: set[Hashable] = set()

    def begin(self) -> None:
        self._seen = set()

    def show(self, key: Hashable, message: str, level: int = logging.WARNING) -> None:
        self._seen.add(key)
        if self._shown.get(key) != message:
            self._shown[key] = message
            self._log.log(level, "%s", message)

    def end(self) -> None:
        """Forgets the conditions not seen since `begin`."""
        self._shown = {key: message for key, message in self._shown.items() if key in self._seen}
