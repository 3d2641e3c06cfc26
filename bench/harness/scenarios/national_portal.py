"""national-portal: the public and signed-in pages on the national data (issue 18).

Issue text (points 1, 6 and 7): every public and signed-in page answers in <= 10 ms p50 and
<= 25 ms p99 of server time at national scale, uncached; a value slice of 3,321 values in
<= 10 ms; the edge's p99 stays within 3 x nginx's on the same bytes; no public page passes
100 KB compressed; the server starts cold in <= 3 s and stays <= 1 GB resident under load.

The data are the national scale of bench/generate.py (`units indicators values --scale national`:
the real 34 provinces and 3,321 communes with ministries and partners, 120 indicators, 10,000,000
values from May 2023 to June 2026), loaded as an operator would into a fresh database:
`mandate migrate`, `mandate units import units.csv`, `mandate indicators import indicators.csv`,
`mandate import values.csv` (approved: public, and in the transparency log), then
`mandate bench-data tasks` (50,000 tasks, 500,000 reports, dated against the data's own day,
2026-06-30), then a first `mandate serve`, which adds the demo's accounts, indicators, tasks and
published rankings. Each step is timed and shown as an info row. With --data-cache DIR the
generated files are kept in DIR/national-<values>/ and the prepared database in
DIR/national-portal-values-…-seed-….sqlite, with a JSON record of its preparation beside it, and
later runs with the same sizes copy it instead of preparing again.

Measured on `mandate serve` started on a copy of the prepared database:
  - cold start: the time from spawning the server to its first GET /healthz 200 (polled every
    0.25 s) and its resident memory (VmRSS, VmHWM of /proc/PID/status) after start and after the
    load; goals <= 3 s and a peak <= 1 GiB;
  - uncached pages: `/`, `/units`, three province profiles (the slowest of them is marked), a
    commune profile, `/indicators`, an indicator page, `/rankings`, a published ranking page,
    `/tasks`, a task page, `/methodology`, `/open-data` and `/transparency`, each with
    `Cache-Control: no-cache` (the edge and the shared render then let it through to the router,
    EdgeCache.key) under wrk with --latency-connections (default 1) and one thread, so that p50
    and p99 are the server's time and not a queue; at most 5 s per page after 1 s of warm-up.
    The same list signed in as the demo's viewer (a session cookie; the edge never answers a
    signed-in request), and the entry pages of Hà Nội (01) and of Ba Đình (00004) signed in as
    their reporters. Goal per row: p50 <= 10 ms, and p99 <= 25 ms (in the note: both must hold);
  - the slice: GET /api/v1/dataValues of one indicator communes report over its two newest months
    with `limit=3321`, checked to hold exactly 3,321 values (one month alone is about 3,190:
    5 % of the cells are missing), uncached (the API answers `no-store`); goal p50 <= 10 ms. One
    month alone is measured beside it as information;
  - the edge: each public page anonymous without the header (the edge answers what it keeps)
    under wrk with --connections, against nginx serving the exact bytes the server sent, with
    its Content-Type (the home page at /index.html: nginx cannot alias `/` to a file); goal
    edge p99 <= 3 x nginx p99 (the ratio column is that quotient);
  - weight: each public page's body, gzip level 6, in Python (the server does not compress);
    goal <= 100,000 bytes. The note adds the page's stylesheet and scripts.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from ..api import ApiClient, describe_difference
from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, median, register
from ..wrk import WrkResult, runs_problems
from .portal_under_writes import edge_answers
from .public_rankings import choose_published, ranking_paths
from .tasks_escalation import load_argv, parse_json_output, run_command
from .values_import import checkpoint, copy_database, parse_summary

GOAL_P50_MS = 10.0
GOAL_P99_MS = 25.0
SLICE_GOAL_P50_MS = 10.0
SLICE_VALUES = 3_321
EDGE_GOAL = 3.0  # edge p99 <= 3 x nginx p99
WEIGHT_GOAL_BYTES = 100_000
GZIP_LEVEL = 6
START_GOAL_MS = 3_000.0
RSS_GOAL_MIB = 1_024.0
VALUES = 10_000_000  # generate.py's national preset
DATA_SEED = 57  # generate.py's default seed
DATA_FILES = ("units", "indicators", "values")
GENERATE = Path(__file__).resolve().parent.parent.parent / "generate.py"
PROVINCES = ("01", "79", "48")  # Hà Nội, Hồ Chí Minh (the most communes), Đà Nẵng
UNCACHED_S = 5.0  # at most this long per uncached run: there are about thirty of them
UNCACHED_WARMUP_S = 1.0
NO_CACHE = {"Cache-Control": "no-cache"}
# Sources/MandateStore/Demo/DemoAccounts.swift
VIEWER = "viewer@demo.mandate.vn"
REPORTERS = {"01": "reporter.hanoi@demo.mandate.vn", "00004": "reporter.badinh@demo.mandate.vn"}
_ASSET = re.compile(rb'<(?:link[^>]*\brel="stylesheet"[^>]*\bhref|script[^>]*\bsrc)="(/[^"/][^"]*)"')


def data_dir_name(values: int, seed: int = DATA_SEED) -> str:
    """Where the generated national files are kept under --data-cache."""
    return f"national-{values}" + ("" if seed == DATA_SEED else f"-seed-{seed}")


def cache_name(values: int, tasks: int, reports: int, task_seed: int) -> str:
    """A prepared database is reusable for the same data sizes and task seed."""
    return f"national-portal-values-{values}-tasks-{tasks}-reports-{reports}-seed-{task_seed}.sqlite"


def generate_argv(out: Path, values: int) -> list[str]:
    """The command line that writes the national units, indicators and values (seeded) into `out`."""
    return [sys.executable, str(GENERATE), "units", "indicators", "values", "--scale", "national",
            "--values", str(values), "--out", str(out), "--quiet"]


def data_problem(manifest: dict | None, values: int, seed: int = DATA_SEED) -> str:
    """Why a manifest does not describe the data wanted ('' if it does)."""
    if not manifest:
        return "no manifest.json"
    if manifest.get("seed") != seed:
        return f"seed {manifest.get('seed')}, not {seed}"
    files = manifest.get("files", {})
    missing = [f for f in DATA_FILES if f not in files]
    if missing:
        return f"the manifest lists no {', '.join(missing)}"
    if files["values"].get("rows") != values:
        return f"{files['values'].get('rows')} values, not {values}"
    return ""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def prepare_steps(command: list[str], database: Path, data: Path, tasks: int, reports: int, task_seed: int,
                  today: str) -> list[tuple[str, list[str]]]:
    """The operator's commands that fill a fresh database, in order (the first `serve` comes after)."""
    url = f"sqlite:{database}"
    return [
        ("migrate", [*command, "migrate", "--database", url]),
        ("units import", [*command, "units", "import", str(data / "units.csv"), "--database", url]),
        ("indicators import", [*command, "indicators", "import", str(data / "indicators.csv"), "--database", url]),
        ("values import (approved)", [*command, "import", str(data / "values.csv"), "--database", url]),
        ("bench-data tasks", load_argv(command, database, tasks, reports, task_seed, today)),
    ]


def slice_indicator(indicators_csv: str) -> str:
    """The first indicator (file order) that communes report monthly: its slice is the largest."""
    for row in csv.DictReader(io.StringIO(indicators_csv)):
        if row["frequency"] == "monthly" and "commune" in row["applies_to"].split(";"):
            return row["code"]
    raise HarnessError("no indicator in indicators.csv is reported monthly by communes")


def first_commune(units_csv: str) -> str:
    """The first commune of units.csv (the generator writes them in code order)."""
    for row in csv.DictReader(io.StringIO(units_csv)):
        if row["level"] == "commune":
            return row["code"]
    raise HarnessError("units.csv has no commune")


def previous_month(period: str) -> str:
    """'202606' -> '202605', '202601' -> '202512'."""
    if not re.fullmatch(r"\d{6}", period):
        raise HarnessError(f"not a monthly period: {period!r}")
    y, m = int(period[:4]), int(period[4:])
    return f"{y - 1}12" if m == 1 else f"{y}{m - 1:02d}"


def slice_path(indicator: str, periods: list[str], limit: int | None = None) -> str:
    path = f"/api/v1/dataValues?indicator={quote(indicator, safe='')}&period={quote(','.join(periods), safe=',')}"
    return path + (f"&limit={limit}" if limit else "")


def public_pages(provinces: tuple[str, ...], commune: str, indicator: str, ranking: str | None,
                 task: str | None) -> dict[str, str]:
    """The public pages measured, by label, in order."""
    pages = {"overview": "/", "units": "/units"}
    for p in provinces:
        pages[f"province {p}"] = f"/units/{quote(p, safe='')}"
    pages[f"commune {commune}"] = f"/units/{quote(commune, safe='')}"
    pages["indicators"] = "/indicators"
    pages[f"indicator {indicator}"] = f"/indicators/{quote(indicator, safe='')}"
    pages["rankings"] = "/rankings"
    if ranking:
        pages["ranking"] = ranking
    pages["tasks"] = "/tasks"
    if task:
        pages[f"task {task}"] = f"/tasks/{quote(task, safe='')}"
    for name in ("methodology", "open-data", "transparency"):
        pages[name] = f"/{name}"
    return pages


def nginx_path(page: str) -> str:
    """Where nginx serves a page's bytes: the same path, but / at /index.html (an exact location
    for / cannot alias a file)."""
    return "/index.html" if page.endswith("/") else page


def gzip_size(body: bytes, level: int = GZIP_LEVEL) -> int:
    return len(gzip.compress(body, compresslevel=level, mtime=0))


def page_assets(html: bytes) -> list[str]:
    """The same-origin stylesheets and scripts a page loads, in order, each once."""
    seen: list[str] = []
    for m in _ASSET.finditer(html):
        path = m.group(1).decode("utf-8", "replace")
        if path not in seen:
            seen.append(path)
    return seen


def memory_kib(status_text: str) -> dict[str, int]:
    """VmRSS and VmHWM (kB) from the text of /proc/PID/status."""
    out = {}
    for line in status_text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def read_memory(pid: int | None) -> dict[str, int]:
    if pid is None:
        return {}
    try:
        return memory_kib(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return {}


def router_cache_note(cache_control: str) -> str:
    """A note for an uncached page the router itself keeps: an answer to `no-cache` that still says
    `public, max-age` came from the router's response cache (ResponseCache), which the request
    header does not bypass (only the edge and the shared render look at it)."""
    directives = [d.strip() for d in cache_control.lower().split(",")]
    if "public" in directives and any(d.startswith("max-age=") for d in directives):
        return (f"; answered from the router's own response cache (Cache-Control: {cache_control}), "
                "which no-cache does not bypass")
    return ""


def page_row(scenario: str, target: str, runs: list[WrkResult], p50_goal: float = GOAL_P50_MS,
             p99_goal: float | None = GOAL_P99_MS) -> Row:
    """A latency row judged on p50 and, when given, p99 (the second goal in the note); medians over runs."""
    p50 = median([r.latency_ms.get("p50") for r in runs])
    p99 = median([r.latency_ms.get("p99") for r in runs])
    row = Row(scenario, target, "subject", median([r.rps for r in runs]), "req/s", p50, p99,
              goal=p50_goal, goal_metric="p50", goal_op="<=", goal_unit="ms")
    row.passed = bool(row.meets(p50))
    if p99_goal is not None:
        p99_ok = p99 is not None and p99 <= p99_goal
        row.passed = row.passed and p99_ok
        row.note = f"p99 <= {p99_goal:g} ms: {'yes' if p99_ok else 'NO'}"
    problems = runs_problems(target, runs)
    if problems:
        row.note = "; ".join([row.note, *problems]).strip("; ")
    return row


def failed_row(scenario: str, target: str, why: str) -> Row:
    """A page that could not be measured: it did not answer 200."""
    return Row(scenario, target, "subject", goal=GOAL_P50_MS, goal_metric="p50", goal_op="<=", goal_unit="ms",
               passed=False, note=f"not measured: {why}")


def edge_rows(scenario: str, subject: str, page: str, edge: list[WrkResult], nginx: list[WrkResult],
              share: float | None) -> list[Row]:
    """The edge's row, judged on p99 / nginx's p99 (median of the per-repeat quotients), and nginx's."""
    quotients = [e.latency_ms["p99"] / n.latency_ms["p99"] for e, n in zip(edge, nginx)
                 if e.latency_ms.get("p99") and n.latency_ms.get("p99")]
    ratio = median(quotients)
    problems = runs_problems("edge", edge) + runs_problems("nginx", nginx)
    note = f"ratio: p99 / nginx p99; edge answered {'-' if share is None else f'{share:.4f}'} of the requests"
    row = Row(scenario, f"{subject} edge GET {page} (anonymous)", "subject", median([r.rps for r in edge]), "req/s",
              median([r.latency_ms.get("p50") for r in edge]), median([r.latency_ms.get("p99") for r in edge]),
              ratio, EDGE_GOAL, None if ratio is None else ratio <= EDGE_GOAL,
              "; ".join([note, *problems]), goal_op="<=")
    limit = Row(scenario, f"nginx, the same bytes at {nginx_path(page)} (limit)", "limit",
                median([r.rps for r in nginx]), "req/s", median([r.latency_ms.get("p50") for r in nginx]),
                median([r.latency_ms.get("p99") for r in nginx]))
    return [row, limit]


def weight_row(scenario: str, page: str, body: bytes, assets_gzip: int | None) -> Row:
    size = gzip_size(body)
    row = Row(scenario, f"weight of {page}, gzip -{GZIP_LEVEL}", "subject", size, "B", goal=WEIGHT_GOAL_BYTES,
              goal_metric="gzip", goal_op="<=", goal_unit="B")
    row.passed = bool(row.meets(size))
    row.note = f"{len(body):,} bytes uncompressed"
    if assets_gzip is not None:
        row.note += f"; with its stylesheet and scripts {size + assets_gzip:,} bytes gzip"
    return row


def prepare_rows(scenario: str, record: dict) -> list[Row]:
    """Info rows: how long each preparation step took (from the cache's record when reused)."""
    origin = f"cached, prepared {record.get('prepared_at')}" if record.get("cached") else "this run"
    rows = []
    for name, step in record.get("steps", {}).items():
        note = f"{step['seconds']:.1f} s ({origin})"
        summary = step.get("summary") or {}
        if "rows_per_s" in summary:
            note += f"; {summary.get('created')} created at {summary['rows_per_s']} rows/s (its own count)"
        if "tasks" in summary:
            note += f"; {summary.get('tasks')} tasks, {summary.get('reports')} reports"
        rows.append(Row(scenario, f"prepare: {name} (info)", "info", step["seconds"], "s", note=note))
    if record.get("database_bytes"):
        rows.append(Row(scenario, "prepared database size (info)", "info", record["database_bytes"] / 2 ** 20, "MiB",
                        note=f"{record['database_bytes']:,} bytes"))
    return rows


@register
class NationalPortal(Scenario):
    name = "national-portal"
    title = "public and signed-in pages, a 3,321-value slice, the edge, weight and start on the national data"
    measures = ("p50/p99 of every public page (anonymous, Cache-Control: no-cache) and signed-in page at one "
                "connection, a slice of 3,321 values, the edge's p99 against nginx serving the same bytes, each "
                "public page's gzip size, the cold start and resident memory, on 10,000,000 approved values, "
                "50,000 tasks and 500,000 reports")
    goal_text = (f"p50 <= {GOAL_P50_MS:g} ms and p99 <= {GOAL_P99_MS:g} ms per page; slice p50 <= "
                 f"{SLICE_GOAL_P50_MS:g} ms; edge p99 <= {EDGE_GOAL:g} x nginx; <= 100 KB gzip; start <= 3 s; "
                 "<= 1 GiB resident")
    tools = ("nginx", "wrk")
    selftest = False  # the stand-in has no pages

    # -- preparation -------------------------------------------------------------------------------

    def data(self, ctx: Context) -> tuple[Path, dict, float | None]:
        """The generated files (from --data-cache if they are there and match their manifest), the
        manifest, and the seconds generating took (None when reused)."""
        o = ctx.options
        out = Path(o.data_cache) / data_dir_name(VALUES) if o.data_cache else ctx.workdir("data")
        manifest_path = out / "manifest.json"
        if manifest_path.exists():
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            why = data_problem(manifest, VALUES)
            if not why:
                for f in DATA_FILES:
                    entry = manifest["files"][f]
                    path = out / entry["file"]
                    if not path.exists() or sha256_file(path) != entry["sha256"]:
                        why = f"{path} is missing or differs from its manifest"
                        break
            if not why:
                ctx.log(f"  data: {out} (cached; SHA-256 of every file checked against its manifest)")
                return out, manifest, None
            ctx.log(f"  data: {out} not reused: {why}")
        out.mkdir(parents=True, exist_ok=True)
        argv = generate_argv(out, VALUES)
        ctx.log(f"  data: {' '.join(argv)}")
        t0 = time.monotonic()
        run_command(argv, ctx.workdir("logs") / "generate.log", o.prepare_timeout, "generate.py")
        seconds = time.monotonic() - t0
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        why = data_problem(manifest, VALUES)
        if why:
            raise HarnessError(f"generate.py wrote unexpected data into {out}: {why}")
        return out, manifest, seconds

    def prepare(self, ctx: Context) -> tuple[Path, dict]:
        """The prepared database (the cached file, or one made in this run) and its record."""
        o = ctx.options
        cached = Path(o.data_cache) / cache_name(VALUES, o.tasks, o.reports, o.task_seed) if o.data_cache else None
        if cached and cached.exists() and cached.with_suffix(".json").exists():
            record = json.loads(cached.with_suffix(".json").read_text(encoding="utf-8"))
            record["cached"] = str(cached)
            ctx.log(f"  prepared database: {cached} (cached, prepared {record.get('prepared_at')})")
            return cached, record
        data, manifest, generate_s = self.data(ctx)
        values_info = manifest["files"]["values"]
        today = manifest["options"]["today"]
        workdir = ctx.workdir("prepare")
        database = workdir / "bench.sqlite"
        steps: dict[str, dict] = {}
        if generate_s is not None:
            steps["generate.py"] = {"seconds": round(generate_s, 1), "command": generate_argv(data, VALUES)}
        logs = ctx.workdir("logs")
        for name, argv in prepare_steps(ctx.server_command, database, data, o.tasks, o.reports, o.task_seed, today):
            ctx.log(f"  prepare {name}: {' '.join(argv)}")
            t0 = time.monotonic()
            out = run_command(argv, logs / (name.split()[0] + ".log"), o.prepare_timeout, f"mandate {name}")
            step = {"seconds": round(time.monotonic() - t0, 1), "command": argv, "stdout": out[-2000:]}
            if name.startswith("values"):
                step["summary"] = parse_summary(out)
            elif name == "bench-data tasks":
                step["summary"] = parse_json_output(out, "bench-data tasks")
            steps[name] = step
            ctx.log(f"    {step['seconds']} s; {out.strip().splitlines()[-1][:200] if out.strip() else ''}")
        # The first start adds the demo: accounts (the viewer and reporters signed in below),
        # its indicators and values, its tasks, and its published rankings.
        first = ctx.start_server("prepare")
        steps["first serve (adds the demo)"] = {"seconds": round(first.startup_s or 0.0, 1), "command": first.argv()}
        first.stop()
        checkpoint(database)
        commune = first_commune((data / "units.csv").read_text(encoding="utf-8"))
        indicator = slice_indicator((data / "indicators.csv").read_text(encoding="utf-8"))
        last = values_info["last_period"]
        record = {"prepared_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "binary": ctx.server_command[0], "data": {"dir": str(data), "seed": manifest.get("seed"),
                                                            "today": today, "files": manifest["files"]},
                  "task_load": {"tasks": o.tasks, "reports": o.reports, "seed": o.task_seed, "today": today},
                  "steps": steps, "database_bytes": database.stat().st_size,
                  "portal": {"commune": commune, "indicator": indicator, "slice_periods": [last, previous_month(last)]}}
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            copy_database(database, cached)
            cached.with_suffix(".json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
            ctx.log(f"  prepared database kept in {cached}")
        return database, record

    # -- measurement -------------------------------------------------------------------------------

    def run(self, ctx: Context) -> ScenarioResult:
        o = ctx.options
        source, record = self.prepare(ctx)
        rows = prepare_rows(self.name, record)
        details: dict = {"preparation": record}
        t0 = time.monotonic()
        copy_database(source, ctx.workdir("server") / "bench.sqlite")
        details["copy_s"] = round(time.monotonic() - t0, 1)

        server = ctx.start_server("server")
        base, pid = server.base_url, server.proc.pid if server.proc else None
        start_ms = (server.startup_s or 0.0) * 1000.0
        after_start = read_memory(pid)
        details.update(startup_s=round(server.startup_s or 0.0, 3), memory_after_start_kib=after_start)
        start = Row(self.name, f"{ctx.subject} cold start: spawn to first GET /healthz 200", "subject", start_ms, "ms",
                    goal=START_GOAL_MS, goal_metric="start", goal_op="<=", goal_unit="ms",
                    note=f"polled every 0.25 s; VmRSS after start {after_start.get('VmRSS', 0) / 1024:.0f} MiB")
        start.passed = bool(start.meets(start_ms))
        rows.append(start)

        visitor = ApiClient(base)
        clients: list[ApiClient] = [visitor]
        try:
            portal = record["portal"]
            rankings = visitor.json("GET", "/api/v1/rankings")
            items = rankings.get("items", []) if isinstance(rankings, dict) else rankings
            published = choose_published(items or [])
            ranking = ranking_paths(published["methodId"], published["period"])["html"] if published else None
            task = "NV000001" if visitor.request("GET", "/api/v1/tasks/NV000001")[0] == 200 else None
            pages = public_pages(PROVINCES, portal["commune"], portal["indicator"], ranking, task)
            ctx.log(f"  pages: {', '.join(pages.values())}")

            # Each page once, anonymous and uncached (its first render since the start), then once more
            # as wrk will ask for it (the edge's copy): the bytes nginx is to serve.
            bodies: dict[str, bytes] = {}
            checks: dict[str, dict] = {}
            for label, path in pages.items():
                t = time.perf_counter()
                status, headers, body = visitor.request("GET", path, headers=NO_CACHE)
                first_ms = (time.perf_counter() - t) * 1000.0
                check = {"path": path, "status": status, "first_ms": round(first_ms, 1), "bytes": len(body),
                         "content_type": headers.get("content-type", ""),
                         "cache_control": headers.get("cache-control", "")}
                if status == 200:
                    status2, headers2, body2 = visitor.request("GET", path)
                    check.update(edge_status=status2, identical_to_edge_copy=not describe_difference(body, body2))
                    if status2 == 200:
                        bodies[label] = body2
                else:
                    check["body"] = body[:500].decode("utf-8", "replace")
                checks[label] = check
                ctx.log(f"  GET {path}: HTTP {status}, {len(body):,} bytes, first answer {first_ms:.0f} ms")
            details["pages"] = checks

            # Signed in: the viewer sees every page; the reporters their entry pages.
            viewer = ApiClient(base)
            clients.append(viewer)
            viewer.login(VIEWER)
            signed: dict[str, tuple[str, ApiClient]] = {f"{label} (viewer)": (path, viewer)
                                                        for label, path in pages.items()}
            for unit, email in REPORTERS.items():
                reporter = ApiClient(base)
                clients.append(reporter)
                reporter.login(email)
                signed[f"entry {unit} ({email.split('@')[0]})"] = (f"/units/{unit}/entry", reporter)
            signed_checks: dict[str, dict] = {}
            for label, (path, client) in signed.items():
                status, headers, body = client.request("GET", path, headers=NO_CACHE)
                signed_checks[label] = {"path": path, "status": status, "bytes": len(body)}
                if status != 200:
                    signed_checks[label]["body"] = body[:500].decode("utf-8", "replace")
                ctx.log(f"  GET {path} signed in ({label}): HTTP {status}, {len(body):,} bytes")
            details["signed_in_pages"] = signed_checks

            # The slice: exactly 3,321 values, checked.
            indicator, periods = portal["indicator"], portal["slice_periods"]
            slices = {f"slice of {SLICE_VALUES:,} values": slice_path(indicator, periods, SLICE_VALUES),
                      f"one month of {indicator} (info)": slice_path(indicator, periods[:1])}
            slice_counts = {}
            for label, path in slices.items():
                status, _, body = visitor.request("GET", path, headers={"Accept": "application/json"})
                if status != 200:
                    raise HarnessError(f"GET {path} answered HTTP {status}: {body[:300]!r}")
                slice_counts[label] = len(json.loads(body).get("dataValues", []))
                ctx.log(f"  GET {path}: {slice_counts[label]:,} values, {len(body):,} bytes")
            main_slice = next(iter(slices))
            if slice_counts[main_slice] != SLICE_VALUES:
                raise HarnessError(f"GET {slices[main_slice]} returned {slice_counts[main_slice]} values, "
                                   f"not {SLICE_VALUES}")
            details["slices"] = {label: {"path": path, "values": slice_counts[label]} for label, path in slices.items()}

            # Uncached, one connection: anonymous pages, signed-in pages, the slices.
            c = o.latency_connections
            seconds = min(o.duration, UNCACHED_S)

            def latency_runs(url: str, headers: dict[str, str]) -> list[WrkResult]:
                if o.warmup > 0:
                    ctx.wrk(url, duration=min(o.warmup, UNCACHED_WARMUP_S), connections=c, threads=1,
                            headers=headers)
                out = []
                for _ in range(o.repeats):
                    out.append(ctx.wrk(url, duration=seconds, connections=c, threads=min(o.threads, c),
                                       headers=headers))
                r = out[-1]
                ctx.log(f"    {r.rps or 0:,.0f} req/s, p50 {r.latency_ms.get('p50')} ms, "
                        f"p99 {r.latency_ms.get('p99')} ms, errors {r.errors}")
                return out

            runs: dict[str, dict] = {"uncached": {}, "signed_in": {}, "slices": {}, "edge": {}, "nginx": {}}
            province_rows: list[Row] = []
            for label, path in pages.items():
                target = f"{ctx.subject} GET {path} (c{c}, no-cache)"
                if checks[label]["status"] != 200:
                    rows.append(failed_row(self.name, target, f"HTTP {checks[label]['status']}: "
                                                              f"{checks[label].get('body', '')[:200]}"))
                    continue
                ctx.log(f"  uncached {path}")
                rs = latency_runs(base + path, NO_CACHE)
                runs["uncached"][label] = rs
                row = page_row(self.name, target, rs)
                row.note += f"; first answer after start {checks[label]['first_ms']:.0f} ms"
                row.note += router_cache_note(checks[label]["cache_control"])
                rows.append(row)
                if label.startswith("province "):
                    province_rows.append(row)
            if province_rows:
                slowest = max(province_rows, key=lambda r: r.p50_ms or 0.0)
                slowest.note += f"; the slowest of provinces {', '.join(PROVINCES)} by p50"

            for label, (path, client) in signed.items():
                target = f"{ctx.subject} GET {path} signed in, {label.rsplit('(', 1)[1].rstrip(')')} (c{c})"
                if signed_checks[label]["status"] != 200:
                    rows.append(failed_row(self.name, target, f"HTTP {signed_checks[label]['status']}: "
                                                              f"{signed_checks[label].get('body', '')[:200]}"))
                    continue
                ctx.log(f"  signed in {path} ({label})")
                rs = latency_runs(base + path, {"Cookie": client.cookie or "", **NO_CACHE})
                runs["signed_in"][label] = rs
                rows.append(page_row(self.name, target, rs))

            for label, path in slices.items():
                ctx.log(f"  {label}: {path}")
                rs = latency_runs(base + path, {"Accept": "application/json", **NO_CACHE})
                runs["slices"][label] = rs
                row = page_row(self.name, f"{ctx.subject} GET {path} (c{c})", rs, SLICE_GOAL_P50_MS, None)
                row.note = "; ".join(x for x in (f"{slice_counts[label]:,} values", row.note) if x)
                if label.endswith("(info)"):
                    row.kind, row.goal, row.passed = "info", None, None
                rows.append(row)

            # The edge against nginx serving the same bytes.
            static = ctx.workdir("static")
            routes = {}
            for i, (label, body) in enumerate(bodies.items()):
                f = static / f"page-{i}.html"
                f.write_bytes(body)
                routes[nginx_path(pages[label])] = (f, checks[label]["content_type"])
            edge_rows_out: list[Row] = []
            if routes:
                nginx = ctx.start_static_nginx(routes)
                for label, body in bodies.items():
                    nginx.check_serves(nginx_path(pages[label]), body)
                for label, body in bodies.items():
                    path = pages[label]
                    targets = {"edge": base + path, "nginx": nginx.base_url + nginx_path(path)}
                    if o.warmup > 0:
                        for url in targets.values():
                            ctx.wrk(url, duration=o.warmup)
                    edge, ngx, shares = [], [], []
                    for i in range(o.repeats):
                        order = ("edge", "nginx") if i % 2 == 0 else ("nginx", "edge")
                        for side in order:
                            before = edge_answers(visitor.request("GET", "/metrics")[2].decode()) \
                                if side == "edge" else 0
                            r = ctx.wrk(targets[side])
                            if side == "edge":
                                after = edge_answers(visitor.request("GET", "/metrics")[2].decode())
                                shares.append((after - before) / r.requests if r.requests else None)
                                edge.append(r)
                            else:
                                ngx.append(r)
                            ctx.log(f"  {side} {path} c{o.connections}: {r.rps or 0:,.0f} req/s, p50 "
                                    f"{r.latency_ms.get('p50')} ms, p99 {r.latency_ms.get('p99')} ms, "
                                    f"errors {r.errors}")
                    runs["edge"][label], runs["nginx"][label] = edge, ngx
                    edge_rows_out += edge_rows(self.name, ctx.subject, path, edge, ngx, median(shares))
            rows += edge_rows_out

            # Weight: each public page, gzip -6, and its stylesheet and scripts beside it.
            asset_sizes: dict[str, int | None] = {}
            for label, body in bodies.items():
                total = 0
                for asset in page_assets(body):
                    if asset not in asset_sizes:
                        status, _, content = visitor.request("GET", asset)
                        asset_sizes[asset] = gzip_size(content) if status == 200 else None
                    total += asset_sizes[asset] or 0
                rows.append(weight_row(self.name, pages[label], body, total))
            details["assets_gzip_bytes"] = asset_sizes
        finally:
            for client in clients:
                client.close()

        after = read_memory(pid)
        details["memory_after_load_kib"] = after
        peak_mib = after.get("VmHWM", 0) / 1024.0
        rss = Row(self.name, f"{ctx.subject} resident memory, peak over the run (VmHWM)", "subject", peak_mib, "MiB",
                  goal=RSS_GOAL_MIB, goal_metric="peak", goal_op="<=", goal_unit="MiB",
                  note=f"VmRSS after the load {after.get('VmRSS', 0) / 1024:.0f} MiB, after start "
                       f"{after_start.get('VmRSS', 0) / 1024:.0f} MiB")
        rss.passed = bool(after) and bool(rss.meets(peak_mib))
        rows.append(rss)

        details["runs"] = {kind: {label: [r.to_json(with_raw=False) for r in rs] for label, rs in by.items()}
                           for kind, by in runs.items()}
        problems = [p for rs_by in runs.values() for label, rs in rs_by.items() for p in runs_problems(label, rs)]
        refused = [label for label, c in checks.items() if c["status"] != 200] + \
                  [label for label, c in signed_checks.items() if c["status"] != 200]
        if refused:
            problems.append(f"pages not answering 200: {', '.join(refused)}")
        details["problems"] = problems
        verdicts = [r.passed for r in rows if r.kind == "subject"]
        status = "invalid" if problems else ("pass" if all(v is True for v in verdicts) else "fail")
        return ScenarioResult(self.name, status, rows, details)
