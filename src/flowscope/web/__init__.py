"""The browser app: built from ``web/`` by the package build into ``static/``."""

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
