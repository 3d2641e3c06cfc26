"""External tools (nginx, wrk, sqlite3): find them, install them from Debian if missing,
and describe the machine a run happened on."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from .procs import HarnessError

REPO_ROOT = Path(__file__).resolve().parent.parent.parent

# Debian packages that provide each tool, in order of preference.
APT_PACKAGES = {"nginx": ["nginx-light", "nginx"], "wrk": ["wrk"], "sqlite3": ["sqlite3"], "prlimit": ["util-linux"]}
_SBIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def which(name: str) -> str | None:
    """Like `which`, but also looks in the sbin directories (nginx lives in /usr/sbin)."""
    return shutil.which(name) or shutil.which(name, path=_SBIN_PATH)


def _apt(args: list[str], log) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log(f"$ apt-get {' '.join(args)}")
    try:
        r = subprocess.run(["apt-get", *args], env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    except subprocess.TimeoutExpired:
        log("  apt-get timed out")
        return False
    if r.returncode != 0:
        log("  " + "\n  ".join(r.stdout.decode(errors="replace").splitlines()[-5:]))
    return r.returncode == 0


def ensure_tools(names: list[str], allow_install: bool = True, log=print) -> dict[str, str]:
    """Paths of the tools; missing ones are installed with apt-get when we are root.

    CI machines start without nginx and wrk, so the harness installs them
    itself: first try `apt-get install` (fast when the package lists are
    fresh), and only if that fails run `apt-get update` once and try again,
    then the alternative package (nginx instead of nginx-light).
    """
    missing = [n for n in names if not which(n)]
    if missing:
        hint = "apt-get install -y " + " ".join(APT_PACKAGES[n][0] for n in missing)
        if not allow_install:
            raise HarnessError(f"missing {', '.join(missing)}; install with: {hint}")
        if os.geteuid() != 0 or not which("apt-get"):
            raise HarnessError(f"missing {', '.join(missing)} and cannot install them "
                               f"(need root and apt-get); run: sudo {hint}")
        log(f"installing {', '.join(missing)} from Debian's packages")
        first = [APT_PACKAGES[n][0] for n in missing]
        opts = ["install", "-y", "-q", "--no-install-recommends"]
        if not _apt(opts + first, log):
            _apt(["update", "-q"], log)
            if not _apt(opts + first, log):
                for n in missing:
                    for pkg in APT_PACKAGES[n][1:]:
                        if not which(n) and _apt(opts + [pkg], log):
                            break
    found = {n: which(n) for n in names}
    still = [n for n, p in found.items() if not p]
    if still:
        raise HarnessError(f"could not install {', '.join(still)} with apt-get")
    return found  # type: ignore[return-value]


def _run(argv: list[str], cwd: Path | None = None) -> str | None:
    """stdout+stderr of a short command, or None if it cannot run."""
    try:
        r = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=20)
        return r.stdout.decode(errors="replace").strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def tool_versions(paths: dict[str, str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    if "nginx" in paths:
        v = _run([paths["nginx"], "-v"])  # prints "nginx version: nginx/1.22.1" to stderr
        out["nginx"] = v.split(":", 1)[-1].strip() if v else None
    if "wrk" in paths:
        v = _run([paths["wrk"], "-v"])  # prints its version line, then usage
        out["wrk"] = " ".join(v.splitlines()[0].split()[:2]) if v else None  # "wrk debian/4.1.0-3+b2"
    if "sqlite3" in paths:
        v = _run([paths["sqlite3"], "--version"])  # "3.40.1 2022-12-28 14:03:47 df5c…"
        out["sqlite3"] = v.split()[0] if v else None
    return out


def nproc() -> int:
    """CPUs this process may run on (what `nproc` prints)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _meminfo() -> dict[str, int]:
    out = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("MemTotal", "MemAvailable"):
                out[key] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return out


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _os_release() -> str | None:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return None


def git_info(repo: Path = REPO_ROOT) -> dict[str, object]:
    commit = _run(["git", "rev-parse", "HEAD"], cwd=repo)
    if commit is None or not all(c in "0123456789abcdef" for c in commit) or len(commit) < 40:
        commit = None  # not a repository, or no commit yet
    status = _run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo)
    return {
        "commit": commit,
        "branch": _run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=repo) if commit else None,
        "dirty": bool(status) if status is not None and commit else None,
    }


def machine_info(tool_paths: dict[str, str]) -> dict[str, object]:
    mem = _meminfo()
    uname = platform.uname()
    return {
        "nproc": nproc(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_bytes": mem.get("MemTotal"),
        "memory_available_bytes": mem.get("MemAvailable"),
        "kernel": uname.release,
        "kernel_version": uname.version,
        "arch": uname.machine,
        "os": _os_release(),
        "python": sys.version.split()[0],
        "git": git_info(),
        "tools": tool_versions(tool_paths),
    }
