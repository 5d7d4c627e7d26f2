"""Builds the browser app (web/, TypeScript + Vite) into src/flowscope/web/static
whenever the Python package is built or installed, so the wheel ships it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class WebAppBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        web = Path(self.root) / "web"
        static = Path(self.root) / "src" / "flowscope" / "web" / "static"
        if os.environ.get("FLOWSCOPE_SKIP_WEB_BUILD") or not (web / "package.json").exists():
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("building flowscope's web app needs Node.js and npm on the PATH")
        if not (web / "node_modules").exists():
            subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=web, check=True)
        subprocess.run([npm, "run", "build"], cwd=web, check=True)
        if not (static / "index.html").exists():
            raise RuntimeError(f"the web app build did not produce {static / 'index.html'}")
