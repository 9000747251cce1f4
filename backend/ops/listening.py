"""Listening sockets for several API processes on one port, each process its own.

`uvicorn --workers N` binds one socket in the supervisor and every process accepts from
it. Under a burst of new connections (a load balancer filling its keep-alive pool, a
benchmark's clients) the first process to wake accepts all that are waiting, and
keep-alive keeps them there: in tests/bench one of two processes held 13 of 16
connections, at 87 % of a core against the other's 19 %, and the lifecycle rate went
from 18 to 12 a second. With SO_REUSEPORT each process listens on its own socket bound
to the same port, and the kernel spreads new connections over them by their address.

The supervisor keeps one bound, never-listening socket (it holds the port and shows a
port already in use before any process starts); each process, when it unpickles it,
binds a fresh listening one of its own instead of inheriting a duplicate.
"""

from __future__ import annotations

import socket
from typing import Any


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _bound(host: str, port: int) -> socket.socket:
    """A SO_REUSEPORT socket bound to the port; in a spawned process, its own listener
    (asyncio listens on it)."""
    sock = PerProcessSocket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class PerProcessSocket(socket.socket):
    """A socket that a spawned process re-creates (see the module doc) rather than shares."""

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, tuple[str, int]]:  # type: ignore[override]
        host, port = self.getsockname()[:2]
        return _bound, (host, port)


def shared_port(host: str, port: int) -> socket.socket:
    """The supervisor's socket for `port` (0 picks a free one), to hand to uvicorn's
    Multiprocess: each process it spawns gets its own listening socket from it.

    The port must be free first: SO_REUSEPORT alone would let this server join another
    one already listening there (an old release not yet stopped, started by the same
    account) and split the traffic with it. A plain bind, without SO_REUSEPORT, is
    refused when anything holds the port."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as plain:
        plain.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no owner
        plain.bind((host, port))
        port = plain.getsockname()[1]
    return _bound(host, port)
