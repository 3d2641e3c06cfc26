"""The Mandate server under test, started fresh on its own SQLite file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from .procs import HarnessError, ManagedProcess, free_port, wait_http_ok
from .tools import REPO_ROOT


def build_release(log=print, timeout: float = 3600.0) -> Path:
    """`swift build -c release --product mandate` in the repository; the binary's path."""
    argv = ["swift", "build", "-c", "release", "--product", "mandate"]
    log(f"$ {' '.join(argv)}   (in {REPO_ROOT})")
    t0 = time.monotonic()
    try:
        # The compiler's output goes to stderr: stdout carries only the results table.
        r = subprocess.run(argv, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=sys.stderr, timeout=timeout)
    except FileNotFoundError as e:
        raise HarnessError("swift is not on PATH; pass --binary PATH or use --selftest") from e
    except subprocess.TimeoutExpired as e:
        raise HarnessError(f"swift build did not finish in {timeout:.0f} s") from e
    if r.returncode != 0:
        raise HarnessError(f"swift build failed (exit {r.returncode})")
    binary = REPO_ROOT / ".build" / "release" / "mandate"
    if not binary.exists():
        raise HarnessError(f"swift build succeeded but {binary} is missing")
    log(f"built {binary} in {time.monotonic() - t0:.0f} s")
    return binary


class MandateServer:
    """`<command> serve --database sqlite:<workdir>/bench.sqlite --host 127.0.0.1 --port <free>`.

    `command` is the binary, or an interpreter and script for the self-test's
    stand-in. The first start creates the database and loads the built-in demo
    (34 provinces, 3,321 communes); readiness is GET /healthz answering 200.
    """

    def __init__(self, command: list[str], workdir: Path, host: str = "127.0.0.1",
                 startup_timeout: float = 120.0, extra_args: list[str] | None = None):
        self.command, self.workdir, self.host = command, workdir, host
        self.port = free_port(host)
        self.database = workdir / "bench.sqlite"
        self.startup_timeout = startup_timeout
        self.extra_args = extra_args or []
        self.proc: ManagedProcess | None = None
        self.startup_s: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def argv(self) -> list[str]:
        return [*self.command, "serve", "--database", f"sqlite:{self.database}",
                "--host", self.host, "--port", str(self.port), *self.extra_args]

    def start(self) -> "MandateServer":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = ManagedProcess("mandate", self.argv(), self.workdir / "server.log",
                                   cwd=self.workdir).start()
        try:
            self.startup_s = wait_http_ok(self.base_url + "/healthz", self.startup_timeout, self.proc)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> int | None:
        # SIGTERM is the server's graceful shutdown; it gets 15 s before SIGKILL.
        return self.proc.stop(signal.SIGTERM, grace=15.0) if self.proc else None

    def log_tail(self, lines: int = 30) -> str:
        return self.proc.log_tail(lines) if self.proc else ""


def ensure_binary(path: Path) -> Path:
    if not path.exists():
        raise HarnessError(f"--binary {path} does not exist")
    if not path.is_file():
        raise HarnessError(f"--binary {path} is not a file")
    return path.resolve()
