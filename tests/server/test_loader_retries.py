"""While the logdir cannot be listed, the loader waits twice as long after each failed
reload (up to a limit), also when it was told to load only once."""

from __future__ import annotations

import flowscope
from flowscope.server.changes import ChangeFeed
from flowscope.server.loader import RETRY_MAX_SECONDS, Loader


def waits(loader: Loader, count: int) -> list[float | None]:
    result = []
    for _ in range(count):
        loader.logdir.reload()
        result.append(loader._next_wait())
    return result


def test_failed_reloads_back_off_and_a_success_resets_the_wait(tmp_path):
    logdir = flowscope.Logdir(str(tmp_path / "later"), load=False)
    loader = Loader(logdir, 0.5, ChangeFeed())
    limit = RETRY_MAX_SECONDS
    assert waits(loader, 9) == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, limit, limit]
    (tmp_path / "later").mkdir()
    assert waits(loader, 2) == [0.5, 0.5]


def test_loading_once_retries_until_the_logdir_can_be_listed(tmp_path):
    logdir = flowscope.Logdir(str(tmp_path / "later"), load=False)
    loader = Loader(logdir, 0, ChangeFeed())
    assert waits(loader, 3) == [1.0, 2.0, 4.0]
    (tmp_path / "later").mkdir()
    assert waits(loader, 1) == [None]


def test_a_reload_interval_longer_than_the_limit_is_kept(tmp_path):
    loader = Loader(flowscope.Logdir(str(tmp_path / "later"), load=False), 600, ChangeFeed())
    assert waits(loader, 2) == [600, 600]
