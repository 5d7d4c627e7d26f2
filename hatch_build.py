"""Builds the browser app (web/, TypeScript + Vite) into src/flowscope/web/static
whenever the Python package is built or installed, so the wheel ships it. This needs
Node.js and npm; without them the build stops with a message saying what to do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MIN_NODE = (20, 19)  # what Vite 7 needs
SKIP_VARIABLE = "FLOWSCOPE_SKIP_WEB_BUILD"


class WebAppBuildError(RuntimeError):
    """The web app cannot be built; the message says why and what to do."""


def missing_node_message(found: str | None) -> str:
    why = f"Node.js {found} is too old" if found else "Node.js and npm are not on the PATH"
    need = ".".join(map(str, MIN_NODE))
    return (
        f"flowscope's web app (web/) is built from source with Node.js {need} or newer and npm, "
        f"but {why}. Install Node.js (https://nodejs.org) and try again, "
        f"or install a released wheel (pip install flowscope), "
        f"or set {SKIP_VARIABLE}=1 to install without the web app "
        "(the server then shows a page listing its data routes)."
    )


def node_version(node: str) -> tuple[int, ...] | None:
    """``node --version`` as numbers, or None when it cannot be read."""
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.match(r"v?(\d+)\.(\d+)", out.strip())
    return tuple(int(part) for part in match.groups()) if match else None


def find_npm() -> str:
    """npm's path, once Node.js is known to be new enough; else a WebAppBuildError."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        raise WebAppBuildError(missing_node_message(None))
    version = node_version(node)
    if version is None or version < MIN_NODE:
        found = ".".join(map(str, version)) if version else "of an unknown version"
        raise WebAppBuildError(missing_node_message(found))
    return npm


class WebAppBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        web = Path(self.root) / "web"
        static = Path(self.root) / "src" / "flowscope" / "web" / "static"
        if os.environ.get(SKIP_VARIABLE) or not (web / "package.json").exists():
            return
        npm = find_npm()
        if not (web / "node_modules").exists():
            self.app.display_info("flowscope: installing the web app's npm packages (web/)…")
            subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=web, check=True)
        self.app.display_info(
            "flowscope: building the web app with npm (TypeScript check and Vite bundle, "
            "about a minute)…"
        )
        subprocess.run([npm, "run", "build"], cwd=web, check=True)
        if not (static / "index.html").exists():
            raise WebAppBuildError(f"the web app build did not produce {static / 'index.html'}")
        self.app.display_info(f"flowscope: web app built into {static}")
