#!/usr/bin/env python3
"""Mandate's benchmark runner.

Each scenario measures Mandate against a physical limit measured in the same
run on the same machine (e.g. nginx serving the same bytes as a static file)
and judges the ratio against a goal. Prints a table; writes
bench/out/<UTC timestamp>.json and bench/out/latest.json.

    python3 bench/run.py                         # builds the release binary, runs all scenarios
    python3 bench/run.py --binary .build/release/mandate --duration 30 --repeats 3
    python3 bench/run.py --selftest --duration 5 # stand-in server: checks the plumbing only
    python3 bench/run.py --list

Exit status: 0 every scenario met its goal (with --selftest: every scenario
produced valid measurements), 1 a goal was missed, 2 a scenario failed to run
or its measurements were invalid, 130 interrupted.
"""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import scenarios  # noqa: E402,F401  (registers the scenarios)
from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY, Context, Options, ScenarioResult, run_scenario  # noqa: E402
from harness.report import table, write_json  # noqa: E402
from harness.server import build_release, ensure_binary  # noqa: E402
from harness.tools import ensure_tools, machine_info, nproc, tool_versions  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
STANDIN = BENCH_DIR / "standin_server.py"
SCHEMA = 1


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    n = nproc()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--binary", type=Path,
                    help="the mandate executable; default: swift build -c release --product mandate")
    ap.add_argument("--selftest", action="store_true",
                    help="use bench/standin_server.py (Python stdlib) instead of Mandate, to check the "
                         "harness end to end; goals are shown but not enforced")
    ap.add_argument("--scenario", nargs="+", action="extend", metavar="NAME",
                    help="scenarios to run (default: all); see --list")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of each measured wrk run")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per target (0: none)")
    ap.add_argument("--connections", type=int, default=64, help="wrk connections")
    ap.add_argument("--threads", type=int, default=n, help="wrk threads (default: nproc)")
    ap.add_argument("--repeats", type=int, default=1,
                    help="measured runs per target, alternating which target goes first")
    ap.add_argument("--startup-timeout", type=float, default=120.0,
                    help="seconds to wait for GET /healthz to answer 200")
    ap.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for `serve`, repeatable; write --server-arg=--log-level=warning")
    ap.add_argument("--tasks", type=int, default=50_000, help="tasks-escalation: tasks in the load")
    ap.add_argument("--reports", type=int, default=500_000, help="tasks-escalation: progress reports in the load")
    ap.add_argument("--task-seed", type=int, default=1, help="tasks-escalation: seed of the load")
    ap.add_argument("--latency-connections", type=int, default=1,
                    help="tasks-escalation: wrk connections of the runs its latency goals are judged on "
                         "(a second run at --connections is reported beside them)")
    ap.add_argument("--data-cache", type=Path,
                    help="tasks-escalation, values-import, national-portal: keep prepared databases and generated "
                         "data here "
                         "and reuse them in later runs with the same options (default: prepare afresh every run)")
    ap.add_argument("--prepare-timeout", type=float, default=3600.0,
                    help="tasks-escalation, values-import, national-portal: seconds allowed to prepare data or "
                         "run one import")
    ap.add_argument("--fanout-clients", type=int, default=1000,
                    help="events-fanout: clients connected to GET /api/v1/events")
    ap.add_argument("--fanout-workers", type=int, default=4,
                    help="events-fanout: processes the clients are spread over")
    ap.add_argument("--fanout-events", type=int, default=5, help="events-fanout: events caused, one at a time")
    ap.add_argument("--import-values", type=int, default=1_000_000,
                    help="values-import: rows of the generated values.csv")
    ap.add_argument("--import-approved", action="store_true",
                    help="values-import: also time the approved import (minutes), as information")
    ap.add_argument("--rollup-iterations", type=int, default=300,
                    help="rollup-latency: measured iterations, after 20 warm-up ones")
    ap.add_argument("--catalogue-entries", type=int, default=50_000,
                    help="catalogue-scale: approved databases written into the catalogue (spread over every "
                         "active unit, about 15 each at the default)")
    ap.add_argument("--compression", choices=("none", "gzip"), default="none",
                    help="units-provinces, public-rankings: with gzip, wrk sends Accept-Encoding: gzip to both "
                         "servers and nginx compresses (gzip on, level 6, gzip_min_length 1024, gzip_vary on); "
                         "both are checked to answer gzip that inflates to the identity body")
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="directory for the JSON results")
    ap.add_argument("--no-install", action="store_true", help="never apt-get install nginx/wrk/sqlite3")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory (logs, configs)")
    a = ap.parse_args(argv)
    if a.duration < 1 or a.duration > 600:
        ap.error("--duration must be between 1 and 600 seconds")
    if a.warmup < 0 or a.warmup > 120:
        ap.error("--warmup must be between 0 and 120 seconds")
    if a.connections < 1 or a.threads < 1 or a.repeats < 1 or a.latency_connections < 1:
        ap.error("--connections, --latency-connections, --threads and --repeats must be at least 1")
    if a.fanout_clients < 1 or a.fanout_workers < 1 or a.fanout_events < 1:
        ap.error("--fanout-clients, --fanout-workers and --fanout-events must be at least 1")
    if a.import_values < 1 or a.rollup_iterations < 1:
        ap.error("--import-values and --rollup-iterations must be at least 1")
    if a.catalogue_entries < 1:
        ap.error("--catalogue-entries must be at least 1")
    if a.tasks < 1 or a.reports < 0:
        ap.error("--tasks must be at least 1 and --reports at least 0")
    if a.selftest and a.binary:
        ap.error("--selftest and --binary exclude each other")
    unknown = [s for s in (a.scenario or []) if s not in REGISTRY]
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    return a


def _raise_interrupt(signum, _frame):
    # SIGTERM/SIGHUP behave like Ctrl-C: unwind through every finally/ExitStack
    # so the servers and nginx are stopped before the runner exits.
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    if a.list:
        for s in REGISTRY.values():
            print(f"{s.name:<20} {s.title}\n{'':<20} measures: {s.measures}\n{'':<20} goal: {s.goal_text}")
        return 0
    # Ctrl-C works even if the shell started us with SIGINT ignored (a
    # background job of a script); SIGHUP is left alone under nohup.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, _raise_interrupt)

    selected = [REGISTRY[n] for n in (a.scenario or REGISTRY)]
    started = datetime.now(timezone.utc)
    stem = started.strftime("%Y%m%dT%H%M%SZ") + ("-selftest" if a.selftest else "")
    results: list[ScenarioResult] = []
    record: dict = {"schema": SCHEMA, "mode": "selftest" if a.selftest else "mandate",
                    "started_at": started.isoformat(timespec="seconds")}
    record["machine"] = machine_info({})
    interrupted = False
    try:
        # Only the tools of scenarios that will run: a self-test skips those its stand-in cannot play.
        runnable = [s for s in selected if s.selftest or not a.selftest]
        tools = ensure_tools(sorted({t for s in runnable for t in s.tools}), not a.no_install, log)
        record["machine"]["tools"] = tool_versions(tools)
        if a.selftest:
            server_command = [sys.executable, str(STANDIN)]
            record["binary"] = str(STANDIN.relative_to(BENCH_DIR.parent))
        elif any(s.needs_server for s in selected):
            binary = ensure_binary(a.binary) if a.binary else build_release(log)
            server_command = [str(binary)]
            record["binary"] = str(binary)
        else:
            server_command = None
        opts = Options(duration=a.duration, warmup=a.warmup, connections=a.connections, threads=a.threads,
                       repeats=a.repeats, startup_timeout=a.startup_timeout, keep_tmp=a.keep_tmp,
                       server_args=a.server_arg, tasks=a.tasks, reports=a.reports, task_seed=a.task_seed,
                       latency_connections=a.latency_connections,
                       data_cache=str(a.data_cache.resolve()) if a.data_cache else None,
                       prepare_timeout=a.prepare_timeout, fanout_clients=a.fanout_clients,
                       fanout_workers=a.fanout_workers, fanout_events=a.fanout_events,
                       import_values=a.import_values, import_approved=a.import_approved,
                       rollup_iterations=a.rollup_iterations, catalogue_entries=a.catalogue_entries,
                       selftest=a.selftest,
                       compression=a.compression)
        record["options"] = vars(opts).copy()
        m = record["machine"]
        log(f"machine: {m['nproc']} CPUs ({m['cpu_model']}), {(m['memory_bytes'] or 0) / 2**30:.1f} GiB, "
            f"kernel {m['kernel']}, commit {m['git']['commit'] or '(none)'}")
        if a.compression != "none":
            ignoring = [s.name for s in selected if not s.compression_option]
            log(f"compression: {a.compression} on both sides"
                + (f" (not applied by {', '.join(ignoring)}: they measure identity answers)" if ignoring else ""))
        for s in selected:
            log(f"== {s.name}: {s.title}")
            if a.selftest and not s.selftest:
                results.append(ScenarioResult(s.name, "skipped",
                                              details={"reason": "the self-test's stand-in cannot play it"}))
                log(f"== {s.name}: skipped (the self-test's stand-in cannot play it)")
                continue
            res = run_scenario(s, lambda: Context(opts, tools, server_command, m["nproc"], log,
                                                  subject="stand-in" if a.selftest else "mandate"))
            results.append(res)
            log(f"== {s.name}: {res.status} in {res.seconds:.1f} s" + (f" ({res.error})" if res.error else ""))
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: servers stopped; writing what was measured")
    except HarnessError as e:
        log(f"error: {e}")
        results.append(ScenarioResult("setup", "error", error=str(e)))

    record["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    record["interrupted"] = interrupted
    record["results"] = [r.to_json() for r in results]
    print(table(results))
    if a.selftest:
        print("\nself-test: the server is a Python stand-in, so ratio and PASS/FAIL say nothing "
              "about Mandate; the check is that every measurement is valid.")
    latest_name = "latest-selftest.json" if a.selftest else "latest.json"
    path, latest = write_json(a.out, stem, latest_name, record)
    print(f"\nwrote {path} and {latest}")

    if interrupted:
        return 130
    if not results or any(r.status in ("error", "invalid") for r in results):
        return 2
    if not a.selftest and any(r.status == "fail" for r in results):
        return 1
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
