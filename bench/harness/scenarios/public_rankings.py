"""public-rankings: a published ranking's JSON and its public page against nginx serving the same bytes.

Issue 6: under wrk on loopback, the public rankings JSON and the rankings HTML page each
sustain at least half the requests per second nginx reaches serving the same bytes as a
static file, in the same run.

The server starts with its demo data. If nothing is published yet, the demo analyst publishes
the demo's province ranking through the API (sign in, draft, publish with the CSRF token), as
a committee would. Then GET /api/v1/rankings/{method}/{period} and GET /rankings/{method}/{period}
(anonymous, no Accept-Language: the Vietnamese default) are each fetched twice and compared; the
bytes become nginx's static files, served with the server's own Content-Type, and the four
targets are measured with wrk.

With --compression gzip, wrk asks all four for gzip and nginx compresses each answer
(harness/compression.py); each target is checked first to answer gzip that inflates to the
identity body, and the goal is issue 20's 0.7 x nginx.
"""

from __future__ import annotations

import time
import urllib.parse

from .. import compression
from ..api import ApiClient, describe_difference
from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, median, register

GOAL = 0.5
ANALYST = "analyst@demo.mandate.vn"
# What is published when the demo has nothing published yet: the demo's province method, its
# latest full year, with the change since the year before.
DEFAULT_METHOD, DEFAULT_PERIOD, DEFAULT_PREVIOUS = "province-dti", "2025", "2024"


def ranking_paths(method: str, period: str) -> dict[str, str]:
    """The two public representations of one published ranking."""
    m, p = urllib.parse.quote(method, safe=""), urllib.parse.quote(period, safe="")
    return {"json": f"/api/v1/rankings/{m}/{p}", "html": f"/rankings/{m}/{p}"}


def choose_published(items: list[dict]) -> dict | None:
    """The published ranking to measure: the default method's if published, else the first listed."""
    for it in items:
        if it.get("methodId") == DEFAULT_METHOD and it.get("period") == DEFAULT_PERIOD:
            return it
    return items[0] if items else None


def publish_default(base_url: str, log) -> dict:
    """Publish the demo's province ranking as the demo analyst; what it took, for the details."""
    analyst = ApiClient(base_url)
    try:
        analyst.login(ANALYST)
        base = f"/api/v1/rankings/{DEFAULT_METHOD}/{DEFAULT_PERIOD}"
        t0 = time.monotonic()
        draft = analyst.json("GET", f"{base}/draft?previous={DEFAULT_PREVIOUS}")
        draft_s = time.monotonic() - t0
        units = len(draft.get("result", {}).get("units", [])) if isinstance(draft, dict) else None
        t0 = time.monotonic()
        published = analyst.json("POST", f"{base}/publish", {"previousPeriod": DEFAULT_PREVIOUS},
                                 expect=(201,), csrf=True)
        publish_s = time.monotonic() - t0
    finally:
        analyst.close()
    log(f"  published {DEFAULT_METHOD}/{DEFAULT_PERIOD} version {published.get('version')} "
        f"({units} units; draft {draft_s:.2f} s, publish {publish_s:.2f} s)")
    return {"by": ANALYST, "method": DEFAULT_METHOD, "period": DEFAULT_PERIOD, "previous": DEFAULT_PREVIOUS,
            "draft_units": units, "draft_s": round(draft_s, 3), "publish_s": round(publish_s, 3),
            "version": published.get("version"), "inputDigest": published.get("inputDigest")}


def fetch_stable(base_url: str, path: str, accept: str) -> tuple[bytes, str, dict]:
    """The body nginx is to serve, its Content-Type, and what was checked: the path is fetched
    twice on fresh anonymous connections (as wrk's first requests are); if the bodies differ
    (a token or nonce per request) the difference is recorded and the first copy is used."""
    copies = []
    for _ in range(2):
        visitor = ApiClient(base_url)
        try:
            copies.append(visitor.request("GET", path, headers={"Accept": accept}))
        finally:
            visitor.close()
    (status, headers, body), (status2, _, body2) = copies
    if status != 200 or status2 != 200:
        raise HarnessError(f"GET {path} answered HTTP {status}/{status2}: {body[:300]!r}")
    difference = describe_difference(body, body2)
    check = {"path": path, "bytes": len(body), "content_type": headers.get("content-type", ""),
             "identical_per_request": not difference, "set_cookie": headers.get("set-cookie"),
             "cache_control": headers.get("cache-control")}
    if difference:
        check["difference"] = difference
    return body, headers.get("content-type", ""), check


@register
class PublicRankings(Scenario):
    name = "public-rankings"
    title = "a published ranking's JSON and public page vs nginx serving the same bytes"
    measures = ("requests/s and latency of GET /api/v1/rankings/{method}/{period} and "
                "GET /rankings/{method}/{period} (anonymous) on the demo data, each against nginx "
                "serving the identical body as a static file")
    goal_text = f">= {GOAL:.2f} x nginx, for each (with --compression gzip: >= {compression.GOAL:.2f} x)"
    tools = ("nginx", "wrk")
    selftest = False  # the stand-in has no rankings
    compression_option = True

    def run(self, ctx: Context) -> ScenarioResult:
        o = ctx.options
        server = ctx.start_server()
        details: dict = {"server_startup_s": round(server.startup_s or 0.0, 2)}

        visitor = ApiClient(server.base_url)
        try:
            listed = visitor.json("GET", "/api/v1/rankings")
            items = listed.get("items", []) if isinstance(listed, dict) else []
            chosen = choose_published(items)
            if chosen is None:
                details["published_by_scenario"] = publish_default(server.base_url, ctx.log)
                listed = visitor.json("GET", "/api/v1/rankings")
                chosen = choose_published(listed.get("items", []) if isinstance(listed, dict) else [])
                if chosen is None:
                    raise HarnessError("a ranking was published but GET /api/v1/rankings lists none")
        finally:
            visitor.close()
        details["ranking"] = {k: chosen.get(k) for k in ("methodId", "period", "version", "inputDigest")}
        paths = ranking_paths(chosen["methodId"], chosen["period"])

        bodies, ctypes = {}, {}
        for kind, accept in (("json", "application/json"), ("html", "text/html")):
            bodies[kind], ctypes[kind], details[f"{kind}_response"] = fetch_stable(server.base_url, paths[kind], accept)
            check = details[f"{kind}_response"]
            ctx.log(f"  GET {paths[kind]}: {len(bodies[kind]):,} bytes, {ctypes[kind]}"
                    + ("" if check["identical_per_request"] else f"; differs per request: {check['difference']}"))

        static = ctx.workdir("static")
        routes = {}
        for kind, filename in (("json", "ranking.json"), ("html", "ranking.html")):
            f = static / filename
            f.write_bytes(bodies[kind])
            routes[paths[kind]] = (f, ctypes[kind] or ("application/json" if kind == "json" else "text/html"))
        gz = compression.enabled(o.compression)
        headers = compression.request_headers(o.compression) or None
        details["compression"] = o.compression if gz else None
        nginx = ctx.start_static_nginx(routes, gzip=gz)
        for kind in ("json", "html"):
            served = nginx.check_serves(paths[kind], bodies[kind])
            details[f"{kind}_response"]["nginx_content_type"] = served.get("Content-Type")
            if served.get("Content-Type") != ctypes[kind]:
                raise HarnessError(f"nginx serves {paths[kind]} as {served.get('Content-Type')!r}, "
                                   f"the server as {ctypes[kind]!r}")

        targets = {(kind, side): (server.base_url if side == "mandate" else nginx.base_url) + paths[kind]
                   for kind in ("json", "html") for side in ("mandate", "nginx")}
        if gz:
            # One request each: all four must answer gzip that inflates to the bytes fetched above.
            accepts = {"json": "application/json", "html": "text/html"}
            details["gzip_check"] = {
                f"{side} {kind}": compression.check_gzip(side, url, paths[kind], bodies[kind], accepts[kind],
                                                         content_type=ctypes[kind] or None)
                for (kind, side), url in targets.items()}
            ctx.log("  gzip: " + ", ".join(f"{k} {c['compressed_bytes']:,} of {c['identity_bytes']:,} bytes"
                                           for k, c in details["gzip_check"].items())
                    + ", each inflating to the identity body")
        if o.warmup > 0:
            for (kind, side), url in targets.items():
                ctx.log(f"  warm-up {side} {kind} {o.warmup:g} s")
                ctx.wrk(url, duration=o.warmup, headers=headers)

        runs: dict = {key: [] for key in targets}
        for i in range(o.repeats):
            for kind in ("json", "html"):
                order = ["mandate", "nginx"] if i % 2 == 0 else ["nginx", "mandate"]
                for side in order:
                    r = ctx.wrk(targets[(kind, side)], headers=headers)
                    runs[(kind, side)].append(r)
                    ctx.log(f"  run {i + 1}/{o.repeats} {side} {kind}: {r.rps or 0:,.0f} req/s, "
                            f"p50 {r.latency_ms.get('p50')} ms, p99 {r.latency_ms.get('p99')} ms, errors {r.errors}")

        rows, problems_all, ratios_all = [], [], {}
        labels = {"json": "JSON", "html": "page"}
        goal = compression.GOAL if gz else GOAL
        for kind in ("json", "html"):
            problems = []
            for side in ("mandate", "nginx"):
                for i, r in enumerate(runs[(kind, side)]):
                    ok, why = r.valid()
                    if not ok:
                        problems.append(f"{side} run {i + 1}: {why}")
                    elif gz and (wire := compression.wire_problem(f"{side} run {i + 1}", r, len(bodies[kind]))):
                        problems.append(wire)
            ms, ns = runs[(kind, "mandate")], runs[(kind, "nginx")]
            ratios = [m.rps / n.rps for m, n in zip(ms, ns) if m.rps and n.rps]
            ratio = median(ratios)
            ratios_all[kind] = ratios
            passed = None if problems or ratio is None else ratio >= goal
            rows.append(Row(self.name, f"{ctx.subject} GET {paths[kind]} ({labels[kind]}{', gzip' if gz else ''})",
                            "subject",
                            median([r.rps for r in ms]), "req/s", median([r.latency_ms.get("p50") for r in ms]),
                            median([r.latency_ms.get("p99") for r in ms]), ratio, goal, passed, "; ".join(problems)))
            rows.append(Row(self.name, f"nginx, the {labels[kind]} as a file{', gzip on' if gz else ''} (limit)",
                            "limit",
                            median([r.rps for r in ns]), "req/s", median([r.latency_ms.get("p50") for r in ns]),
                            median([r.latency_ms.get("p99") for r in ns]), 1.0))
            problems_all += [f"{kind} {p}" for p in problems]

        details.update(ratios=ratios_all,
                       bytes_per_answer={f"{side} {kind}": [compression.bytes_per_answer(r) for r in rs]
                                         for (kind, side), rs in runs.items()},
                       runs={f"{side} {kind}": [r.to_json() for r in rs] for (kind, side), rs in runs.items()})
        verdicts = [r.passed for r in rows if r.kind == "subject"]
        status = "invalid" if problems_all else ("pass" if all(v is True for v in verdicts) else "fail")
        return ScenarioResult(self.name, status, rows, details)
