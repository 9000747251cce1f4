"""`grievance serve --workers N`: every process takes a share of the connections
(backend/ops/listening.py), also when they arrive in a burst."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

PROCESSES = 2
CONNECTIONS = 40
REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return [c for c in found if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]


def _established_inodes(port: int) -> set[str]:
    """Inodes of the server side of established connections on `port` (/proc/net/tcp)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def _env(tmp_path: Path) -> dict[str, str]:
    """The server's own database and var dir, nothing of the caller's deployment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIEVANCE_", "DATABASE_URL", "REDIS_URL"))}
    env.update(GRIEVANCE_VAR_DIR=str(tmp_path), REDIS_URL=REDIS_URL, DATABASE_URL=f"sqlite://{tmp_path}/db.sqlite3")
    return env


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = _free_port()
    env = _env(tmp_path)
    script = Path(sys.executable).parent / "grievance"
    log = (tmp_path / "out.log").open("wb")
    proc = subprocess.Popen([str(script), "serve", "--migrate", "--host", "127.0.0.1", "--port", str(port), "--workers",
                             str(PROCESSES)], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    ready = 0
    while time.monotonic() < deadline and ready < 5:  # several answers: every process is up
        assert proc.poll() is None, (tmp_path / "out.log").read_text()
        try:
            ready += httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # poll interval; the deadline bounds the loop
    assert ready >= 5, (tmp_path / "out.log").read_text()
    while len(_children(proc.pid)) < PROCESSES and time.monotonic() < deadline:
        time.sleep(0.2)
    yield proc, port
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def test_a_burst_of_connections_is_spread_over_the_processes(server: tuple[subprocess.Popen[bytes], int]) -> None:
    proc, port = server
    # All connected before any is served: they wait in the kernel together, the case in
    # which one process sharing a socket with the others accepts them all.
    clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(CONNECTIONS)]
    try:
        for c in clients:
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for c in clients:
            assert c.recv(4096).startswith(b"HTTP/1.1 200"), "every connection is served"
        established = _established_inodes(port)
        held = Counter({pid: len(_socket_inodes(pid) & established) for pid in _children(proc.pid)})
        assert len(held) == PROCESSES and sum(held.values()) == CONNECTIONS, held
        # Hashed by address, each process gets about half; a process with fewer than a
        # tenth would be the shared socket's skew (odds of it by chance: below 1e-7).
        assert min(held.values()) >= CONNECTIONS // 10, held
    finally:
        for c in clients:
            c.close()


@pytest.mark.parametrize("shared", [False, True], ids=["plain", "another SO_REUSEPORT server"])
def test_a_port_in_use_is_refused_at_once(tmp_path: Path, shared: bool) -> None:
    """Also when what holds it could be joined: two releases must not split the traffic."""
    with socket.socket() as taken:
        if shared:
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = _env(tmp_path)
        done = subprocess.run([str(Path(sys.executable).parent / "grievance"), "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--workers", "2"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and f"cannot listen on 127.0.0.1:{port}" in done.stderr, done
