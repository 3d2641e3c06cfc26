#!/usr/bin/env python3
"""A stand-in for the Mandate server, for `run.py --selftest`. Standard library only.

It takes the same command line as the real server's `serve` command and
answers the endpoints the scenarios use, so the runner's whole path (start,
wait for /healthz, fetch, nginx, wrk, stop) can be checked before Mandate is
built:

    standin_server.py serve --database sqlite:/tmp/x/bench.sqlite --host 127.0.0.1 --port 8080

    GET /healthz                 200 {"status":"ok"}
    GET /api/v1/units?kind=K     200 units of kind K, read from SQLite on every request

Like the real server, it answers gzip (level 6, `Vary: Accept-Encoding`) to a client that
accepts it, for bodies of at least 1 KiB, so that `--selftest --compression gzip` checks that path.

On first start it creates the SQLite file and loads the units that
bench/generate.py produces (the real 34 provinces and 3,321 communes when the
product's units file is present). Its figures say nothing about Mandate: it is
a thread-per-connection Python server.
"""

from __future__ import annotations

import argparse
import gzip
import json
import signal
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    code TEXT PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, short_name TEXT NOT NULL,
    type TEXT NOT NULL, parent_code TEXT, lat REAL, lon REAL, area_km2 REAL
);
CREATE INDEX IF NOT EXISTS units_level ON units(level, code);
"""


def open_database(path: str) -> None:
    """Create the schema and load the demo units if the table is empty."""
    db = sqlite3.connect(path)
    with db:
        db.executescript(SCHEMA)
        if db.execute("SELECT count(*) FROM units").fetchone()[0] == 0:
            units = generate.build_units(generate.parse_args(["--quiet"]))
            db.executemany("INSERT INTO units VALUES (?,?,?,?,?,?,?,?,?)",
                           [(u.code, u.level, u.name, u.short_name, u.type, u.parent_code or None,
                             u.lat, u.lon, u.area_km2) for u in units])
    db.close()


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether Accept-Encoding names gzip (or x-gzip) with a weight above zero (a simple reading)."""
    for entry in (accept_encoding or "").split(","):
        coding, _, params = entry.partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            q = params.strip().lower()
            try:
                return not q.startswith("q=") or float(q[2:]) > 0
            except ValueError:
                return False
    return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects
    server_version = "mandate-standin"
    local = threading.local()

    def db(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = sqlite3.connect(f"file:{self.server.database}?mode=ro", uri=True)
        return conn

    def send_json(self, status: int, payload: object, ctype: str = "application/json") -> None:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        compress = len(body) >= 1024 and accepts_gzip(self.headers.get("Accept-Encoding"))
        if compress:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        if url.path == "/healthz":
            self.send_json(200, {"status": "ok"})
        elif url.path == "/api/v1/units":
            kind = parse_qs(url.query).get("kind", [None])[0]
            sql = "SELECT code, level, name, short_name, type, parent_code, lat, lon, area_km2 FROM units"
            rows = self.db().execute(sql + (" WHERE level = ? ORDER BY code" if kind else " ORDER BY code"),
                                     (kind,) if kind else ()).fetchall()
            cols = ["code", "kind", "name", "shortName", "type", "parentCode", "lat", "lon", "areaKm2"]
            self.send_json(200, {"items": [dict(zip(cols, r)) for r in rows], "total": len(rows)})
        else:
            self.send_json(404, {"type": "about:blank", "title": "Not Found", "status": 404},
                           "application/problem+json")

    def log_message(self, *args) -> None:  # no access log: it would cost more than the work
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default listen backlog (5) drops wrk's 64 connections


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="standin_server.py")
    sub = ap.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--database", required=True, help="sqlite:PATH")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--log-level", default="info", help="accepted for compatibility; the stand-in never logs requests")
    a = ap.parse_args(argv)
    if not a.database.startswith("sqlite:"):
        ap.error("only --database sqlite:PATH is supported by the stand-in")
    path = a.database[len("sqlite:"):]
    open_database(path)
    httpd = Server((a.host, a.port), Handler)
    httpd.database = path
    # Graceful shutdown on SIGTERM, like the real server: stop accepting, then exit 0.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=httpd.shutdown, daemon=True).start())
    print(f"stand-in listening on http://{a.host}:{a.port} (database {path})", flush=True)
    httpd.serve_forever()
    httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
