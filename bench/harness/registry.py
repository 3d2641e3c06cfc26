"""The scenario registry and what a scenario gets to work with.

A scenario is a class with a unique `name` that the `@register` decorator adds
to REGISTRY. Its run(ctx) starts what it needs through the Context (which
stops everything afterwards, whatever happens), measures, and returns a
ScenarioResult: a few table rows plus any details worth keeping in the JSON.

Rows are of three kinds:
  subject  the thing measured (Mandate); carries ratio, goal and pass/fail
  limit    the physical limit measured in the same run (nginx, raw SQLite, ...)
  info     anything else worth a line (no verdict)

Adding a scenario: write harness/scenarios/<name>.py with a @register class,
import it in harness/scenarios/__init__.py, describe it in bench/README.md and
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from .nginx import StaticNginx
from .procs import HarnessError
from .server import MandateServer
from .wrk import WrkResult, run_wrk


@dataclass
class Row:
    scenario: str
    target: str
    kind: str = "subject"  # subject | limit | info
    throughput: float | None = None
    throughput_unit: str = "req/s"
    p50_ms: float | None = None
    p99_ms: float | None = None
    ratio: float | None = None  # subject throughput / limit throughput
    goal: float | None = None  # minimum ratio, unless goal_metric says otherwise
    passed: bool | None = None
    note: str = ""
    # What the goal bounds and how: the default is a minimum ratio; a latency goal is
    # e.g. goal_metric="p50", goal_op="<=", goal_unit="ms" (goal 20 means p50 <= 20 ms).
    goal_metric: str = "ratio"
    goal_op: str = ">="
    goal_unit: str = ""

    def goal_text(self) -> str:
        if self.goal is None:
            return "-"
        if self.goal_metric == "ratio":
            return f"{self.goal_op} {self.goal:.2f}"
        return f"{self.goal_metric} {self.goal_op} {self.goal:g}{(' ' + self.goal_unit) if self.goal_unit else ''}"

    def meets(self, value: float | None) -> bool | None:
        """Whether a measured value meets this row's goal (None: nothing to judge)."""
        if value is None or self.goal is None:
            return None
        return value <= self.goal if self.goal_op == "<=" else value >= self.goal

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ScenarioResult:
    name: str
    status: str  # pass | fail | invalid | error | skipped
    rows: list[Row] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict:
        d = asdict(self)
        d["rows"] = [r.to_json() for r in self.rows]
        return d


@dataclass
class Options:
    """What the command line asked for, as scenarios see it."""
    duration: float = 10.0
    warmup: float = 3.0
    connections: int = 64
    threads: int = 1
    repeats: int = 1
    startup_timeout: float = 120.0
    keep_tmp: bool = False
    server_args: list[str] = field(default_factory=list)  # appended to every `serve` command line
    # tasks-escalation: the task load, the connections its latency goals are judged at, and
    # where prepared databases may be kept between runs (None: always prepare afresh).
    tasks: int = 50_000
    reports: int = 500_000
    task_seed: int = 1
    latency_connections: int = 1
    data_cache: str | None = None
    prepare_timeout: float = 3600.0
    # events-fanout: event-stream clients, the worker processes holding them, events caused.
    fanout_clients: int = 1000
    fanout_workers: int = 4
    fanout_events: int = 5
    # values-import: rows in values.csv, and whether to time the (slow) approved import too.
    import_values: int = 1_000_000
    import_approved: bool = False
    # rollup-latency: measured iterations (after the warm-up ones).
    rollup_iterations: int = 300
    # catalogue-scale: approved databases written into the catalogue before the server starts.
    catalogue_entries: int = 50_000
    selftest: bool = False
    # units-provinces, public-rankings: "gzip" asks both sides for gzip (wrk sends Accept-Encoding:
    # gzip, nginx has gzip on); "none", the default, measures identity answers as before.
    compression: str = "none"


class Context:
    """Everything a scenario may use. Every process it starts is stopped when
    the scenario ends, by an ExitStack, in reverse order of starting."""

    def __init__(self, options: Options, tools: dict[str, str], server_command: list[str] | None,
                 nproc: int, log: Callable[[str], None] = print, subject: str = "mandate"):
        self.options, self.tools, self.server_command, self.nproc, self.log = \
            options, tools, server_command, nproc, log
        self.subject = subject  # how rows name the server: "mandate", or "stand-in" in a self-test
        self._stack = contextlib.ExitStack()
        self._tmp: Path | None = None

    def __enter__(self) -> "Context":
        if self.options.keep_tmp:
            self._tmp = Path(tempfile.mkdtemp(prefix="mandate-bench-"))
            self.log(f"temporary files kept in {self._tmp}")
        else:
            self._tmp = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="mandate-bench-")))
        # Others may traverse (not list) it: nginx's workers run as `nobody`.
        self._tmp.chmod(0o711)
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def workdir(self, name: str) -> Path:
        d = self._tmp / name
        d.mkdir(parents=True, exist_ok=True)
        return d

    def start_server(self, name: str = "server", extra_args: list[str] | None = None,
                     command_prefix: list[str] | None = None) -> MandateServer:
        """A fresh Mandate server on its own database in its own directory; `command_prefix`
        (e.g. prlimit and its options) runs it."""
        if not self.server_command:
            raise HarnessError("this scenario needs the Mandate server (pass --binary or --selftest)")
        srv = MandateServer([*(command_prefix or []), *self.server_command], self.workdir(name),
                            startup_timeout=self.options.startup_timeout,
                            extra_args=[*self.options.server_args, *(extra_args or [])])
        self._stack.callback(srv.stop)
        srv.start()
        self.log(f"  {name}: {' '.join(srv.argv())}  (ready in {srv.startup_s:.1f} s, pid {srv.proc.pid})")
        return srv

    def start_static_nginx(self, routes: dict[str, tuple[Path, str]], name: str = "nginx",
                           gzip: bool = False) -> StaticNginx:
        """nginx serving `routes`; with gzip, compressing as harness/compression.py says."""
        ngx = StaticNginx(self.tools["nginx"], self.workdir(name), routes, workers=self.nproc, gzip=gzip)
        self._stack.callback(ngx.stop)
        ngx.start()
        self.log(f"  nginx: {ngx.base_url} (worker_processes {ngx.workers}, {'gzip on, ' if gzip else ''}"
                 f"config {ngx.conf_path})")
        return ngx

    def wrk(self, url: str, duration: float | None = None, connections: int | None = None,
            threads: int | None = None, **kw) -> WrkResult:
        o = self.options
        return run_wrk(self.tools["wrk"], url, duration if duration is not None else o.duration,
                       connections or o.connections, threads or o.threads, **kw)


class Scenario:
    """Base class: set name, title, measures and goal_text; implement run()."""
    name: str = ""
    title: str = ""
    measures: str = ""
    goal_text: str = ""
    needs_server: bool = True
    tools: tuple[str, ...] = ()
    # False: the self-test's stand-in cannot play this scenario, which is then skipped.
    selftest: bool = True
    # True: the scenario honours --compression (the others measure identity answers whatever it says).
    compression_option: bool = False

    def run(self, ctx: Context) -> ScenarioResult:
        raise NotImplementedError


REGISTRY: dict[str, Scenario] = {}


def register(cls: type[Scenario]) -> type[Scenario]:
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"scenario name missing or taken: {cls.name!r}")
    REGISTRY[cls.name] = cls()
    return cls


def run_scenario(scenario: Scenario, ctx_factory: Callable[[], Context]) -> ScenarioResult:
    """Run one scenario; a harness failure becomes an 'error' result, not a crash.
    KeyboardInterrupt still propagates (after the Context has stopped everything)."""
    t0 = time.monotonic()
    try:
        with ctx_factory() as ctx:
            result = scenario.run(ctx)
    except HarnessError as e:
        result = ScenarioResult(scenario.name, "error", error=str(e))
    except Exception as e:  # a bug in a scenario should not hide the others' results
        result = ScenarioResult(scenario.name, "error", error=f"{type(e).__name__}: {e}")
    result.seconds = round(time.monotonic() - t0, 2)
    return result


def median(xs: list[float | None]) -> float | None:
    ys = [x for x in xs if x is not None]
    return statistics.median(ys) if ys else None
