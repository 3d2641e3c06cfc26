"""log-append: a million leaves through the transparency log's store, and one inclusion proof.

The subject is the store's own append path: `SQLTransparencyLog.append`, one
transaction per batch of 1,000 facts, as the server publishes, driven by the
hidden `mandate bench log` command of the release binary on a fresh SQLite
file; then the server's checkpointer signs the checkpoint of the whole log.
Goal (issue 7): at least 200,000 leaves/s.

The limit is raw SQLite in the same run: Python's sqlite3 inserting the very
rows the store wrote (each leaf's entry and the stored hashes it completes), in
the same batches, one transaction each, into the same schema with the same
settings (WAL, synchronous=FULL). It is what the disk and SQLite allow with no
Merkle tree, no JSON and no Swift at all.

Inclusion proofs: through the store (the leaf by key, its proof read from the
stored hashes, verified), timed by the command; and over HTTP,
GET /api/v1/log/proof/inclusion?key=… on `mandate serve` over the same file,
one connection at a time (wrk -c1), against nginx serving the same bytes.
Goal: one proof in at most 1 ms (p99 through the store, p50 over HTTP).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

from ..procs import HarnessError, http_get
from ..registry import Context, Row, Scenario, ScenarioResult, register
from ..wrk import run_wrk

LEAVES = 1_000_000
BATCH = 1000
PROOFS = 1000
GOAL_LEAVES_PER_S = 200_000
GOAL_PROOF_MS = 1.0


def stored_index(n: int) -> int:
    """The stored-hash index of leaf n's hash (tlog layout), as StoredHashIndex.index(level: 0, n:)."""
    return 2 * n - bin(n).count("1")


def raw_sqlite_limit(source: Path, target: Path, batch: int) -> dict:
    """Insert the rows the store wrote into a copy of its empty tables, batch by batch; time it."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        schema = [sql for (sql,) in src.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN ('log_entries', 'log_hashes') AND sql IS NOT NULL "
            "ORDER BY type DESC")]
        entries = src.execute("SELECT idx, fact_key, kind, data, leaf_hash, published_at FROM log_entries "
                              "ORDER BY idx").fetchall()
        hashes = src.execute("SELECT idx, hash FROM log_hashes ORDER BY idx").fetchall()
    finally:
        src.close()
    dst = sqlite3.connect(target, isolation_level=None)
    try:
        dst.execute("PRAGMA journal_mode=WAL")
        dst.execute("PRAGMA synchronous=FULL")
        for sql in schema:
            dst.execute(sql)
        h = 0
        t0 = time.perf_counter()
        for start in range(0, len(entries), batch):
            end = min(len(entries), start + batch)
            limit = stored_index(end) if end < len(entries) else float("inf")
            h_end = h
            while h_end < len(hashes) and hashes[h_end][0] < limit:
                h_end += 1
            dst.execute("BEGIN IMMEDIATE")
            dst.executemany("INSERT INTO log_entries (idx, fact_key, kind, data, leaf_hash, published_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)", entries[start:end])
            dst.executemany("INSERT INTO log_hashes (idx, hash) VALUES (?, ?)", hashes[h:h_end])
            dst.execute("COMMIT")
            h = h_end
        seconds = time.perf_counter() - t0
    finally:
        dst.close()
    return {"leaves": len(entries), "hash_rows": len(hashes), "seconds": round(seconds, 3),
            "leaves_per_s": len(entries) / seconds if seconds else None}


@register
class LogAppend(Scenario):
    name = "log-append"
    title = "1,000,000 leaves through the transparency log store, their checkpoint, one inclusion proof"
    measures = ("leaves/s of SQLTransparencyLog.append in batches of 1,000 on SQLite, against raw SQLite "
                "inserting the same rows; inclusion proof latency through the store and over HTTP")
    goal_text = f">= {GOAL_LEAVES_PER_S:,} leaves/s; proof <= {GOAL_PROOF_MS:g} ms"
    tools = ("nginx", "wrk")

    def run(self, ctx: Context) -> ScenarioResult:
        if ctx.subject != "mandate" or not ctx.server_command:
            return ScenarioResult(self.name, "skipped", details={"reason": "needs the Mandate binary"})
        workdir = ctx.workdir("log-server")  # the server below serves the same file
        database = workdir / "bench.sqlite"
        argv = [*ctx.server_command, "bench", "log", "--leaves", str(LEAVES), "--batch", str(BATCH),
                "--proofs", str(PROOFS), "--database", f"sqlite:{database}"]
        ctx.log(f"  {' '.join(argv)}")
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=3600)
        except subprocess.TimeoutExpired as e:
            raise HarnessError("mandate bench log did not finish within an hour") from e
        if p.returncode != 0:
            raise HarnessError(f"mandate bench log failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
        store = json.loads(p.stdout)
        ctx.log(f"    {store['leavesPerSecond']:,.0f} leaves/s ({store['appendSeconds']:.2f} s), checkpoint "
                f"{store['checkpointSeconds']:.2f} s, proof p50 {store['proofMilliseconds']['p50']:.3f} ms "
                f"p99 {store['proofMilliseconds']['p99']:.3f} ms")

        ctx.log("  raw SQLite: the same rows, the same batches")
        limit = raw_sqlite_limit(database, ctx.workdir("raw") / "raw.sqlite", BATCH)
        ctx.log(f"    {limit['leaves_per_s']:,.0f} leaves/s ({limit['seconds']:.2f} s)")

        # Over HTTP: the server on the same file (no demo, so the log stays as measured).
        server = ctx.start_server(name="log-server", extra_args=["--no-demo"])
        key = store["sampleKeys"][0]
        url = f"{server.base_url}/api/v1/log/proof/inclusion?key={quote(key, safe='')}"
        status, _headers, body = http_get(url)
        if status != 200:
            raise HarnessError(f"GET inclusion proof answered HTTP {status}: {body[:300]!r}")
        static = ctx.workdir("static") / "proof.json"
        static.write_bytes(body)
        path = "/api/v1/log/proof/inclusion"
        nginx = ctx.start_static_nginx({path: (static, "application/json")})
        nginx_url = nginx.base_url + path + url[url.index("?"):]
        nginx.check_serves(path + url[url.index("?"):], body)
        duration = ctx.options.duration
        runs = {}
        for name, target in (("mandate", url), ("nginx", nginx_url)):
            if ctx.options.warmup > 0:
                run_wrk(ctx.tools["wrk"], target, ctx.options.warmup, 1, 1)
            runs[name] = run_wrk(ctx.tools["wrk"], target, duration, 1, 1)
            r = runs[name]
            ctx.log(f"    {name} -c1: {r.rps or 0:,.0f} req/s, p50 {r.latency_ms.get('p50')} ms, "
                    f"p99 {r.latency_ms.get('p99')} ms")

        problems = [f"{n}: {why}" for n, r in runs.items() for ok, why in [r.valid()] if not ok]
        lps = store["leavesPerSecond"]
        proof = store["proofMilliseconds"]
        http_p50 = runs["mandate"].latency_ms.get("p50")
        rows = [
            Row(self.name, f"store append, batches of {BATCH:,} (SQLite)", "subject", lps, "leaves/s",
                ratio=lps / limit["leaves_per_s"], passed=lps >= GOAL_LEAVES_PER_S,
                note=f"goal >= {GOAL_LEAVES_PER_S:,} leaves/s; checkpoint of {store['treeSize']:,} leaves "
                     f"signed in {store['checkpointSeconds']:.2f} s"),
            Row(self.name, "raw SQLite, same rows and batches (limit)", "limit", limit["leaves_per_s"], "leaves/s"),
            Row(self.name, "inclusion proof through the store", "subject", 1000 / proof["mean"], "proofs/s",
                proof["p50"], proof["p99"], passed=proof["p99"] <= GOAL_PROOF_MS,
                note=f"goal p99 <= {GOAL_PROOF_MS:g} ms"),
            Row(self.name, "GET /api/v1/log/proof/inclusion, 1 connection", "subject", runs["mandate"].rps, "req/s",
                http_p50, runs["mandate"].latency_ms.get("p99"),
                ratio=(runs["mandate"].rps or 0) / (runs["nginx"].rps or 1),
                passed=None if problems or http_p50 is None else http_p50 <= GOAL_PROOF_MS,
                note=f"goal p50 <= {GOAL_PROOF_MS:g} ms" + ("; " + "; ".join(problems) if problems else "")),
            Row(self.name, "nginx, same bytes, 1 connection (limit)", "limit", runs["nginx"].rps, "req/s",
                runs["nginx"].latency_ms.get("p50"), runs["nginx"].latency_ms.get("p99")),
        ]
        details = {"store": store, "raw_sqlite": limit,
                   "http": {k: v.to_json() for k, v in runs.items()}, "command": argv}
        if problems:
            status = "invalid"
        else:
            status = "pass" if all(r.passed for r in rows if r.kind == "subject") else "fail"
        return ScenarioResult(self.name, status, rows, details)
