"""Headless Chromium as the tests and benchmarks start it: Debian's ``/usr/bin/chromium``
driven by playwright (never a downloaded browser)."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The built web app, which the browser tests need.
STATIC = Path(__file__).resolve().parents[2] / "src" / "flowscope" / "web" / "static" / "index.html"
VIEWPORT = {"width": 1400, "height": 900}
