"""portal-under-writes: the portal's pages under wrk while a writer commits values of another province.

Issue text: a commit drops only the public answers whose data it changed, not the whole edge
cache. A benchmark measures `/` and a province profile under wrk while a writer commits a value
of an unrelated commune every 10 ms: throughput stays >= 0.8 x its figure without writes, and a
write that does change the page is visible on it at once.

On `mandate serve` with its demo data (anonymous wrk, so the edge answers what it keeps):

    GET /               the national overview
    GET /units/01       the profile of the first province by code (Hà Nội)

each measured three ways, in the same run: without writes (the reference), while a writer
commits a draft value of a commune of another province every 10 ms, and while it approves one
every 10 ms. The writer keeps to that schedule with WRITERS kept-alive connections, each signed in
as the demo's administrator (who may enter and approve values for any unit) and writing a commune
of its own: POST /api/v1/dataValueSets (with ?approve=true for approvals), one value of the first
indicator that communes report and that rolls up by sum or mean, its newest ended period, a value
that changes at every write of the commune. (One connection alone cannot: under wrk a write takes
longer than 10 ms.) Goal: >= 0.80 x the
reference for both pages with drafts and for the province page with approvals. The overview
under approvals changes with every write (its feed of recent facts and the national roll-ups),
so its figure is reported, without a verdict.

Last, a write that changes the province page: a value of one of its own communes is approved,
and the next anonymous read of the page must be the router's (the edge's count of answers does
not move), differ from the read before, and agree with the province's roll-up.
"""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import quote

from ..api import ApiClient
from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, median, register
from ..sse import percentile
from .rollup_latency import all_items, choose_indicator, last_ended_period, value_set

GOAL = 0.8
ACCOUNT = "admin@demo.mandate.vn"  # Sources/MandateStore/Demo/DemoAccounts.swift; admins approve for any unit
INTERVAL_S = 0.010
WRITERS = 4
MODES = ("none", "draft", "approve")
MODE_LABELS = {"none": "no writes", "draft": "drafts every 10 ms", "approve": "approvals every 10 ms"}
# Which (page, mode) pairs the goal applies to; the overview under approvals is reported only.
JUDGED = {("overview", "draft"), ("profile", "draft"), ("profile", "approve")}


def pages(province: str) -> dict[str, str]:
    """The pages measured: the national overview and the province's profile."""
    return {"overview": "/", "profile": f"/units/{quote(province, safe='')}"}


def choose_places(provinces: list[dict], communes: list[dict], predecessors: set[str],
                  writers: int = WRITERS) -> dict:
    """The profiled province (the first by code), a commune of it (the one the visible write goes to)
    and the writers' communes: the first `writers` communes of the first other province whose data
    the profile does not read (not the province itself, nor one it took over in a merger)."""
    codes = sorted(p["code"] for p in provinces)
    if len(codes) < 2:
        raise HarnessError("the demo has fewer than two provinces")
    province = codes[0]
    by_province: dict[str, list[str]] = {}
    for c in sorted(communes, key=lambda c: c["code"]):
        if c.get("parentCode"):
            by_province.setdefault(c["parentCode"], []).append(c["code"])
    own = by_province.get(province)
    if not own:
        raise HarnessError(f"province {province} has no communes")
    others = [p for p in codes[1:] if p not in predecessors and len(by_province.get(p, [])) >= writers]
    if not others:
        raise HarnessError(f"no province but {province} and those it took over has {writers} communes")
    return {"province": province, "own_commune": own[0], "other_province": others[0],
            "other_communes": by_province[others[0]][:writers]}


def write_values(value_type: str) -> tuple[str, str]:
    """Two distinct valid values of a type, which the writer alternates so that every write changes
    the stored value: 0 and 1 for yes/no, else two decimals."""
    return ("0", "1") if value_type == "yesno" else ("10.5", "20.5")


def edge_answers(metrics_text: str) -> int:
    """The edge's answers so far, from GET /metrics (`http_edge_answers_total N`)."""
    for line in metrics_text.splitlines():
        if line.startswith("http_edge_answers_total "):
            return int(float(line.split()[1]))
    raise HarnessError("GET /metrics has no http_edge_answers_total")


class Writer:
    """Threads that commit one value every `interval` seconds between them, until stopped: write n
    is due `n * interval` after the start and goes out on the first connection free at that time
    (each signed in, each writing its own commune, alternating two values, so that every write
    changes what is stored). Records each write's time, how late it went out, and any failure."""

    def __init__(self, base_url: str, path: str, bodies: list[Callable[[int], dict]], interval: float = INTERVAL_S):
        self.clients = []
        for _ in bodies:
            client = ApiClient(base_url)
            client.login(ACCOUNT)
            self.clients.append(client)
        self.path, self.bodies, self.interval = path, bodies, interval
        self.seconds: list[float] = []
        self.late: list[float] = []
        self.failures: list[str] = []
        self.elapsed = 0.0
        self._next = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), name=f"writer-{i}", daemon=True)
                         for i in range(len(bodies))]
        self._start = 0.0

    def __enter__(self) -> "Writer":
        self._start = time.monotonic()
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
        self.elapsed = time.monotonic() - self._start
        for client in self.clients:
            client.close()

    def _run(self, i: int) -> None:
        client, body = self.clients[i], self.bodies[i]
        n = 0  # this connection's writes: its commune's values alternate
        while True:
            with self._lock:
                slot = self._next
                self._next += 1
            due = self._start + slot * self.interval
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            late = time.monotonic() - due
            t0 = time.perf_counter()
            try:
                status, _, payload = client.request("POST", self.path, body(n), {"Accept": "application/json"},
                                                    csrf=True)
                if status != 200:
                    self.failures.append(f"HTTP {status}: {payload[:200]!r}")
            except (OSError, HarnessError) as e:
                self.failures.append(f"{type(e).__name__}: {e}")
            spent = time.perf_counter() - t0
            with self._lock:
                self.seconds.append(spent)
                self.late.append(late)
            n += 1

    def summary(self) -> dict:
        def ms(x: float | None) -> float | None:
            return None if x is None else round(x * 1000.0, 3)
        per_s = round(len(self.seconds) / self.elapsed, 1) if self.elapsed else None
        return {"writes": len(self.seconds), "connections": len(self.clients), "per_s": per_s,
                "p50_ms": ms(percentile(self.seconds, 50)), "p99_ms": ms(percentile(self.seconds, 99)),
                "late_p50_ms": ms(percentile(self.late, 50)), "late_p99_ms": ms(percentile(self.late, 99)),
                "failures": len(self.failures), "first_failures": self.failures[:3]}


def check_visible(base_url: str, admin: ApiClient, page: str, indicator: str, period: str, commune: str,
                  province: str, values: tuple[str, str]) -> dict:
    """Approve a value of one of the province's own communes; the next anonymous read of its page
    must be rendered anew (not the edge's), differ from the one before, and the province's roll-up
    must show the value. Returns what was seen; `visible` says whether all of it held."""
    visitor = ApiClient(base_url)
    rollup = (f"/api/v1/indicators/{quote(indicator, safe='')}/rollup?unit={quote(province, safe='')}"
              f"&period={quote(period, safe='')}")
    try:
        def write(value: str) -> None:
            admin.json("POST", "/api/v1/dataValueSets?approve=true", value_set(indicator, commune, period, value),
                       csrf=True)

        def edge_count() -> int:
            return edge_answers(visitor.request("GET", "/metrics")[2].decode())

        def read() -> tuple[bytes, bool]:
            """The page, and whether the edge answered it."""
            before = edge_count()
            status, _, body = visitor.request("GET", page)
            if status != 200:
                raise HarnessError(f"GET {page} answered HTTP {status}")
            return body, edge_count() == before + 1

        write(values[0])
        before_rollup = visitor.json("GET", rollup)
        first, _ = read()
        kept, from_edge = read()
        write(values[1])
        after, after_from_edge = read()
        after_rollup = visitor.json("GET", rollup)
        seen = {"commune": commune, "values": list(values), "kept_before": from_edge and kept == first,
                "rendered_anew": not after_from_edge, "changed": after != kept,
                "rollup_before": before_rollup.get("value"), "rollup_after": after_rollup.get("value")}
        seen["visible"] = bool(seen["kept_before"] and seen["rendered_anew"] and seen["changed"]
                               and seen["rollup_before"] != seen["rollup_after"])
        return seen
    finally:
        visitor.close()


@register
class PortalUnderWrites(Scenario):
    name = "portal-under-writes"
    title = "/ and a province profile under wrk while a writer commits another province's values every 10 ms"
    measures = ("requests/s and latency of GET / and GET /units/{first province} (anonymous) without writes, "
                "with a draft value of another province's commune committed every 10 ms, and with one approved "
                "every 10 ms; then a value of the province's own commune must show on its page at once")
    goal_text = f">= {GOAL:.2f} x no writes (both pages with drafts, the profile with approvals)"
    tools = ("wrk",)
    selftest = False  # the stand-in has neither pages nor writes

    def run(self, ctx: Context) -> ScenarioResult:
        server = ctx.start_server()
        admin = ApiClient(server.base_url)
        try:
            return self.measure(ctx, server.base_url, admin)
        finally:
            admin.close()

    def measure(self, ctx: Context, base: str, admin: ApiClient) -> ScenarioResult:
        o = ctx.options
        indicator = choose_indicator(admin.json("GET", "/api/v1/indicators")["items"])
        code = indicator["code"]
        period = last_ended_period(indicator["frequency"], datetime.now(timezone.utc).date())
        values = write_values(indicator.get("valueType", ""))
        provinces = all_items(admin, "/api/v1/units?kind=province")
        communes = all_items(admin, "/api/v1/units?kind=commune")
        first = sorted(p["code"] for p in provinces)[0]
        detail = admin.json("GET", f"/api/v1/units/{quote(first, safe='')}")
        predecessors = {link.get("predecessorCode") for link in detail.get("predecessors", [])}
        places = choose_places(provinces, communes, predecessors)
        targets = pages(places["province"])
        ctx.log(f"  pages {targets['overview']} and {targets['profile']}; the writer commits {code} {period} of "
                f"communes {', '.join(places['other_communes'])} (province {places['other_province']})")
        admin.login(ACCOUNT)

        def writer(mode: str) -> Writer | None:
            if mode == "none":
                return None
            path = "/api/v1/dataValueSets" + ("?approve=true" if mode == "approve" else "")

            def body(commune: str) -> Callable[[int], dict]:
                return lambda n: value_set(code, commune, period, values[n % 2])
            return Writer(base, path, [body(c) for c in places["other_communes"]])

        if o.warmup > 0:
            for kind, page in targets.items():
                ctx.log(f"  warm-up {kind} {o.warmup:g} s")
                ctx.wrk(base + page, duration=o.warmup)

        runs: dict[tuple[str, str], list] = {(k, m): [] for k in targets for m in MODES}
        writes: dict[str, list[dict]] = {m: [] for m in MODES if m != "none"}
        edge: dict[tuple[str, str], list[float]] = {key: [] for key in runs}
        for i in range(o.repeats):
            order = MODES if i % 2 == 0 else tuple(reversed(MODES))
            for mode in order:
                w = writer(mode)
                with w if w else contextlib.nullcontext():
                    for kind, page in targets.items():
                        before = edge_answers(admin.request("GET", "/metrics")[2].decode())
                        r = ctx.wrk(base + page)
                        after = edge_answers(admin.request("GET", "/metrics")[2].decode())
                        runs[(kind, mode)].append(r)
                        share = (after - before) / r.requests if r.requests else None
                        edge[(kind, mode)].append(share)
                        ctx.log(f"  run {i + 1}/{o.repeats} {kind} {MODE_LABELS[mode]}: {r.rps or 0:,.0f} req/s, "
                                f"p50 {r.latency_ms.get('p50')} ms, p99 {r.latency_ms.get('p99')} ms, "
                                f"edge {0 if share is None else share:.4f}, errors {r.errors}")
                if w:
                    writes[mode].append(w.summary())
                    ctx.log(f"    writer: {w.summary()}")

        seen = check_visible(base, admin, targets["profile"], code, period, places["own_commune"],
                             places["province"], values)
        ctx.log(f"  a value of {places['own_commune']} on {targets['profile']}: {seen}")
        return self.result(ctx, targets, runs, writes, edge, seen, places, code, period)

    def result(self, ctx, targets, runs, writes, edge, seen, places, code, period) -> ScenarioResult:
        rows, problems = [], []
        for (kind, mode), rs in runs.items():
            for i, r in enumerate(rs):
                ok, why = r.valid()
                if not ok:
                    problems.append(f"{kind} {mode} run {i + 1}: {why}")
        for mode, summaries in writes.items():
            for s in summaries:
                if s["failures"]:
                    problems.append(f"writer ({mode}): {s['failures']} failed writes, e.g. {s['first_failures']}")
        ratios: dict[str, list[float]] = {}
        for kind, page in targets.items():
            reference = runs[(kind, "none")]
            rows.append(Row(self.name, f"{ctx.subject} GET {page}, no writes (reference)", "limit",
                            median([r.rps for r in reference]), "req/s",
                            median([r.latency_ms.get("p50") for r in reference]),
                            median([r.latency_ms.get("p99") for r in reference]),
                            note=f"edge share {_share(edge[(kind, 'none')])}"))
            for mode in ("draft", "approve"):
                rs = runs[(kind, mode)]
                rs_ratios = [m.rps / n.rps for m, n in zip(rs, reference) if m.rps and n.rps]
                ratios[f"{kind} {mode}"] = rs_ratios
                ratio = median(rs_ratios)
                judged = (kind, mode) in JUDGED
                w = writes[mode]
                note = (f"edge share {_share(edge[(kind, mode)])}; writer {median([s['per_s'] for s in w])} writes/s "
                        f"(POST p50 {median([s['p50_ms'] for s in w])} ms, sent late by p50 "
                        f"{median([s['late_p50_ms'] for s in w])} ms)")
                if not judged:
                    note += "; the page changes with every approved value (no goal)"
                rows.append(Row(self.name, f"{ctx.subject} GET {page}, {MODE_LABELS[mode]}",
                                "subject" if judged else "info", median([r.rps for r in rs]), "req/s",
                                median([r.latency_ms.get("p50") for r in rs]),
                                median([r.latency_ms.get("p99") for r in rs]), ratio,
                                GOAL if judged else None,
                                (None if ratio is None else ratio >= GOAL) if judged else None, note))
        visible = Row(self.name, f"a value of {places['own_commune']} shows on {targets['profile']} at once",
                      "subject", note=str(seen))
        visible.passed = seen["visible"]
        rows.append(visible)
        details = {"indicator": code, "period": period, "places": places, "visible": seen, "ratios": ratios,
                   "writes": writes, "edge_share": {f"{k} {m}": v for (k, m), v in edge.items()},
                   "runs": {f"{k} {m}": [r.to_json() for r in rs] for (k, m), rs in runs.items()}}
        verdicts = [r.passed for r in rows if r.kind == "subject"]
        status = "invalid" if problems else ("pass" if all(v is True for v in verdicts) else "fail")
        if problems:
            rows[0].note += "; " + "; ".join(problems)
        return ScenarioResult(self.name, status, rows, details)


def _share(shares: list[float | None]) -> str:
    m = median(shares)
    return "-" if m is None else f"{m:.4f}"
