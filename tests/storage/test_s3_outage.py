"""An S3 endpoint that cannot be reached: the server starts anyway (serving its cache,
if any), says why in one log line and in its status, retries with backoff, and picks
up the logdir when the endpoint comes back."""

from __future__ import annotations

import httpx

from tests.support.event_bytes import growing_file
from tests.support.flowscope_command import flowscope_command
from tests.support.servers import wait_until

WAIT_SECONDS = 60

KEY = "outage/run/events.out.tfevents.1.host"


def status(url: str) -> dict:
    return httpx.get(f"{url}/api/status", timeout=10).json()


def steps(url: str) -> list[int]:
    query = {"run": "run", "tag": "loss"}
    points = httpx.get(f"{url}/data/plugin/scalars/scalars", params=query).json()
    return [step for _, step, _ in points]


def assert_one_clear_error(log: str, logdir: str) -> None:
    errors = [line for line in log.splitlines() if "cannot list logdir" in line]
    assert len(errors) == 1, log
    assert f"cannot list logdir {logdir}: Could not connect to the endpoint URL" in errors[0]
    assert "Traceback" not in log and "botocore" not in log.replace(errors[0], "")


def test_without_a_cache_the_error_is_shown_once_and_the_logdir_loads_when_back(s3, tmp_path):
    logdir = s3.url("outage")
    s3.stop()
    log = tmp_path / "flowscope.log"
    with flowscope_command(logdir, log, "--no_cache", "--reload_interval", "0.2") as url:
        wait_until(lambda: status(url)["reloads"] >= 4, WAIT_SECONDS, "four failed reloads")
        now = status(url)
        assert now["runs"] == 0
        assert now["error"].startswith(f"cannot list logdir {logdir}: Could not connect")
        assert httpx.get(f"{url}/api/runs").json()["error"] == now["error"]
        assert_one_clear_error(log.read_text(), logdir)

        s3.start()
        s3.put(KEY, growing_file(range(10), [])[0])
        wait_until(lambda: status(url)["runs"] == 1, WAIT_SECONDS, "the run once S3 is back")
        assert status(url)["error"] is None
        assert steps(url) == list(range(10))
        assert "can be listed again" in log.read_text()


def test_with_a_cache_the_server_starts_and_serves_it_while_s3_is_away(s3, tmp_path, monkeypatch):
    logdir = s3.url("outage")
    early, grown = growing_file(range(10), range(10, 30))
    s3.put(KEY, early)
    monkeypatch.setenv("FLOWSCOPE_CACHE_DIR", str(tmp_path / "cache"))
    with flowscope_command(logdir, tmp_path / "first.log", "--reload_interval", "0") as url:
        loaded = lambda: status(url)["runs"] == 1 and not status(url)["loading"]  # noqa: E731
        wait_until(loaded, WAIT_SECONDS, "the first load")
    s3.stop()

    log = tmp_path / "second.log"
    with flowscope_command(logdir, log, "--reload_interval", "0.2") as url:
        wait_until(lambda: status(url)["reloads"] >= 3, WAIT_SECONDS, "three failed reloads")
        assert status(url)["runs"] == 1
        assert status(url)["error"].startswith(f"cannot list logdir {logdir}")
        assert steps(url) == list(range(10)), "the cache is served"
        assert_one_clear_error(log.read_text(), logdir)

        s3.start()
        s3.put(KEY, grown)  # the file went on growing meanwhile
        wait_until(lambda: steps(url) == list(range(30)), WAIT_SECONDS, "the points written since")
        assert status(url)["error"] is None
