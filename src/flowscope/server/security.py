"""What the server lets browsers and clients do: the hosts it answers to, the pages
that may frame it and the largest request body it reads (see SECURITY.md)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field

DEFAULT_MAX_UPLOAD_MB = 256
LOCAL_NAMES = ("localhost",)
ALL_INTERFACES = ("", "0.0.0.0", "::")
ANY_HOST = "*"


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_name(host_header: str) -> str:
    """The name in a ``Host`` header (or an origin's ``host[:port]``): lowercase, no
    port, no IPv6 brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else host


def _named(name: str, entries: frozenset[str] | tuple[str, ...]) -> bool:
    """Whether ``name`` is one of ``entries``, where ``.example.com`` stands for it and
    its subdomains."""
    return any(
        name == entry or (entry.startswith(".") and (name == entry[1:] or name.endswith(entry)))
        for entry in entries
    )


def machine_names() -> tuple[str, ...]:
    """This machine's own names, which a server on all interfaces answers to."""
    return tuple({socket.gethostname().lower(), socket.getfqdn().lower()} - {""})


@dataclass(frozen=True)
class Security:
    """``allowed_hosts``: host names the server answers to besides local names, IP
    addresses and the bind address (``*``: any; ``.example.com``: it and its
    subdomains). ``frame_ancestors``: the CSP source list of pages that may show the
    app in a frame. ``max_upload_bytes``: the largest request body read."""

    bind_host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    frame_ancestors: str = "'self'"
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB << 20
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        if any(char in self.frame_ancestors for char in ";,\r\n") or not self.frame_ancestors:
            raise ValueError(f"frame ancestors must be a CSP source list: {self.frame_ancestors!r}")
        bind = host_name(self.bind_host)
        known = {*LOCAL_NAMES, bind, *(name.lower() for name in self.allowed_hosts)}
        if bind in ALL_INTERFACES:
            known.update(machine_names())
        object.__setattr__(self, "names", frozenset(known - {""}))

    def allows_host(self, host_header: str) -> bool:
        """Whether a request with this ``Host`` is answered: an IP address, a local or
        known name. Refusing other names defeats DNS rebinding."""
        name = host_name(host_header)
        if ANY_HOST in self.names or _is_ip(name) or name.endswith(".localhost"):
            return True
        return _named(name, self.names)

    def allows_origin(self, origin: str, hosts: list[str]) -> bool:
        """Whether a page from ``origin`` may send a state-changing request that named
        ``hosts`` (its ``Host`` and any ``X-Forwarded-Host``): only the app's own origin,
        or a name given in ``allowed_hosts``."""
        _, sep, netloc = origin.lower().partition("://")
        if not sep or not netloc:
            return False
        if netloc in (host.strip().lower() for host in hosts):
            return True
        return _named(host_name(netloc), tuple(h.lower() for h in self.allowed_hosts))
