"""idle-flood: a new client while 1,100 idle connections hold a server limited to 1,024 open files.

Issue text: with `ulimit -n 1024` (systemd's default soft limit), 1,100 connections that send a
request line and never finish locked every new client out until they closed. Goal: in each of 50
rounds a new client is served or refused (503) within 1 s.

Each round opens 1,100 connections (half send nothing, half a request line only), waits until the
server has accepted them all (the kernel's accept queue for the listening socket is empty, read
from /proc/net/tcp), then times one new client's `GET /healthz` from connecting to its status
line, and closes the flood. The server runs under `prlimit --nofile=1024:1024` with
`--max-connections-per-client 5000`, so that the flood reaches the overall cap; its timeouts are
long (600 s), so that no connection of the flood is closed by a timer during a round. The system
test Tests/system/test_connections.py asserts the same behaviour (answered, not hung); this
scenario measures how fast.
"""

from __future__ import annotations

import resource
import socket
import time
from pathlib import Path

from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, register

GOAL_MS = 1000.0
FLOOD = 1_100
OPEN_FILES = 1_024
ROUNDS = 50


def connect(port: int, timeout: float) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    return s


def flood(port: int, n: int) -> list[socket.socket]:
    held = []
    for i in range(n):
        try:
            s = connect(port, 5.0)
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
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
            return int(fields[4].split(":")[1], 16)
    return 0


def settle(port: int) -> None:
    deadline = time.monotonic() + 60
    while accept_queue(port) > 0 and time.monotonic() < deadline:
        time.sleep(0.05)


def probe(port: int, limit: float) -> tuple[int | None, float]:
    """A new client's /healthz: the status read (None: closed without an answer) and the seconds
    from connecting to the status line."""
    t0 = time.monotonic()
    s = connect(port, limit)
    data = b""
    try:
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench.test\r\nConnection: close\r\n\r\n")
        except OSError:
            pass  # refused before the request went out: the answer is already waiting
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


@register
class IdleFlood(Scenario):
    name = "idle-flood"
    title = "a new client while 1,100 idle connections hold a server limited to 1,024 open files"
    measures = (f"seconds from connecting to the status line of a new client's /healthz, in each of {ROUNDS} "
                f"rounds of {FLOOD:,} connections that never finish a request")
    goal_text = f"every round served or refused (503) within {GOAL_MS:g} ms"
    tools = ("prlimit",)
    selftest = False  # the stand-in has no connection caps

    def run(self, ctx: Context) -> ScenarioResult:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < FLOOD + 512:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, FLOOD + 512) if hard > 0 else FLOOD + 512, hard))
        server = ctx.start_server(extra_args=[
            "--max-connections-per-client", "5000", "--idle-timeout", "600", "--header-timeout", "600",
            "--body-timeout", "600"], command_prefix=[ctx.tools["prlimit"], f"--nofile={OPEN_FILES}:{OPEN_FILES}", "--"])
        samples: list[float] = []
        statuses: dict[str, int] = {}
        for round_no in range(ROUNDS):
            held = flood(server.port, FLOOD)
            settle(server.port)
            try:
                status, elapsed = probe(server.port, 30.0)
            finally:
                for s in held:
                    s.close()
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            samples.append(elapsed * 1000)
            if server.proc is None or not server.proc.running():
                raise HarnessError(f"round {round_no + 1}: the server died\n{server.log_tail()}")
        ctx.log(f"  {ROUNDS} rounds: statuses {statuses}, slowest {max(samples):.1f} ms")
        ordered = sorted(samples)
        p50 = ordered[len(ordered) // 2]
        slowest = ordered[-1]
        answered = all(k in ("200", "503") for k in statuses)
        row = Row(self.name, f"{ctx.subject} new client under the flood (p99 column: slowest of {ROUNDS})",
                  "subject", None, "", round(p50, 1), round(slowest, 1), None, GOAL_MS,
                  goal_metric="slowest", goal_op="<=", goal_unit="ms")
        row.passed = answered and bool(row.meets(slowest))
        details = {"statuses": statuses, "samples_ms": [round(x, 2) for x in samples]}
        return ScenarioResult(self.name, "pass" if row.passed else "fail", [row], details)
