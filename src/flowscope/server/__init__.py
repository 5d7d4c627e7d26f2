"""The HTTP server: TensorBoard-compatible data routes and flowscope's own API."""

from flowscope.server.app import create_app

__all__ = ["create_app"]
