"""Listening sockets for the server, made so that its answers leave at once."""

from __future__ import annotations

import socket


def tcp_socket(family: int = socket.AF_INET) -> socket.socket:
    """A TCP socket with Nagle's algorithm off, for it and the connections it accepts.

    asyncio turns it off (``TCP_NODELAY``) only on sockets made with ``IPPROTO_TCP``;
    left on, an answer written in two parts waits for the client's delayed ACK, some
    40 ms on every keep-alive request."""
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock
