"""Connections under hostile traffic: caps, fast refusals, timeouts and a bounded shutdown.

A client that opens connections and never finishes a request must not lock others out, run the
process out of file descriptors or keep it alive after SIGTERM. The server answers a connection
beyond its caps with an immediate 503 and closes a client that overstays a timeout.

These tests assert behaviour, not speed: each time bound below only keeps a broken server from
hanging the run and is many times what the behaviour needs (a server without the caps or the
timeouts would hold its clients for the 600 s or more its other timeouts allow). How fast a new
client is answered under the flood (within 1 s, issue 19) is measured by the benchmark scenario
`idle-flood` (bench/harness/scenarios/idle_flood.py, figures in docs/BENCHMARKS.md).
"""

from __future__ import annotations

import resource
import signal
import socket
import time
from pathlib import Path

import pytest

from conftest import StartServer

FLOOD = 1_100
OPEN_FILES = 1_024
ROUNDS = 50
# Longer than any bound below: no connection of a flood is closed by a timer during a test.
LONG = ["--idle-timeout", "600", "--header-timeout", "600", "--body-timeout", "600"]
# A bound against hanging, not a speed goal.
HANG = 30.0


@pytest.fixture(scope="module", autouse=True)
def enough_descriptors_for_the_flood() -> None:
    """This process holds the flood's client sockets: raise its own soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FLOOD + 512
    if soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.fail(f"the test needs {wanted} open files; the hard limit is {hard}", pytrace=False)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def connect(port: int, source: str = "127.0.0.1", timeout: float = 5.0) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def status_within(port: int, source: str, limit: float) -> tuple[int | None, float]:
    """A new client asks for /healthz: the status it reads (None if the connection ended without an
    answer) and how long that took, from connecting to the status line."""
    t0 = time.monotonic()
    s = connect(port, source, timeout=limit)
    try:
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: mandate.test\r\nConnection: close\r\n\r\n")
        except OSError:
            pass  # refused before the request went out: the answer is already waiting
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    finally:
        s.close()
    elapsed = time.monotonic() - t0
    line = data.split(b"\r\n", 1)[0].split()
    return (int(line[1]) if len(line) >= 2 and line[0].startswith(b"HTTP/1.") else None), elapsed


def flood(port: int, n: int) -> list[socket.socket]:
    """n connections that never finish a request: half send nothing, half a request line only."""
    held = []
    for i in range(n):
        try:
            s = connect(port)
        except OSError:
            continue  # the listen queue was full for a moment: the kernel refused, not the server
        if i % 2:
            try:
                s.sendall(b"GET / HTTP/1.1\r\n")
            except OSError:
                pass
        held.append(s)
    return held


def accept_queue(port: int) -> int:
    """Connections the kernel holds for the server's listening socket, not yet accepted
    (/proc/net/tcp: rx_queue of the LISTEN entry)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, queues = fields[1], fields[3], fields[4]
        if state == "0A" and int(local.split(":")[1], 16) == port:
            return int(queues.split(":")[1], 16)
    return 0


def settle(port: int) -> None:
    """Waits until the server has accepted every connection of the flood (a debug build takes a
    few milliseconds each), so that the new client measures the server, not the flood's queue."""
    deadline = time.monotonic() + 60
    while accept_queue(port) > 0 and time.monotonic() < deadline:
        time.sleep(0.05)


def close_all(sockets: list[socket.socket]) -> None:
    for s in sockets:
        try:
            s.close()
        except OSError:
            pass


def test_a_flood_of_idle_connections_under_1024_open_files_never_locks_a_client_out(
    start_server: StartServer, tmp_path: Path
) -> None:
    """1,100 connections that never finish a request, 50 times, on a server limited to 1,024 open
    files and allowed to hold them all from one address: every time, once the server has accepted
    the flood, a new client is answered (served, or refused with 503) while the flood still holds
    its connections, and the server lives on. Without the caps the new client waited until idle
    connections closed, and the process could run out of descriptors."""
    server = start_server(
        f"sqlite:{tmp_path}/m.sqlite",
        open_files=OPEN_FILES,
        extra_args=["--max-connections-per-client", "5000", *LONG],
    )
    for round_no in range(ROUNDS):
        held = flood(server.port, FLOOD)
        settle(server.port)
        try:
            status, elapsed = status_within(server.port, "127.0.0.1", HANG)
            assert status in (200, 503), (
                f"round {round_no}: a new client got {status} after {elapsed:.2f} s "
                f"with {len(held)} connections held"
            )
            assert server.running(), f"round {round_no}: the server died\n{server.log_tail()}"
        finally:
            close_all(held)
    # Once the flood is gone, clients are served again.
    deadline = time.monotonic() + HANG
    while True:
        status, _ = status_within(server.port, "127.0.0.1", HANG)
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert status == 200


def test_one_address_cannot_take_every_connection(start_server: StartServer, tmp_path: Path) -> None:
    """With the default cap per client address, a flood from one address is refused beyond its
    share while a client from another address is served."""
    server = start_server(f"sqlite:{tmp_path}/m.sqlite", open_files=OPEN_FILES, extra_args=LONG)
    for round_no in range(5):
        held = flood(server.port, FLOOD)
        settle(server.port)
        try:
            other, _ = status_within(server.port, "127.0.0.2", HANG)
            assert other == 200, f"round {round_no}: another client got {other}"
            same, _ = status_within(server.port, "127.0.0.1", HANG)
            assert same == 503, f"round {round_no}: the flooding address got {same}"
        finally:
            close_all(held)


def closed_within(s: socket.socket, limit: float, trickle: bytes = b"") -> float | None:
    """Seconds until the server closes `s` (None if still open after `limit`), sending `trickle`
    every 0.2 s meanwhile."""
    t0 = time.monotonic()
    s.settimeout(0.2)
    while time.monotonic() - t0 < limit:
        try:
            if not s.recv(4096):
                return time.monotonic() - t0
        except TimeoutError:
            pass
        except ConnectionResetError:
            return time.monotonic() - t0
        if trickle:
            try:
                s.sendall(trickle)
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - t0
    return None


@pytest.fixture
def quick_timeouts(start_server: StartServer, tmp_path: Path):
    return start_server(
        f"sqlite:{tmp_path}/m.sqlite",
        extra_args=["--idle-timeout", "1", "--header-timeout", "1", "--body-timeout", "1"],
    )


def test_an_idle_connection_is_closed(quick_timeouts) -> None:
    s = connect(quick_timeouts.port)
    try:
        assert closed_within(s, HANG) is not None
    finally:
        s.close()


def test_a_connection_idle_after_an_answer_is_closed(quick_timeouts) -> None:
    s = connect(quick_timeouts.port)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: mandate.test\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(4096)
        assert data.startswith(b"HTTP/1.1 200")
        assert closed_within(s, HANG) is not None
    finally:
        s.close()


def test_a_head_sent_a_byte_at_a_time_is_cut_off(quick_timeouts) -> None:
    """Slowloris: a header line every 0.2 s would keep an idle timer alive forever; the head's
    own deadline closes the connection."""
    s = connect(quick_timeouts.port)
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: mandate.test\r\n")
        assert closed_within(s, HANG, trickle=b"X-Slow: 1\r\n") is not None
    finally:
        s.close()


def test_a_stalled_body_is_cut_off(quick_timeouts) -> None:
    s = connect(quick_timeouts.port)
    try:
        s.sendall(
            b"POST /api/v1/dataValueSets HTTP/1.1\r\nHost: mandate.test\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{\"dataValues\": ["
        )
        assert closed_within(s, HANG) is not None
    finally:
        s.close()


def test_shutdown_ends_in_time_while_a_client_holds_an_unfinished_body(
    start_server: StartServer, tmp_path: Path
) -> None:
    """SIGTERM with a request body that never ends: the process ends, by its shutdown timeout
    (2 s, then 5 s at most for the cut connections), not by the client, whose body and idle
    timeouts are an hour away."""
    server = start_server(
        f"sqlite:{tmp_path}/m.sqlite",
        extra_args=["--shutdown-timeout", "2", "--body-timeout", "3600", "--idle-timeout", "3600"],
    )
    s = connect(server.port)
    try:
        s.sendall(
            b"POST /api/v1/dataValueSets HTTP/1.1\r\nHost: mandate.test\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{\"dataValues\": ["
        )
        time.sleep(0.5)
        assert server.proc is not None
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=120)
        except Exception:  # noqa: BLE001
            pass
        assert server.proc.poll() is not None, f"still running 120 s after SIGTERM\n{server.log_tail()}"
    finally:
        s.close()
