"""Requests sent over a bare socket, for what HTTP clients do not let a test do:
streaming a huge chunked body and stopping as soon as the server answers."""

from __future__ import annotations

import select
import socket
import urllib.parse

CHUNK = 1 << 20


def stream_until_answered(url: str, path: str, most: int) -> tuple[int, int]:
    """POSTs up to ``most`` bytes to ``path`` with chunked transfer encoding, a MiB at a
    time, stopping when the server answers; returns (status, bytes sent)."""
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: text/plain\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n"
    sent = 0
    try:
        sock.sendall(head.encode())
        while sent < most:
            readable, writable, _ = select.select([sock], [sock], [], 30)
            if readable:
                break
            if writable:
                try:
                    sock.sendall(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += CHUNK
        answer = read_answer(sock)
    finally:
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, sent


def read_answer(sock: socket.socket) -> bytes:
    """What the server sends until it closes the connection (or resets it)."""
    parts = []
    try:
        while part := sock.recv(65536):
            parts.append(part)
    except ConnectionResetError:
        pass
    return b"".join(parts)
