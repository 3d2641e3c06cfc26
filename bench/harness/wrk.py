"""Running wrk and reading its report.

wrk is run with --latency so that it prints the latency distribution
(50/75/90/99 %); everything is parsed from its plain text output:

    Running 10s test @ http://127.0.0.1:8080/
      2 threads and 64 connections
      Thread Stats   Avg      Stdev     Max   +/- Stdev
        Latency    12.31ms    6.85ms  54.72ms   79.47%
        Req/Sec   247.57     65.10   383.00     67.50%
      Latency Distribution
         50%   11.04ms
         ...
         99%   36.50ms
      995 requests in 2.03s, 193.36KB read
      Socket errors: connect 0, read 0, write 0, timeout 0     (only if any)
      Non-2xx or 3xx responses: 437                            (only if any)
    Requests/sec:    489.67
    Transfer/sec:     95.16KB
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, dataclass, field

from .procs import HarnessError, child_setup, assert_loopback

_TIME_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
_SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}
_COUNT_UNITS = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9}


def parse_time_ms(text: str) -> float | None:
    """'850.00us' -> 0.85, '1.23ms' -> 1.23, '2.00s' -> 2000.0; None for '-nan' etc."""
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    return float(m.group(1)) * _TIME_UNITS_MS[m.group(2)] if m else None


def parse_size_bytes(text: str) -> float | None:
    """'193.36KB' -> 198000.6; wrk uses binary multiples."""
    m = re.fullmatch(r"([\d.]+)(B|KB|MB|GB|TB)", text.strip())
    return float(m.group(1)) * _SIZE_UNITS[m.group(2)] if m else None


def parse_count(text: str) -> float | None:
    """'383.00' -> 383.0, '1.00k' -> 1000.0."""
    m = re.fullmatch(r"([\d.]+)([kMG]?)", text.strip())
    return float(m.group(1)) * _COUNT_UNITS[m.group(2)] if m else None


@dataclass
class WrkResult:
    url: str
    threads: int
    connections: int
    duration_s: float
    requests: int = 0
    elapsed_s: float | None = None
    rps: float | None = None
    transfer_bytes_per_s: float | None = None
    latency_ms: dict[str, float | None] = field(default_factory=dict)  # avg, stdev, max, p50, p75, p90, p99
    socket_errors: dict[str, int] = field(default_factory=dict)  # connect, read, write, timeout
    non_2xx_3xx: int = 0
    raw: str = ""

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values()) + self.non_2xx_3xx

    def valid(self, max_error_fraction: float = 0.001) -> tuple[bool, str]:
        """A run counts only if it did real work and (almost) every answer was a success."""
        if not self.requests or not self.rps:
            return False, "no request completed"
        if self.non_2xx_3xx:
            return False, f"{self.non_2xx_3xx:,} non-2xx/3xx responses"
        if sum(self.socket_errors.values()) > max_error_fraction * self.requests:
            return False, f"socket errors {self.socket_errors}"
        return True, ""

    def to_json(self, with_raw: bool = True) -> dict:
        d = asdict(self)
        if not with_raw:
            d.pop("raw")
        return d


def parse_wrk_output(text: str, url: str = "", threads: int = 0, connections: int = 0,
                     duration_s: float = 0.0) -> WrkResult:
    r = WrkResult(url=url, threads=threads, connections=connections, duration_s=duration_s, raw=text)
    m = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+%?\s*$", text, re.M)
    if m:
        r.latency_ms.update(avg=parse_time_ms(m.group(1)), stdev=parse_time_ms(m.group(2)),
                            max=parse_time_ms(m.group(3)))
    for pct, value in re.findall(r"^\s*(50|75|90|99)(?:\.0+)?%\s+(\S+)\s*$", text, re.M):
        r.latency_ms[f"p{pct}"] = parse_time_ms(value)
    m = re.search(r"^\s*(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", text, re.M)
    if m:
        r.requests = int(m.group(1))
        r.elapsed_s = (parse_time_ms(m.group(2)) or 0.0) / 1000.0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r.socket_errors = dict(zip(("connect", "read", "write", "timeout"),
                               (int(x) for x in m.groups()))) if m else \
        {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r.non_2xx_3xx = int(m.group(1)) if m else 0
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    r.rps = float(m.group(1)) if m else None
    m = re.search(r"^Transfer/sec:\s+(\S+)", text, re.M)
    r.transfer_bytes_per_s = parse_size_bytes(m.group(1)) if m else None
    return r


def run_wrk(wrk: str, url: str, duration_s: float, connections: int, threads: int,
            headers: dict[str, str] | None = None, script: str | None = None,
            timeout_s: float = 10.0) -> WrkResult:
    """One wrk run against a loopback URL; bounded in time (duration + a margin)."""
    assert_loopback(url)
    threads = max(1, min(threads, connections))  # wrk needs connections >= threads
    argv = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration_s))}s", "--latency",
            f"--timeout={max(1, round(timeout_s))}s"]
    for k, v in (headers or {}).items():
        argv += ["-H", f"{k}: {v}"]
    if script:
        argv += ["-s", script]
    argv.append(url)
    try:
        # wrk stays in our process group (a Ctrl-C stops it too) and dies with us.
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=duration_s + timeout_s + 30, preexec_fn=child_setup)
    except subprocess.TimeoutExpired as e:
        raise HarnessError(f"wrk did not finish in time against {url}") from e
    out = p.stdout.decode(errors="replace")
    if p.returncode != 0:
        raise HarnessError(f"wrk failed (exit {p.returncode}) against {url}:\n{out.strip()}")
    return parse_wrk_output(out, url, threads, connections, duration_s)


def runs_problems(label: str, runs: list[WrkResult]) -> list[str]:
    """Why each of `runs` is not a valid measurement, named by its label and number."""
    out = []
    for i, r in enumerate(runs):
        ok, why = r.valid()
        if not ok:
            out.append(f"{label} run {i + 1}: {why}")
    return out
