"""units-provinces: the province list from the API against nginx serving the same bytes.

A read endpoint can at best be as fast as sending a file, so nginx serving the
exact response body as a static file, on the same machine, same run, same
load, is the physical limit. Goal: Mandate's throughput is at least half of it.

With --compression gzip, wrk asks both for gzip and nginx compresses each answer
(harness/compression.py); both are checked first to answer gzip that inflates to
the identity body.
"""

from __future__ import annotations

import json

from .. import compression
from ..procs import HarnessError, http_get
from ..registry import Context, Row, Scenario, ScenarioResult, median, register

PATH = "/api/v1/units"
QUERY = "?kind=province"
GOAL = 0.5


@register
class UnitsProvinces(Scenario):
    name = "units-provinces"
    title = "GET /api/v1/units?kind=province vs nginx serving the same bytes"
    measures = ("requests/s and latency of the 34-province list on a fresh SQLite database, "
                "against nginx serving the identical body as a static file")
    goal_text = f">= {GOAL:.2f} x nginx (with --compression gzip: >= {compression.GOAL:.2f} x)"
    tools = ("nginx", "wrk")
    compression_option = True

    def run(self, ctx: Context) -> ScenarioResult:
        o = ctx.options
        server = ctx.start_server()
        url = server.base_url + PATH + QUERY

        # The exact bytes the server sends become nginx's static file.
        status, headers, body = http_get(url)
        if status != 200:
            raise HarnessError(f"GET {PATH}{QUERY} answered HTTP {status}: {body[:300]!r}")
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        details: dict = {"path": PATH + QUERY, "body_bytes": len(body), "server_content_type": ctype,
                         "server_startup_s": round(server.startup_s or 0.0, 2)}
        try:
            doc = json.loads(body)
            details["json_top_level"] = type(doc).__name__
        except ValueError:
            details["json_top_level"] = None
            ctx.log(f"  warning: the body is not JSON ({len(body)} bytes, Content-Type {ctype!r})")
        gz = compression.enabled(o.compression)
        headers = compression.request_headers(o.compression) or None
        details["compression"] = o.compression if gz else None
        static = ctx.workdir("static") / "units-province.json"
        static.write_bytes(body)
        nginx = ctx.start_static_nginx({PATH: (static, "application/json")}, gzip=gz)
        nginx.check_serves(PATH + QUERY, body)
        targets = {"mandate": url, "nginx": nginx.base_url + PATH + QUERY}
        if gz:
            # One request each: both must answer gzip that inflates to the bytes above.
            details["gzip_check"] = {name: compression.check_gzip(name, u, PATH + QUERY, body)
                                     for name, u in targets.items()}
            ctx.log("  gzip: " + ", ".join(f"{name} {c['compressed_bytes']:,} bytes"
                                           for name, c in details["gzip_check"].items())
                    + f" (identity {len(body):,}), each inflating to the identity body")

        # Warm both up (JIT-free, but caches, connection pools and page cache matter).
        if o.warmup > 0:
            for name, u in targets.items():
                ctx.log(f"  warm-up {name} {o.warmup:g} s")
                ctx.wrk(u, duration=o.warmup, headers=headers)

        # Measure; with repeats, alternate which goes first so drift (thermal,
        # neighbours) does not always favour the same side.
        runs: dict[str, list] = {"mandate": [], "nginx": []}
        for i in range(o.repeats):
            order = ["mandate", "nginx"] if i % 2 == 0 else ["nginx", "mandate"]
            for name in order:
                ctx.log(f"  run {i + 1}/{o.repeats} {name}: wrk -t{o.threads} -c{o.connections} "
                        f"-d{o.duration:g}s")
                r = ctx.wrk(targets[name], headers=headers)
                runs[name].append(r)
                ctx.log(f"    {r.rps or 0:,.0f} req/s, p50 {r.latency_ms.get('p50')} ms, "
                        f"p99 {r.latency_ms.get('p99')} ms, errors {r.errors}")

        problems = []
        for name, rs in runs.items():
            for i, r in enumerate(rs):
                ok, why = r.valid()
                if not ok:
                    problems.append(f"{name} run {i + 1}: {why}")
                elif gz and (wire := compression.wire_problem(f"{name} run {i + 1}", r, len(body))):
                    problems.append(wire)
        ratios = [m.rps / n.rps for m, n in zip(runs["mandate"], runs["nginx"]) if m.rps and n.rps]
        ratio = median(ratios)
        server_rps, nginx_rps = (median([r.rps for r in runs[k]]) for k in ("mandate", "nginx"))
        goal = compression.GOAL if gz else GOAL
        passed = None if problems or ratio is None else ratio >= goal
        note = "; ".join(problems)
        rows = [
            Row(self.name, f"{ctx.subject} GET {PATH}{QUERY}" + (" (gzip)" if gz else ""), "subject",
                server_rps, "req/s",
                median([r.latency_ms.get("p50") for r in runs["mandate"]]),
                median([r.latency_ms.get("p99") for r in runs["mandate"]]),
                ratio, goal, passed, note),
            Row(self.name, "nginx static file" + (", gzip on" if gz else "") + " (limit)", "limit", nginx_rps, "req/s",
                median([r.latency_ms.get("p50") for r in runs["nginx"]]),
                median([r.latency_ms.get("p99") for r in runs["nginx"]]), 1.0),
        ]
        details.update(ratios=ratios, runs={k: [r.to_json() for r in v] for k, v in runs.items()},
                       bytes_per_answer={k: [compression.bytes_per_answer(r) for r in v] for k, v in runs.items()},
                       nginx_content_type=nginx.check_serves(PATH + QUERY, body).get("Content-Type"))
        status = "invalid" if problems else ("pass" if passed else "fail")
        return ScenarioResult(self.name, status, rows, details)
