"""The logdir cache: its format follows the source of what it pickles, its directory
stays under a size limit (least recently used files go first), and ``flowscope cache``
lists and clears it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import flowscope
from flowscope.cli.main import main
from flowscope.data import cache as logdir_cache
from flowscope.data.cache import PICKLED_PACKAGES, cache_files, source_format
from tests.support.records import file_version_event, scalar_event, write_event_file

PACKAGE = Path(flowscope.__file__).resolve().parent


def write_logs(logdir: Path, points: int = 50) -> Path:
    events = [file_version_event()] + [scalar_event("loss", s, s / 10) for s in range(points)]
    return write_event_file(logdir / "run" / "events.out.tfevents.1.host", events)


def test_the_format_follows_the_source_of_the_pickled_packages(tmp_path):
    for package in PICKLED_PACKAGES:
        shutil.copytree(PACKAGE / package, tmp_path / package)
    assert source_format(tmp_path) == logdir_cache.FORMAT
    run = tmp_path / "data" / "run.py"
    run.write_text(run.read_text().replace("self.version = 0", "self.version = 0\n        self.extra = 1"))
    changed = source_format(tmp_path)
    assert changed != logdir_cache.FORMAT
    (tmp_path / "graph").mkdir()  # a package above the data layer does not count
    (tmp_path / "graph" / "view.py").write_text("x = 1\n")
    assert source_format(tmp_path) == changed


def test_a_cache_of_another_format_is_not_loaded(tmp_path, monkeypatch):
    logs, cache = tmp_path / "logs", tmp_path / "cache"
    write_logs(logs)
    flowscope.Logdir(str(logs), cache=cache)
    monkeypatch.setattr(logdir_cache, "FORMAT", "another")
    restored = flowscope.Logdir(str(logs), cache=cache, load=False)
    assert restored.run_names() == []  # nothing restored: the old file is not read
    (listed,) = cache_files(cache)
    assert not listed.current


def test_least_recently_used_logdirs_leave_a_full_cache(tmp_path):
    cache = tmp_path / "cache"
    for name in ("a", "b"):
        write_logs(tmp_path / name, points=2000)
        flowscope.Logdir(str(tmp_path / name), cache=cache)
    sizes = {c.spec: c.size for c in cache_files(cache)}
    assert set(sizes) == {str(tmp_path / "a"), str(tmp_path / "b")}
    old = cache_files(cache)[0].last_used - 100
    for cached in cache_files(cache):
        os.utime(cached.path, (old, old))
    # Opening a again makes it the most recently used; then c fills the cache.
    assert flowscope.Logdir(str(tmp_path / "a"), cache=cache, load=False).run_names() == ["run"]
    write_logs(tmp_path / "c", points=2000)
    limit = sizes[str(tmp_path / "a")] * 2 + sizes[str(tmp_path / "a")] // 2
    flowscope.Logdir(str(tmp_path / "c"), cache=cache, cache_limit_bytes=limit)
    assert [c.spec for c in cache_files(cache)] == [str(tmp_path / "a"), str(tmp_path / "c")]
    assert sum(c.size for c in cache_files(cache)) <= limit


def test_cache_command_lists_and_clears(tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FLOWSCOPE_CACHE_DIR", str(cache))
    write_logs(tmp_path / "logs")
    flowscope.Logdir(str(tmp_path / "logs"), cache=True)
    (cache / "old.pickle").write_bytes(b"not a cache")
    assert main(["cache", "--list"]) == 0
    out = capsys.readouterr().out
    assert f"{cache}: 2 cache files" in out
    assert str(tmp_path / "logs") in out and "? (an older format)" in out
    assert main(["cache", "--clear"]) == 0
    assert "removed 2 cache files" in capsys.readouterr().out
    assert cache_files(cache) == []


def test_cache_command_needs_an_action(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["cache"])
    assert exit_info.value.code == 2
    assert "one of the arguments --list --clear is required" in capsys.readouterr().err
