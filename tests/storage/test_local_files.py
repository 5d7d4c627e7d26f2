"""Local event files that change under a reader: re-created at the same path (smaller,
or rewritten), grown in place, reached through symbolic links (followed, but never
round a loop), dangling links (reported once), and a cache that outlived its files."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

import flowscope
from tests.support.event_bytes import growing_file, scalar_file

NAME = "events.out.tfevents.1.host"


def recreate(path, data: bytes) -> None:
    """Writes a new file and moves it over ``path``, as a copy or a sync tool does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp-upload")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def test_a_file_recreated_smaller_is_read_again(tmp_path, caplog):
    path = tmp_path / "run" / NAME
    recreate(path, scalar_file(range(100)))
    logdir = flowscope.Logdir(str(tmp_path))
    assert len(logdir.scalars()) == 100

    path.unlink()
    path.write_bytes(scalar_file(range(100, 200), scale=0.5)[:-1000])  # truncated mid-way too
    with caplog.at_level(logging.WARNING):
        assert logdir.reload()
    frame = logdir.scalars()
    assert len(frame) > 0
    assert frame["step"].tolist() == list(range(100, 100 + len(frame)))
    assert frame["value"].tolist() == [step * 0.5 for step in frame["step"]]
    assert f"event file {path} shrank" in caplog.text


def test_a_file_rewritten_with_other_content_of_the_same_or_larger_size_is_read_again(tmp_path):
    path = tmp_path / "run" / NAME
    recreate(path, scalar_file(range(50)))
    logdir = flowscope.Logdir(str(tmp_path))
    for scale, count in ((2.0, 50), (3.0, 80)):
        recreate(path, scalar_file(range(count), scale=scale))
        assert logdir.reload()
        frame = logdir.scalars()
        assert frame["step"].tolist() == list(range(count)), "no point twice, none lost"
        assert frame["value"].tolist() == [step * scale for step in range(count)]


def test_a_rewritten_file_rereads_its_whole_run_without_duplicates(tmp_path):
    older = tmp_path / "run" / "events.out.tfevents.1.a"
    newer = tmp_path / "run" / "events.out.tfevents.2.b"
    recreate(older, scalar_file(range(10)))
    recreate(newer, scalar_file(range(10, 20)))
    logdir = flowscope.Logdir(str(tmp_path))
    recreate(newer, scalar_file(range(10, 15), scale=-1.0))
    assert logdir.reload()
    frame = logdir.scalars()
    assert frame["step"].tolist() == list(range(15))
    assert frame["value"].tolist() == [*range(10), *(-step for step in range(10, 15))]


def test_a_file_growing_in_place_is_read_on_not_again(tmp_path, caplog):
    path = tmp_path / "run" / NAME
    early, grown = growing_file(range(10), range(10, 40))
    recreate(path, early)
    logdir = flowscope.Logdir(str(tmp_path))
    run = logdir.runs["run"]
    with open(path, "ab") as f:
        f.write(grown[len(early):])
    with caplog.at_level(logging.WARNING):
        assert logdir.reload()
    assert logdir.runs["run"] is run
    assert logdir.scalars()["step"].tolist() == list(range(40))
    assert not caplog.records


def test_a_cache_restored_after_a_file_was_rewritten_reads_it_again(tmp_path):
    logs, cache = tmp_path / "logs", tmp_path / "cache"
    path = logs / "run" / NAME
    recreate(path, scalar_file(range(20)))
    flowscope.Logdir(str(logs), cache=cache)
    recreate(path, scalar_file(range(30), scale=4.0))  # larger: the size alone does not tell
    restored = flowscope.Logdir(str(logs), cache=cache)
    assert restored.scalars()["value"].tolist() == [step * 4.0 for step in range(30)]


def test_a_run_deleted_while_the_cache_was_kept_is_dropped(tmp_path):
    logs, cache = tmp_path / "logs", tmp_path / "cache"
    recreate(logs / "run" / NAME, scalar_file(range(20)))
    recreate(logs / "gone" / NAME, scalar_file(range(3)))
    flowscope.Logdir(str(logs), cache=cache)
    shutil.rmtree(logs / "gone")
    restored = flowscope.Logdir(str(logs), cache=cache)
    assert restored.run_names() == ["run"], "as a start without the cache shows it"
    assert len(restored.scalars()) == 20


# ---- symbolic links ----


def test_a_symlinked_run_directory_is_followed(tmp_path):
    logs, elsewhere = tmp_path / "logs", tmp_path / "elsewhere" / "exp1"
    recreate(elsewhere / NAME, scalar_file(range(5)))
    recreate(logs / "local" / NAME, scalar_file(range(3)))
    logs.joinpath("linked").symlink_to(elsewhere, target_is_directory=True)
    logdir = flowscope.Logdir(str(logs))
    assert logdir.run_names() == ["linked", "local"]
    assert logdir.scalars(run="linked")["step"].tolist() == list(range(5))

    recreate(elsewhere / "events.out.tfevents.2.host", scalar_file(range(5, 8)))
    assert logdir.reload()
    assert logdir.scalars(run="linked")["step"].tolist() == list(range(8))


def test_a_symlinked_logdir_and_event_file_are_followed(tmp_path):
    real = tmp_path / "real"
    recreate(real / "run" / NAME, scalar_file(range(4)))
    recreate(tmp_path / "files" / "some.bin", scalar_file(range(6)))
    (real / "run" / "events.out.tfevents.2.host").symlink_to(tmp_path / "files" / "some.bin")
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    logdir = flowscope.Logdir(str(tmp_path / "alias"))
    assert logdir.run_names() == ["run"]
    assert len(logdir.scalars()) == 10


def test_a_symlink_loop_is_not_followed_and_reported_once(tmp_path, caplog):
    logs = tmp_path / "logs"
    recreate(logs / "run" / NAME, scalar_file(range(3)))
    (logs / "run" / "up").symlink_to(logs, target_is_directory=True)
    (logs / "self").symlink_to(logs / "self")  # a link to itself: the system cannot follow it
    with caplog.at_level(logging.WARNING):
        logdir = flowscope.Logdir(str(logs))
        for _ in range(3):
            logdir.reload()
    assert logdir.run_names() == ["run"]
    assert len(logdir.scalars()) == 3
    loops = [r.getMessage() for r in caplog.records if "up is a symbolic link" in r.getMessage()]
    up = logs / "run" / "up"
    assert loops == [f"{up} is a symbolic link to {logs}, which contains it: a loop, not followed"]
    assert sum("self is a symbolic link" in r.getMessage() for r in caplog.records) == 1


def test_two_links_to_one_directory_make_one_run(tmp_path):
    logs, target = tmp_path / "logs", tmp_path / "target"
    recreate(target / NAME, scalar_file(range(3)))
    recreate(logs / "real" / NAME, scalar_file(range(2)))
    (logs / "a").symlink_to(target, target_is_directory=True)
    (logs / "b").symlink_to(target, target_is_directory=True)
    (logs / "c").symlink_to(logs / "real", target_is_directory=True)
    logdir = flowscope.Logdir(str(logs))
    assert logdir.run_names() == ["a", "real"], "each directory is read once, by its own name first"
    assert len(logdir.scalars()) == 5


@pytest.mark.parametrize("name", [NAME, "run_dir"])
def test_a_dangling_link_is_reported_once(tmp_path, caplog, name):
    logs = tmp_path / "logs"
    recreate(logs / "run" / NAME, scalar_file(range(3)))
    (logs / name).symlink_to(tmp_path / "missing")
    with caplog.at_level(logging.WARNING):
        logdir = flowscope.Logdir(str(logs))
        for _ in range(3):
            logdir.reload()
    dangling = f"{logs / name} is a symbolic link to {tmp_path / 'missing'} that cannot be followed"
    assert [r.getMessage() for r in caplog.records] == [f"{dangling}: No such file or directory"]
    assert logdir.run_names() == ["run"]

    target = tmp_path / "missing"
    recreate(target if name == NAME else target / NAME, scalar_file(range(2)))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        logdir.reload()  # fixed
        assert not caplog.records
        assert len(logdir.scalars()) == 5
        shutil.rmtree(target) if target.is_dir() else target.unlink()
        logdir.reload()  # and broken again: told again
    assert sum("that cannot be followed" in r.getMessage() for r in caplog.records) == 1
