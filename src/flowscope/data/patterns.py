"""Regular expressions from untrusted hands, matched at a bounded cost.

A pattern such as ``(a|aa)+$`` takes exponential time on some strings. Patterns that
come from an HTTP request (or that a program passes on from one) are compiled with the
`regex` package, whose matching takes a timeout and lets other threads run, and all the
strings one request matches share one budget of CPU time.
"""

from __future__ import annotations

import time

import regex

SECONDS = 1.0
MAX_LENGTH = 1000


class PatternError(ValueError):
    """A pattern refused: too long, not valid, or too slow to match."""


class PatternTooSlow(PatternError):
    """Matching a pattern took longer than its time budget."""


def compile_pattern(
    text: str, *, ignore_case: bool = False, literal_fallback: bool = False
) -> regex.Pattern:
    """``text`` compiled; a `PatternError` for a pattern that is too long, or not a
    valid one unless ``literal_fallback`` (then it matches as plain text)."""
    if len(text) > MAX_LENGTH:
        raise PatternError(f"patterns are limited to {MAX_LENGTH} characters")
    flags = regex.IGNORECASE if ignore_case else 0
    try:
        return regex.compile(text, flags)
    except regex.error as err:
        if not literal_fallback:
            raise PatternError(f"bad pattern {text!r}: {err}") from None
        return regex.compile(regex.escape(text), flags)


class Matcher:
    """A pattern and one budget of CPU time for every string one thread searches with
    it; the budget starts when the matcher is made. CPU time, not wall time: a
    thread that waits for the GIL on a busy server spends none of it."""

    def __init__(self, pattern: regex.Pattern, seconds: float = SECONDS) -> None:
        self.pattern = pattern
        self.seconds = seconds
        self.started = time.thread_time()

    def search(self, text: str) -> bool:
        """Whether the pattern occurs in ``text``; a `PatternTooSlow` once the budget is spent."""
        remaining = self.seconds - (time.thread_time() - self.started)
        try:
            if remaining <= 0:
                raise TimeoutError
            return self.pattern.search(text, timeout=remaining) is not None
        except TimeoutError:
            raise PatternTooSlow(
                f"pattern {self.pattern.pattern!r} is too slow: matching took more than "
                f"{self.seconds:g} s"
            ) from None
