"""rollup-latency: a new commune value reaching its province's and the nation's roll-up over the API.

Issue text: a new commune value shows in its province's and the nation's roll-up
through the API within 5 ms. One measurement, on `mandate serve` with its demo data
and one kept-alive connection signed in as the demo's administrator (who may
approve values for any unit):

    POST /api/v1/dataValueSets?approve=true   {"dataValues": [one value of a commune]}
    GET  /api/v1/indicators/{code}/rollup?unit={its province}&period={period}
    GET  /api/v1/indicators/{code}/rollup?unit=BCD&period={period}

timed from the moment the POST's answer is read (the value is accepted, durably
stored) to the moment both roll-ups are read back showing it: how long a new value
takes to show in the roll-ups, which are kept up to date in the writing transaction
(no batch job). The whole round trip, from sending the POST, and the POST alone are
reported beside it as information. Each
measurement writes a value the commune did not have (communes are taken round-robin
over the provinces, each once), and both roll-ups' `count` must have gone up by
exactly one; if not, the run stops with an error: a roll-up that does not show the
value is not a sample. The indicator is the first (by code) that communes report
and that rolls up by sum or mean; the period is its newest one that has ended.

20 warm-up measurements, then --rollup-iterations (default 300). Goal: p95 <= 5 ms.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timezone
from urllib.parse import quote

from ..api import ApiClient
from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, register
from ..sse import percentile

GOAL_P95_MS = 5.0
WARMUP = 20
ACCOUNT = "admin@demo.mandate.vn"  # Sources/MandateStore/Demo/DemoAccounts.swift; admins approve for any unit
NATION = "BCD"
ROLLUP_METHODS = ("sum", "mean")
PAGE = 1000  # units per GET /api/v1/units page (the server allows up to 5,000)


def choose_indicator(items: list[dict]) -> dict:
    """The first indicator (by code) that communes report and that rolls up by sum or mean."""
    for item in sorted(items, key=lambda i: i.get("code", "")):
        if "commune" in item.get("appliesTo", []) and item.get("rollup", {}).get("method") in ROLLUP_METHODS:
            return item
    raise HarnessError("no indicator applies to communes and rolls up by sum or mean")


def last_ended_period(frequency: str, today: date) -> str:
    """The newest DHIS2-style period id of a frequency that has ended before `today`."""
    y, m = today.year, today.month
    if frequency == "yearly":
        return str(y - 1)
    if frequency in ("semiannual", "sixmonthly", "semester"):
        return f"{y - 1}S2" if m <= 6 else f"{y}S1"
    if frequency == "quarterly":
        q = (m - 1) // 3  # the quarter before the current one, 0 meaning last year's fourth
        return f"{y - 1}Q4" if q == 0 else f"{y}Q{q}"
    if frequency == "monthly":
        return f"{y - 1}12" if m == 1 else f"{y}{m - 1:02d}"
    raise HarnessError(f"unknown indicator frequency {frequency!r}")


def sample_value(value_type: str) -> str:
    """A valid value of the type: yes/no takes 1 or 0, numbers and percentages a decimal."""
    return "1" if value_type == "yesno" else "12.5"


def value_set(indicator: str, unit: str, period: str, value: str) -> dict:
    """The body of POST /api/v1/dataValueSets with one value."""
    return {"dataValues": [{"dataElement": indicator, "orgUnit": unit, "period": period, "value": value}]}


def rotation(communes: list[dict], taken: set[str], n: int) -> list[tuple[str, str]]:
    """n (commune, province) pairs, round-robin over the provinces (in code order), each commune once,
    skipping those in `taken` (which already have a value)."""
    by_province: dict[str, list[str]] = {}
    for c in sorted(communes, key=lambda c: c["code"]):
        if c["code"] not in taken and c.get("parentCode"):
            by_province.setdefault(c["parentCode"], []).append(c["code"])
    queues = [(p, by_province[p]) for p in sorted(by_province)]
    out: list[tuple[str, str]] = []
    depth = 0
    while len(out) < n:
        added = False
        for province, codes in queues:
            if depth < len(codes) and len(out) < n:
                out.append((codes[depth], province))
                added = True
        if not added:
            raise HarnessError(f"only {len(out)} communes have no value yet; {n} are needed")
        depth += 1
    return out


def page_path(path: str, limit: int, offset: int) -> str:
    """A list path with its page: `limit` items from `offset`."""
    return f"{path}{'&' if '?' in path else '?'}limit={limit}&offset={offset}"


def all_items(client: ApiClient, path: str, page: int = PAGE) -> list[dict]:
    """Every item of a paged list (GET path&limit=…&offset=…, answering {"items": […]})."""
    items: list[dict] = []
    while True:
        batch = client.json("GET", page_path(path, page, len(items)))["items"]
        items += batch
        if len(batch) < page:
            return items


def summary_ms(seconds: list[float]) -> dict[str, float | None]:
    """p50, p95, p99 and max of durations in seconds, in milliseconds (3 decimals)."""
    def ms(x: float | None) -> float | None:
        return None if x is None else round(x * 1000.0, 3)
    return {"count": len(seconds), "p50": ms(percentile(seconds, 50)), "p95": ms(percentile(seconds, 95)),
            "p99": ms(percentile(seconds, 99)), "max": ms(max(seconds) if seconds else None)}


def check_rollup(answer: dict, unit: str, before: int) -> int:
    """The roll-up's new count, which must be one more than before; HarnessError otherwise."""
    count = answer.get("count")
    if answer.get("unit") != unit or count != before + 1:
        raise HarnessError(f"the roll-up of {unit} does not show the new value: count {count}, expected "
                           f"{before + 1} ({json.dumps(answer)[:300]})")
    return count


class Probe:
    """One kept-alive, signed-in connection that writes a value and reads the two roll-ups."""

    def __init__(self, client: ApiClient, indicator: str, period: str, value: str):
        self.client, self.indicator, self.period, self.value = client, indicator, period, value
        self.counts: dict[str, int] = {}

    def rollup_path(self, unit: str) -> str:
        return (f"/api/v1/indicators/{quote(self.indicator, safe='')}/rollup?unit={quote(unit, safe='')}"
                f"&period={quote(self.period, safe='')}")

    def get_rollup(self, unit: str) -> dict:
        status, _, body = self.client.request("GET", self.rollup_path(unit), headers={"Accept": "application/json"})
        if status != 200:
            raise HarnessError(f"GET {self.rollup_path(unit)} answered HTTP {status}: {body[:300]!r}")
        return json.loads(body)

    def count(self, unit: str) -> int:
        """The roll-up's count now, remembered as the one the next measurement must raise by one."""
        if unit not in self.counts:
            self.counts[unit] = self.get_rollup(unit).get("count", 0)
        return self.counts[unit]

    def measure(self, commune: str, province: str) -> tuple[float, float, float]:
        """(whole, POST, GETs) seconds of one new value and its two roll-ups, verified."""
        before = {province: self.count(province), NATION: self.count(NATION)}
        body = value_set(self.indicator, commune, self.period, self.value)
        t0 = time.perf_counter()
        status, _, answer = self.client.request("POST", "/api/v1/dataValueSets?approve=true", body,
                                                {"Accept": "application/json"}, csrf=True)
        t1 = time.perf_counter()
        province_rollup = self.get_rollup(province)
        nation_rollup = self.get_rollup(NATION)
        t2 = time.perf_counter()
        if status != 200:
            raise HarnessError(f"POST /api/v1/dataValueSets?approve=true for {commune} answered HTTP {status}: "
                               f"{answer[:300]!r}")
        written = json.loads(answer)
        if written.get("created", 0) + written.get("updated", 0) != 1:
            raise HarnessError(f"POST /api/v1/dataValueSets for {commune} wrote no new value: {written}")
        self.counts[province] = check_rollup(province_rollup, province, before[province])
        self.counts[NATION] = check_rollup(nation_rollup, NATION, before[NATION])
        return t2 - t0, t1 - t0, t2 - t1


@register
class RollupLatency(Scenario):
    name = "rollup-latency"
    title = "a new commune value in its province's and the nation's roll-up through the API"
    measures = ("time from sending POST /api/v1/dataValueSets?approve=true (one commune value) to reading "
                "GET /api/v1/indicators/{code}/rollup of its province and of the nation, both showing it")
    goal_text = f"p95 <= {GOAL_P95_MS:g} ms"
    selftest = False

    def run(self, ctx: Context) -> ScenarioResult:
        server = ctx.start_server()
        client = ApiClient(server.base_url)
        try:
            return self.measure(ctx, client)
        finally:
            client.close()

    def measure(self, ctx: Context, client: ApiClient) -> ScenarioResult:
        o = ctx.options
        indicator = choose_indicator(client.json("GET", "/api/v1/indicators")["items"])
        code = indicator["code"]
        period = last_ended_period(indicator["frequency"], datetime.now(timezone.utc).date())
        communes = all_items(client, "/api/v1/units?kind=commune")
        existing = client.json("GET", f"/api/v1/dataValues?indicator={quote(code, safe='')}"
                                      f"&period={quote(period, safe='')}&limit=100000")["dataValues"]
        taken = {v["orgUnit"] for v in existing}
        plan = rotation(communes, taken, WARMUP + o.rollup_iterations)
        provinces = sorted({p for _, p in plan})
        ctx.log(f"  {code} ({indicator['rollup']['method']}, {indicator['frequency']}), period {period}: "
                f"{len(plan)} of its {len(communes):,} communes, round-robin over {len(provinces)} provinces "
                f"({len(taken)} already reported)")
        client.login(ACCOUNT)
        probe = Probe(client, code, period, sample_value(indicator.get("valueType", "")))

        for commune, province in plan[:WARMUP]:
            probe.measure(commune, province)
        whole, post, gets = [], [], []
        for commune, province in plan[WARMUP:]:
            w, p, g = probe.measure(commune, province)
            whole.append(w)
            post.append(p)
            gets.append(g)
        s_whole, s_post, s_gets = summary_ms(whole), summary_ms(post), summary_ms(gets)
        ctx.log(f"  {len(whole)} values: p50 {s_whole['p50']} ms, p95 {s_whole['p95']} ms, p99 {s_whole['p99']} ms, "
                f"max {s_whole['max']} ms; POST p50 {s_post['p50']} ms, GETs p50 {s_gets['p50']} ms")

        row = Row(self.name, f"{ctx.subject} value accepted -> shown in province + nation roll-ups", "subject",
                  p50_ms=s_gets["p50"], p99_ms=s_gets["p99"],
                  goal=GOAL_P95_MS, goal_metric="p95", goal_op="<=", goal_unit="ms",
                  note=f"p95 {s_gets['p95']} ms, max {s_gets['max']} ms over {len(gets)} values")
        row.passed = row.meets(s_gets["p95"])
        rows = [
            row,
            Row(self.name, "POST one value + GET 2 roll-ups, whole round trip (info)", "info",
                len(whole) / sum(whole), "values/s", s_whole["p50"], s_whole["p99"],
                note=f"p95 {s_whole['p95']} ms, max {s_whole['max']} ms"),
            Row(self.name, "POST /api/v1/dataValueSets?approve=true alone (info)", "info",
                p50_ms=s_post["p50"], p99_ms=s_post["p99"], note=f"p95 {s_post['p95']} ms"),
        ]
        details = {"indicator": code, "method": indicator["rollup"]["method"], "period": period,
                   "account": ACCOUNT, "warmup": WARMUP, "provinces": provinces,
                   "already_reported": len(taken), "final_counts": probe.counts,
                   "ms": {"whole": s_whole, "post": s_post, "gets": s_gets},
                   "samples_ms": [round(x * 1000.0, 3) for x in whole]}
        return ScenarioResult(self.name, "pass" if row.passed else "fail", rows, details)
