"""feedback-load: citizens' ratings at 1,000 a second while the portal is read, and kill -9 under them.

Issue text (issue 22, point 8): 1,000 ratings/s posted for 30 s on loopback are accepted with
p99 <= 50 ms, while `/` and a province profile keep >= 0.8 x their throughput without ratings;
kill -9 during the load loses no rating whose receipt was returned.

On `mandate serve` with its demo data, its limits per client and per unit raised (the rater
sends from one address, and the limits are tested on their own in Tests/system): a rater keeps
to a schedule of RATE ratings a second over RATERS kept-alive connections (rating n is due n/RATE
s after the start and goes out on the first connection free then), each POST /api/v1/feedback
rating a commune, the communes taken in turn across the whole country (so the profiled province's
own communes get their share, and their ratings change its figures). Measured in the same run:

    GET /               the national overview, under wrk, without ratings (reference) and with
    GET /units/01       the first province's profile, the same

and the ratings' latency (from the moment each went out) and how many were accepted. Goal: the
ratings accepted at >= 0.99 x RATE with p99 <= 50 ms, and both pages >= 0.80 x the reference.

Last, kill -9: a second server takes ratings at the same rate and is killed with SIGKILL after
KILL_AFTER_S; started again on the same file, every receipt it returned (201) must be found
(GET /api/v1/feedback/{receipt}).
"""

from __future__ import annotations

import signal
import threading
import time
from urllib.parse import quote

from ..api import ApiClient
from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, median, register
from ..sse import percentile
from .rollup_latency import all_items

GOAL = 0.8
RATE = 1000
RATERS = 24
P99_GOAL_MS = 50.0
KILL_AFTER_S = 5.0
# The limits the benchmark's servers run with: far above what it sends.
LIMITS = ["--ratings-per-client", "100000000", "--ratings-per-unit", "100000000", "--ratings-per-second", "100000"]
PAGES = {"overview": "/", "profile": "/units/01"}


class Rater:
    """Threads that post one rating every 1/rate s between them until stopped, each on its own
    kept-alive connection; records each rating's latency, how late it went out, the receipts
    returned, and every other answer."""

    def __init__(self, base_url: str, communes: list[str], rate: float = RATE, connections: int = RATERS):
        self.base_url, self.communes, self.interval = base_url, communes, 1.0 / rate
        self.clients = [ApiClient(base_url, timeout=30.0) for _ in range(connections)]
        self.seconds: list[float] = []
        self.late: list[float] = []
        self.receipts: list[str] = []
        self.failures: list[str] = []
        self.elapsed = 0.0
        self._next = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), name=f"rater-{i}", daemon=True)
                         for i in range(connections)]
        self._start = 0.0

    def __enter__(self) -> "Rater":
        self._start = time.monotonic()
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
        self.elapsed = self.elapsed or time.monotonic() - self._start
        for client in self.clients:
            client.close()

    def _run(self, i: int) -> None:
        client = self.clients[i]
        while True:
            with self._lock:
                slot = self._next
                self._next += 1
            due = self._start + slot * self.interval
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            late = time.monotonic() - due
            body = {"unit": self.communes[slot % len(self.communes)], "overall": 1 + slot % 5,
                    "factors": {"staff": 1 + (slot // 5) % 5}}
            t0 = time.perf_counter()
            try:
                status, _, payload = client.request("POST", "/api/v1/feedback", body, {"Accept": "application/json"})
            except (OSError, HarnessError) as e:
                if not self._stop.is_set():
                    self.failures.append(f"{type(e).__name__}: {e}")
                continue
            spent = time.perf_counter() - t0
            receipt = None
            if status == 201:
                receipt = _receipt(payload)
            else:
                self.failures.append(f"HTTP {status}: {payload[:200]!r}")
            with self._lock:
                self.seconds.append(spent)
                self.late.append(late)
                if receipt:
                    self.receipts.append(receipt)

    def summary(self) -> dict:
        def ms(x: float | None) -> float | None:
            return None if x is None else round(x * 1000.0, 3)
        accepted = len(self.receipts)
        return {"sent": len(self.seconds), "accepted": accepted,
                "accepted_per_s": round(accepted / self.elapsed, 1) if self.elapsed else None,
                "p50_ms": ms(percentile(self.seconds, 50)), "p99_ms": ms(percentile(self.seconds, 99)),
                "late_p50_ms": ms(percentile(self.late, 50)), "late_p99_ms": ms(percentile(self.late, 99)),
                "failures": len(self.failures), "first_failures": self.failures[:3]}


def _receipt(payload: bytes) -> str | None:
    import json
    try:
        return json.loads(payload).get("receipt")
    except ValueError:
        return None


@register
class FeedbackLoad(Scenario):
    name = "feedback-load"
    title = "1,000 ratings a second for the run while / and a province profile are read; kill -9 under the load"
    measures = ("accepted ratings/s and their latency (POST /api/v1/feedback at a fixed 1,000/s, communes in "
                "turn), requests/s of GET / and GET /units/01 (anonymous) with and without the ratings, and the "
                "receipts a server killed with SIGKILL under the load returned that are lost")
    goal_text = (f">= 0.99 x {RATE} ratings/s accepted with p99 <= {P99_GOAL_MS:g} ms; pages >= {GOAL:.2f} x "
                 "no ratings; no returned receipt lost to kill -9")
    tools = ("wrk",)
    selftest = False  # the stand-in takes no ratings

    def run(self, ctx: Context) -> ScenarioResult:
        server = ctx.start_server(extra_args=LIMITS)
        base = server.base_url
        visitor = ApiClient(base)
        try:
            communes = sorted(u["code"] for u in all_items(visitor, "/api/v1/units?kind=commune"))
        finally:
            visitor.close()
        o = ctx.options
        if o.warmup > 0:
            for page in PAGES.values():
                ctx.wrk(base + page, duration=o.warmup)
        runs: dict[tuple[str, str], list] = {(k, m): [] for k in PAGES for m in ("none", "ratings")}
        raters: list[dict] = []
        for i in range(o.repeats):
            for mode in (("none", "ratings") if i % 2 == 0 else ("ratings", "none")):
                rater = Rater(base, communes) if mode == "ratings" else None
                if rater:
                    rater.__enter__()
                try:
                    for kind, page in PAGES.items():
                        r = ctx.wrk(base + page)
                        runs[(kind, mode)].append(r)
                        ctx.log(f"  run {i + 1}/{o.repeats} {page} {mode}: {r.rps or 0:,.0f} req/s, "
                                f"p99 {r.latency_ms.get('p99')} ms, errors {r.errors}")
                finally:
                    if rater:
                        rater.stop()
                        raters.append(rater.summary())
                        ctx.log(f"    rater: {rater.summary()}")
        killed = self.kill_under_load(ctx, communes)
        ctx.log(f"  kill -9 under the load: {killed}")
        return self.result(ctx, runs, raters, killed)

    def kill_under_load(self, ctx: Context, communes: list[str]) -> dict:
        """Ratings at RATE/s to a fresh server, SIGKILL after KILL_AFTER_S, a restart on the same file,
        then every receipt returned before the kill looked up."""
        server = ctx.start_server("killed", extra_args=LIMITS)
        rater = Rater(server.base_url, communes).__enter__()
        time.sleep(KILL_AFTER_S)
        server.proc.proc.send_signal(signal.SIGKILL)
        server.proc.proc.wait(timeout=30)
        rater.elapsed = KILL_AFTER_S
        rater.stop()
        returned = list(rater.receipts)
        server.start()
        client = ApiClient(server.base_url)
        lost = []
        try:
            for receipt in returned:
                status, _, _ = client.request("GET", f"/api/v1/feedback/{quote(receipt, safe='')}")
                if status != 200:
                    lost.append(receipt)
        finally:
            client.close()
        return {"returned": len(returned), "lost": len(lost), "first_lost": lost[:5],
                "accepted_per_s": round(len(returned) / KILL_AFTER_S, 1)}

    def result(self, ctx: Context, runs, raters, killed) -> ScenarioResult:
        rows, problems = [], []
        for (kind, mode), rs in runs.items():
            for i, r in enumerate(rs):
                ok, why = r.valid()
                if not ok:
                    problems.append(f"{kind} {mode} run {i + 1}: {why}")
        accepted = median([s["accepted_per_s"] for s in raters])
        p99 = median([s["p99_ms"] for s in raters])
        ratio = None if accepted is None else accepted / RATE
        note = (f"sent p50 {median([s['p50_ms'] for s in raters])} ms; sent late by p99 "
                f"{median([s['late_p99_ms'] for s in raters])} ms; refused or failed "
                f"{sum(s['failures'] for s in raters)}, e.g. {raters[0]['first_failures'] if raters else []}")
        rows.append(Row(self.name, f"{ctx.subject} POST /api/v1/feedback at {RATE}/s", "subject", accepted,
                        "ratings/s", median([s["p50_ms"] for s in raters]), p99, ratio, 0.99,
                        None if ratio is None else ratio >= 0.99, note))
        latency = Row(self.name, f"{ctx.subject} POST /api/v1/feedback p99 at {RATE}/s", "subject", p99_ms=p99,
                      note=f"goal p99 <= {P99_GOAL_MS:g} ms", goal=P99_GOAL_MS, goal_metric="p99", goal_op="<=",
                      goal_unit="ms")
        latency.passed = None if p99 is None else p99 <= P99_GOAL_MS
        rows.append(latency)
        for kind, page in PAGES.items():
            reference = runs[(kind, "none")]
            rows.append(Row(self.name, f"{ctx.subject} GET {page}, no ratings (reference)", "limit",
                            median([r.rps for r in reference]), "req/s",
                            median([r.latency_ms.get("p50") for r in reference]),
                            median([r.latency_ms.get("p99") for r in reference])))
            loaded = runs[(kind, "ratings")]
            ratios = [m.rps / n.rps for m, n in zip(loaded, reference) if m.rps and n.rps]
            r = median(ratios)
            rows.append(Row(self.name, f"{ctx.subject} GET {page}, {RATE} ratings/s", "subject",
                            median([x.rps for x in loaded]), "req/s", median([x.latency_ms.get("p50") for x in loaded]),
                            median([x.latency_ms.get("p99") for x in loaded]), r, GOAL,
                            None if r is None else r >= GOAL))
        kill = Row(self.name, "ratings whose receipt was returned, lost to kill -9", "subject",
                   note=f"{killed['returned']} receipts returned in {KILL_AFTER_S:g} s, {killed['lost']} lost "
                        f"{killed['first_lost']}")
        kill.passed = killed["returned"] > 0 and killed["lost"] == 0
        rows.append(kill)
        details = {"raters": raters, "killed": killed,
                   "runs": {f"{k} {m}": [r.to_json() for r in rs] for (k, m), rs in runs.items()}}
        verdicts = [r.passed for r in rows if r.kind == "subject"]
        status = "invalid" if problems else ("pass" if all(v is True for v in verdicts) else "fail")
        if problems:
            rows[0].note += "; " + "; ".join(problems)
        return ScenarioResult(self.name, status, rows, details)
