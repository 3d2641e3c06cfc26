"""Child processes that always get stopped, free ports and loopback-only HTTP."""

from __future__ import annotations

import ctypes
import ipaddress
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


class HarnessError(RuntimeError):
    """A failure of the benchmark set-up (not of the thing measured)."""


# --------------------------------------------------------------------------
# Loopback only
# --------------------------------------------------------------------------

def assert_loopback(url: str) -> None:
    """Refuse any URL whose host is not a loopback address: load is only ever
    sent to servers on this machine."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise HarnessError(f"refusing to send load to a non-loopback address: {url}")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# An opener that ignores http_proxy and friends: a proxy must never see
# (or forward) benchmark traffic meant for 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, timeout: float = 10.0,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET a loopback URL: (status, headers, body). HTTP errors are returned, not raised."""
    assert_loopback(url)
    req = urllib.request.Request(url, headers=headers or {"Accept": "application/json"})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


# --------------------------------------------------------------------------
# Managed child processes
# --------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def child_setup() -> None:
    """Runs in the child before exec: ask Linux to send SIGTERM if the runner
    dies, so not even a SIGKILLed runner leaves servers behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class ManagedProcess:
    """A long-running child (server, nginx) in its own process group.

    Its own session means a Ctrl-C in the terminal reaches only the runner,
    which then stops the child in order (graceful signal, then SIGKILL), and
    stop() can signal the whole group by the child's id, workers included.
    Output goes to a log file, never a pipe, so a chatty child cannot block.
    """

    def __init__(self, name: str, argv: list[str], log_path: Path, cwd: Path | None = None,
                 env: dict[str, str] | None = None):
        self.name, self.argv, self.log_path, self.cwd, self.env = name, argv, log_path, cwd, env
        self.proc: subprocess.Popen | None = None

    def start(self) -> "ManagedProcess":
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, cwd=self.cwd, env=self.env,
                                         start_new_session=True, preexec_fn=child_setup)
        except OSError as e:
            raise HarnessError(f"cannot start {self.name} ({self.argv[0]}): {e}") from e
        finally:
            log.close()
        return self

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, grace: float = 15.0) -> int | None:
        """Send `sig` to the child's process group, wait up to `grace` s, then SIGKILL it."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self._signal_group(sig)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.proc.wait(timeout=10)
        # Workers left in the group (e.g. if the master died first) go too.
        self._signal_group(signal.SIGKILL)
        return self.proc.returncode

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.proc.pid, sig)  # the group id is the child's pid (own session)
        except (ProcessLookupError, PermissionError):
            pass

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def wait_http_ok(url: str, timeout: float, proc: ManagedProcess | None = None,
                 interval: float = 0.25) -> float:
    """Poll `url` until it answers 200; return the seconds it took.

    Fails early, with the child's log, if the child exits while we wait.
    """
    t0 = time.monotonic()
    last = "no answer"
    while time.monotonic() - t0 < timeout:
        if proc is not None and not proc.running():
            raise HarnessError(f"{proc.name} exited with code {proc.proc.returncode} before {url} "
                               f"answered 200; last log lines:\n{proc.log_tail()}")
        try:
            status, _, _ = http_get(url, timeout=2.0)
            if status == 200:
                return time.monotonic() - t0
            last = f"HTTP {status}"
        except (OSError, urllib.error.URLError) as e:
            last = str(getattr(e, "reason", e))
        time.sleep(interval)
    tail = f"; last log lines:\n{proc.log_tail()}" if proc else ""
    raise HarnessError(f"{url} did not answer 200 within {timeout:.0f} s (last: {last}){tail}")
