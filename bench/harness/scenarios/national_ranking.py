"""national-ranking: drafting and publishing the commune ranking on the national data (issue 18).

Issue text (point 4): drafting and publishing the commune ranking at national scale <= 250 ms;
delivery measures are kept current as task facts change, not recomputed per request.

The database is national-portal's (the same preparation, and the same --data-cache file), copied,
and served. Signed in as the demo's committee analyst, the scenario defines a commune ranking
method (illustrative): the first seven indicators, in code order, that communes report monthly,
and three delivery measures (on-time rate, overdue count, reporting timeliness) of the 50,000
tasks and 500,000 reports, 1,000 Monte Carlo draws. It ranks the data's last month against the
one before (3,321 communes, 10 sources, 2 periods) and times, from the client on loopback:
  - the first draft after the start (info: it reads every task's delivery facts once);
  - drafts (GET .../draft), `--repeats` x 5 of them: goal p50 <= 250 ms;
  - publications (POST .../publish, each a new version): goal p50 <= 250 ms;
  - a draft after a task led by a commune is cancelled (info: the kept facts read that task only).
Each answer is checked: 200 (201 for a publication), 3,321 units, the same input digest for the
drafts before the write.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
import time
from pathlib import Path

from ..api import ApiClient
from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, register
from .national_portal import NationalPortal
from .values_import import copy_database

GOAL_MS = 250.0
COMMUNES = 3_321
INDICATOR_COMPONENTS = 7
ANALYST = "analyst@demo.mandate.vn"  # Sources/MandateStore/Demo/DemoAccounts.swift
METHOD_ID = "bench-communes"
DELIVERY = (("on_time_rate", "higher", {"method": "goalposts", "min": 0, "max": 100}),
            ("overdue_count", "lower", {"method": "minMax"}),
            ("reporting_timeliness", "higher", {"method": "goalposts", "min": 0, "max": 100}))
NORMALISATIONS = ("minMax", "zScore", "rank")


def ranked_indicators(indicators_csv: str, count: int = INDICATOR_COMPONENTS) -> list[tuple[str, str]]:
    """(code, direction) of the first `count` indicators, by code, that communes report monthly."""
    rows = [r for r in csv.DictReader(io.StringIO(indicators_csv))
            if r["frequency"] == "monthly" and "commune" in r["applies_to"].split(";")]
    chosen = sorted(rows, key=lambda r: r["code"])[:count]
    if len(chosen) < count:
        raise HarnessError(f"indicators.csv has {len(chosen)} indicators communes report monthly, not {count}")
    return [(r["code"], r["direction"]) for r in chosen]


def component(code: str, source: dict, direction: str, normalisation: dict) -> dict:
    return {"code": code, "source": source, "direction": direction, "weight": 1, "normalisation": normalisation,
            "alternatives": [{"method": m} for m in NORMALISATIONS if m != normalisation["method"]]}


def commune_method(indicators: list[tuple[str, str]]) -> dict:
    """The method the scenario defines: one pillar of indicators, one of delivery measures."""
    return {
        "schemaVersion": 1, "id": METHOD_ID, "version": 1, "unitKind": "commune",
        "nameVi": "Xếp hạng xã, phường để đo hiệu năng (minh họa)",
        "nameEn": "Communes ranked for the benchmark (illustrative)",
        "aggregation": "arithmetic", "missingData": "reweight",
        "uncertainty": {"draws": 1000, "seed": 57, "weightSpread": 0.25},
        "pillars": [
            {"code": "CS", "nameVi": "Chỉ số", "nameEn": "Indicators", "weight": 70,
             "components": [component(f"I{i + 1}", {"indicator": code}, direction if direction in ("higher", "lower")
                                      else "higher", {"method": "minMax"})
                            for i, (code, direction) in enumerate(indicators)]},
            {"code": "NV", "nameVi": "Thực hiện nhiệm vụ", "nameEn": "Delivery", "weight": 30,
             "components": [component(f"D{i + 1}", {"delivery": name}, direction, normalisation)
                            for i, (name, direction, normalisation) in enumerate(DELIVERY)]},
        ],
    }


def timed(client: ApiClient, method: str, path: str, body: object = None, csrf: bool = False,
          expect: int = 200) -> tuple[float, dict]:
    """Milliseconds of one request and its JSON answer; any other status is a failure."""
    t = time.perf_counter()
    status, _, payload = client.request(method, path, body, {"Accept": "application/json"}, csrf=csrf)
    ms = (time.perf_counter() - t) * 1000.0
    if status != expect:
        raise HarnessError(f"{method} {path} answered HTTP {status}: {payload[:300]!r}")
    return ms, json.loads(payload)


def ranked_units(answer: dict) -> int:
    """How many units a draft or publication ranks (its result's `units`)."""
    result = answer.get("result") or answer.get("ranking", {}).get("result") or answer
    return len(result.get("units", []))


def latency_row(scenario: str, target: str, samples: list[float], note: str) -> Row:
    p50 = statistics.median(samples)
    row = Row(scenario, target, "subject", p50, "ms", goal=GOAL_MS, goal_metric="p50", goal_op="<=", goal_unit="ms",
              note=f"{len(samples)} requests; max {max(samples):.0f} ms; {note}")
    row.p50_ms = p50
    row.passed = bool(row.meets(p50))
    return row


def info_row(scenario: str, target: str, ms: float, note: str) -> Row:
    return Row(scenario, target, "info", ms, "ms", note=note)


@register
class NationalRanking(Scenario):
    name = "national-ranking"
    title = "drafting and publishing the commune ranking on the national data"
    measures = ("ms from the client of drafting and of publishing a ranking of 3,321 communes by 7 indicators and "
                "3 delivery measures over two months, on 10,000,000 values, 50,000 tasks and 500,000 reports")
    goal_text = f"draft and publish p50 <= {GOAL_MS:g} ms"
    tools = ()
    selftest = False

    def run(self, ctx: Context) -> ScenarioResult:
        portal = NationalPortal()
        source, record = portal.prepare(ctx)
        details: dict = {"preparation": {"database": str(source), "database_bytes": record.get("database_bytes")}}
        t0 = time.monotonic()
        copy_database(source, ctx.workdir("server") / "bench.sqlite")
        details["copy_s"] = round(time.monotonic() - t0, 1)
        data = record["data"]["dir"]
        indicators_csv = (Path(data) / record["data"]["files"]["indicators"]["file"]).read_text(encoding="utf-8")
        indicators = ranked_indicators(indicators_csv)
        period, previous = record["portal"]["slice_periods"]
        commune = record["portal"]["commune"]
        server = ctx.start_server("server")
        analyst = ApiClient(server.base_url, timeout=600)
        rows: list[Row] = []
        try:
            analyst.login(ANALYST)
            method = commune_method(indicators)
            status, _, payload = analyst.request("POST", "/api/v1/ranking-methods", method, csrf=True)
            if status != 201:
                raise HarnessError(f"defining the method answered HTTP {status}: {payload[:500]!r}")
            draft = f"/api/v1/rankings/{METHOD_ID}/{period}/draft?previous={previous}"
            publish = f"/api/v1/rankings/{METHOD_ID}/{period}/publish"
            first_ms, first = timed(analyst, "GET", draft)
            if ranked_units(first) != COMMUNES:
                raise HarnessError(f"the draft ranks {ranked_units(first)} units, not {COMMUNES}")
            digest = first.get("result", {}).get("inputDigest")
            ctx.log(f"  first draft after the start: {first_ms:.0f} ms, digest {digest}")
            rows.append(info_row(self.name, f"{ctx.subject} first draft after the start", first_ms,
                                 "reads every task's delivery facts once"))
            count = max(1, ctx.options.repeats) * 5
            drafts = []
            for _ in range(count):
                ms, answer = timed(analyst, "GET", draft)
                if answer.get("result", {}).get("inputDigest") != digest:
                    raise HarnessError("a draft's input digest changed with no write")
                drafts.append(ms)
            ctx.log(f"  drafts: p50 {statistics.median(drafts):.0f} ms, max {max(drafts):.0f} ms")
            rows.append(latency_row(self.name, f"{ctx.subject} GET {draft}", drafts,
                                    f"{COMMUNES:,} communes, {len(indicators)} indicators and 3 delivery measures, "
                                    f"{period} against {previous}, 1,000 draws"))
            publications = []
            for _ in range(count):
                ms, answer = timed(analyst, "POST", publish, {"previousPeriod": previous}, csrf=True, expect=201)
                publications.append(ms)
            ctx.log(f"  publications: p50 {statistics.median(publications):.0f} ms, max {max(publications):.0f} ms")
            rows.append(latency_row(self.name, f"{ctx.subject} POST {publish}", publications,
                                    "each a new version, stored with its inputs and logged"))
            # A task led by a commune is cancelled: the next draft reads that task's facts only.
            _, listed = timed(analyst, "GET", f"/api/v1/tasks?unit={commune}&limit=50")
            led = [t for t in listed.get("items", []) if t.get("leadUnit") == commune and t.get("status") != "cancelled"]
            if led:
                code = led[0]["code"]
                timed(analyst, "POST", f"/api/v1/tasks/{code}/cancel", {"reason": "Đo hiệu năng (minh họa)"},
                      csrf=True)
                after_ms, after = timed(analyst, "GET", draft)
                changed = after.get("result", {}).get("inputDigest") != digest
                ctx.log(f"  draft after cancelling {code}: {after_ms:.0f} ms, inputs changed: {changed}")
                rows.append(info_row(self.name, f"{ctx.subject} draft after a task of {commune} is cancelled",
                                     after_ms, f"task {code}; the inputs' digest {'changed' if changed else 'held'}"))
                details["task_write"] = {"task": code, "draft_ms": round(after_ms, 1), "inputs_changed": changed}
            details.update(method=method, drafts_ms=[round(x, 1) for x in drafts],
                           publications_ms=[round(x, 1) for x in publications], first_draft_ms=round(first_ms, 1))
        finally:
            analyst.close()
        verdicts = [r.passed for r in rows if r.kind == "subject"]
        return ScenarioResult(self.name, "pass" if all(v is True for v in verdicts) else "fail", rows, details)
