"""The ``flowscope`` command: help, version, bad arguments, serving and Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx
import pytest

import flowscope
from tests.support import server_logs
from tests.support.servers import wait_until

COMMAND = [sys.executable, "-m", "flowscope.cli.main"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_help_lists_the_options_and_subcommands():
    result = run("--help")
    assert result.returncode == 0
    for option in (
        "--logdir",
        "--port",
        "--host",
        "--reload_interval",
        "--samples_per_plugin",
        "demo",
    ):
        assert option in result.stdout


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"flowscope {flowscope.__version__}"


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "--logdir is required"),
        (["--logdir", "x", "--samples_per_plugin", "images"], "bad --samples_per_plugin"),
        (["--logdir", "x", "--port", "70000"], "--port must be"),
        (["--logdir", "x", "--port", "abc"], "invalid int value"),
        (["--logdir", "a:/x,/y"], "NAME:PATH"),
    ],
)
def test_bad_arguments_exit_2_with_one_clear_line(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_exits_1(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("--logdir", str(tmp_path), "--port", str(port), "--no_cache")
    assert result.returncode == 1
    assert f"port {port}" in result.stderr and "in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serves_prints_the_url_and_stops_on_ctrl_c(tmp_path):
    server_logs.write_tensorboard_run(str(tmp_path))
    process = subprocess.Popen(
        [
            *COMMAND,
            "--logdir",
            str(tmp_path),
            "--port",
            "0",
            "--reload_interval",
            "0",
            "--no_cache",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0].rstrip("/")
        wait_until(lambda: httpx.get(f"{url}/data/runs").json() == ["tb"], 30, "the run")
        with httpx.stream("GET", f"{url}/api/events", timeout=10) as stream:
            next(stream.iter_lines())
            process.send_signal(signal.SIGINT)
            assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
