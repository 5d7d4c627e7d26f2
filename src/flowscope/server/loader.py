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


class Loader:
    """Loads the logdir in the background, then reloads it every ``reload_interval``
    seconds (0 loads once). Requests are answered meanwhile: runs appear as they load.

    When the logdir has a cache, it is saved after the first load, then at most every
    `CACHE_SAVE_INTERVAL` while things change, and on `stop`.

    A watcher compares run versions at most every `ANNOUNCE_INTERVAL` and right after
    each reload, and publishes ``{generation, runs, loading}`` when something changed.
    """

    def __init__(self, logdir: Logdir, reload_interval: float, feed: ChangeFeed) -> None:
        self.logdir = logdir
        self.reload_interval = reload_interval
        self.feed = feed
        self.loading = True
        self.reloads = 0
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
            if self.reload_interval <= 0 or self._stop.wait(self.reload_interval):
                return

    def _report_missing_data(self) -> None:
        if self.logdir.runs or not self.logdir.problems:
            return
        again = (
            f"; it is read again every {self.reload_interval:g} s"
            if self.reload_interval > 0
            else ""
        )
        log.warning("no data to show: %s%s", "; ".join(self.logdir.problems), again)

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
        announced: tuple[int, bool] | None = None
        while not self._stop.is_set():
            self._poke.wait(ANNOUNCE_INTERVAL)
            self._poke.clear()
            state = (self.logdir.generation, self.loading)
            changed = self._changed_runs()
            if changed or state != announced:
                announced = state
                self.feed.publish({"generation": state[0], "runs": changed, "loading": state[1]})

    def _changed_runs(self) -> list[str]:
        versions = {name: run.version for name, run in dict(self.logdir.runs).items()}
        changed = [
            name for name, version in versions.items() if self._versions.get(name) != version
        ]
        self._versions = versions
        return changed
