"""Serving a logdir over HTTP until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from types import FrameType

import uvicorn

import flowscope
from flowscope.data.cache import DEFAULT_LIMIT_BYTES
from flowscope.data.logdir import Logdir
from flowscope.data.series import Sampling
from flowscope.server import create_app
from flowscope.server.changes import ChangeFeed

SHUTDOWN_GRACE_SECONDS = 2
DEFAULT_PORT = 6006


class ServeError(Exception):
    """A problem that stops the server from starting, told in one line."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0 picks a free one)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise ServeError(f"cannot resolve host {host!r}: {err.strerror}") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as err:
        sock.close()
        if port and err.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ServeError(
                f"port {port} on {host} is in use; pick another with --port (0 picks a free one)"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def open_logdir(
    spec: str, samples_per_plugin: str | None, cache: bool, workers: int, cache_limit_mb: int
) -> Logdir:
    """The logdir, not yet loaded (the server loads it in the background); a
    ValueError for a bad spec."""
    if spec.startswith("~"):
        spec = os.path.expanduser(spec)
    return Logdir(
        spec,
        samples_per_plugin=samples_per_plugin,
        cache=cache,
        cache_limit_bytes=cache_limit_mb << 20,
        workers=workers,
        load=False,
    )


class _Server(uvicorn.Server):
    """uvicorn's server, ending open event streams at once on Ctrl-C."""

    def __init__(self, config: uvicorn.Config, feed: ChangeFeed) -> None:
        super().__init__(config)
        self.feed = feed

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.feed.close()
        super().handle_exit(sig, frame)


def serve(
    logdir: Logdir, host: str, port: int, reload_interval: float, verbose: bool = False
) -> None:
    """Serves ``logdir`` until interrupted; prints the URL first."""
    sock = bind(host, port)
    app = create_app(logdir, reload_interval)
    config = uvicorn.Config(
        app,
        log_level="info" if verbose else "warning",
        access_log=verbose,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        lifespan="on",
    )
    server = _Server(config, app.state.feed)
    print(
        f"flowscope {flowscope.__version__} serving {logdir.spec} at {url_of(sock)} (press Ctrl-C to quit)",
        flush=True,
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl-C once it has shut down cleanly
    finally:
        sock.close()
    if not server.started:
        raise ServeError("the server failed to start (see the log above)")
    print("flowscope stopped", file=sys.stderr)


def add_server_arguments(parser: argparse.ArgumentParser, logdir_required: bool) -> None:
    """The options every serving command shares."""
    parser.add_argument(
        "--logdir",
        required=logdir_required,
        metavar="DIR",
        help="a directory, an fsspec URL (s3://, gs://, ...) or name:path,name:path",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port (default: %(default)s; 0 picks a free one)",
    )
    parser.add_argument(
        "--reload_interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="seconds between reloads; 0 loads once (default: %(default)s)",
    )
    parser.add_argument(
        "--samples_per_plugin",
        metavar="SPEC",
        help="points kept per series, e.g. images=20,histograms=0 (0 keeps all; scalars keep all by default)",
    )
    parser.add_argument(
        "--load_workers",
        type=int,
        default=1,
        metavar="N",
        help="processes for the first load of big local logdirs (default: %(default)s)",
    )
    parser.add_argument(
        "--no_cache",
        action="store_true",
        help="read the whole logdir on every start: without this, what was read is kept in "
        "~/.cache/flowscope (or $FLOWSCOPE_CACHE_DIR) so a restart reads only what changed",
    )
    parser.add_argument(
        "--cache_limit_mb",
        type=int,
        default=DEFAULT_LIMIT_BYTES >> 20,
        metavar="MB",
        help="the least recently used logdirs leave the cache beyond this size (default: %(default)s)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request and more")


def run_server(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.samples_per_plugin is not None:
        try:
            Sampling.parse(args.samples_per_plugin)
        except ValueError as err:
            parser.error(str(err))
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.reload_interval < 0:
        parser.error("--reload_interval must be 0 or more")
    if args.cache_limit_mb < 0:
        parser.error("--cache_limit_mb must be 0 or more")
    try:
        logdir = open_logdir(
            args.logdir,
            args.samples_per_plugin,
            not args.no_cache,
            max(1, args.load_workers),
            args.cache_limit_mb,
        )
    except ValueError as err:
        parser.error(str(err))
    serve(logdir, args.host, args.port, args.reload_interval, args.verbose)
