"""Background loading: one thread reloads the logdir, another announces what changed."""

from __future__ import annotations

import logging
import threading
import time

from flowscope.data.logdir import Logdir
from flowscope.server.changes import ChangeFeed

log = logging.getLogger(__name__)

ANNOUNCE_INTERVAL = 1.0  # seconds between change notices while a long load goes on
CACHE_SAVE_INTERVAL = 300.0  # seconds between cache saves while reloads keep changing things
RETRY_FIRST_SECONDS = 1.0  # the first wait after a failed reload when reload_interval is 0
RETRY_MAX_SECONDS = 60.0  # the longest wait between retries (unless reload_interval is longer)


class Loader:
    """Loads the logdir in the background, then reloads it every ``reload_interval``
    seconds (0 loads once). Requests are answered meanwhile: runs appear as they load.

    When the logdir has a cache, it is saved after the first load, then at most every
    `CACHE_SAVE_INTERVAL` while things change, and on `stop`.

    While the logdir cannot be listed (`Logdir.error`), the wait between reloads doubles
    after each failure, up to `RETRY_MAX_SECONDS`; they are retried also when
    ``reload_interval`` is 0.

    A watcher compares run versions at most every `ANNOUNCE_INTERVAL` and right after
    each reload, and publishes ``{generation, runs, loading, error}`` when something changed.
    """

    def __init__(self, logdir: Logdir, reload_interval: float, feed: ChangeFeed) -> None:
        self.logdir = logdir
        self.reload_interval = reload_interval
        self.feed = feed
        self.loading = True
        self.reloads = 0
        self.failed_reloads = 0  # in a row, while the logdir cannot be listed
        self.first_load_seconds: float | None = None
        self._stop = threading.Event()
        self._poke = threading.Event()
        self._threads: list[threading.Thread] = []
        self._versions: dict[str, int] = {}
        self._saved_generation = logdir.generation
        self._saved_at = 0.0

    def start(self) -> None:
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._reload_loop, name="flowscope-loader", daemon=True),
            threading.Thread(target=self._watch_loop, name="flowscope-watcher", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._poke.set()
        for thread in self._threads:
            thread.join(timeout)
        self._save_cache()

    def _reload_loop(self) -> None:
        started = time.monotonic()
        while not self._stop.is_set():
            try:
                self.logdir.reload()
            except Exception:
                log.exception("reloading %s failed; will retry", self.logdir.spec)
            self.reloads += 1
            if self.loading:
                self.first_load_seconds = time.monotonic() - started
                log.info("loaded %s in %.2f s", self.logdir.spec, self.first_load_seconds)
                self.loading = False
                self._report_missing_data()
                self._poke.set()
                self._save_cache()
            elif time.monotonic() - self._saved_at > CACHE_SAVE_INTERVAL:
                self._save_cache()
            self._poke.set()
            wait = self._next_wait()
            if wait is None or self._stop.wait(wait):
                return

    def _report_missing_data(self) -> None:
        """Says on the console why there is nothing to show when the logdir can be listed
        but holds no event files (a logdir that cannot be listed is reported as it fails)."""
        if self.logdir.runs or self.logdir.error is not None or not self.logdir.problems:
            return
        again = (
            f"; it is read again every {self.reload_interval:g} s"
            if self.reload_interval > 0
            else ""
        )
        log.warning("no data to show: %s%s", "; ".join(self.logdir.problems), again)

    def _next_wait(self) -> float | None:
        """Seconds until the next reload; None when there is none."""
        if self.logdir.error is None:
            self.failed_reloads = 0
            return self.reload_interval if self.reload_interval > 0 else None
        self.failed_reloads += 1
        first = self.reload_interval if self.reload_interval > 0 else RETRY_FIRST_SECONDS
        backoff = first * 2 ** min(self.failed_reloads - 1, 16)
        return min(backoff, max(first, RETRY_MAX_SECONDS))

    def _save_cache(self) -> None:
        if self.logdir.cache is None or self.logdir.generation == self._saved_generation:
            return
        try:
            self.logdir.save_cache()
        except Exception:
            log.exception("saving the cache of %s failed", self.logdir.spec)
        self._saved_generation = self.logdir.generation
        self._saved_at = time.monotonic()

    def _watch_loop(self) -> None:
        announced: tuple[int, bool, str | None] | None = None
        while not self._stop.is_set():
            self._poke.wait(ANNOUNCE_INTERVAL)
            self._poke.clear()
            state = (self.logdir.generation, self.loading, self.logdir.error)
            changed = self._changed_runs()
            if changed or state != announced:
                announced = state
                generation, loading, error = state
                self.feed.publish(
                    {"generation": generation, "runs": changed, "loading": loading, "error": error}
                )

    def _changed_runs(self) -> list[str]:
        versions = {name: run.version for name, run in dict(self.logdir.runs).items()}
        changed = [
            name for name, version in versions.items() if self._versions.get(name) != version
        ]
        self._versions = versions
        return changed
