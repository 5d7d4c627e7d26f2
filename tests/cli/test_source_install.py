"""A source install builds the web app with Node.js: without Node (or with one too old)
the build stops with a message saying what to do, and a build says what it is doing."""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture
def hatch_build():
    pytest.importorskip("hatchling")
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["hatch_build"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["hatch_build"]


class Messages:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def display_info(self, message: str) -> None:
        self.lines.append(message)


def hook(module, root: Path):
    messages = Messages()
    build = module.WebAppBuildHook(str(root), {}, None, None, str(root / "dist"), "wheel", messages)
    return build, messages


def fake_tool(directory: Path, name: str, script: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def source_tree(tmp_path: Path) -> Path:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package.json").write_text("{}")
    return tmp_path


def test_without_node_the_message_says_what_to_do(hatch_build, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv("FLOWSCOPE_SKIP_WEB_BUILD", raising=False)
    build, _ = hook(hatch_build, source_tree(tmp_path))
    with pytest.raises(hatch_build.WebAppBuildError) as raised:
        build.initialize("standard", {})
    message = str(raised.value)
    for hint in (
        "Node.js 20.19 or newer",
        "https://nodejs.org",
        "FLOWSCOPE_SKIP_WEB_BUILD=1",
        "pip install flowscope",
    ):
        assert hint in message


def test_too_old_a_node_is_named(hatch_build, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "node", "echo v16.20.2")
    fake_tool(bin_dir, "npm", "exit 0")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("FLOWSCOPE_SKIP_WEB_BUILD", raising=False)
    build, _ = hook(hatch_build, source_tree(tmp_path))
    with pytest.raises(hatch_build.WebAppBuildError, match="Node.js 16.20 is too old"):
        build.initialize("standard", {})


def test_a_build_says_what_it_is_doing(hatch_build, tmp_path, monkeypatch):
    root = source_tree(tmp_path)
    (root / "web" / "node_modules").mkdir()
    static = root / "src" / "flowscope" / "web" / "static"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "node", "echo v20.19.0")
    fake_tool(bin_dir, "npm", f"mkdir -p {static} && touch {static}/index.html")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    monkeypatch.delenv("FLOWSCOPE_SKIP_WEB_BUILD", raising=False)
    build, messages = hook(hatch_build, root)
    build.initialize("standard", {})
    assert any("building the web app with npm" in line for line in messages.lines)
    assert any("web app built into" in line for line in messages.lines)
