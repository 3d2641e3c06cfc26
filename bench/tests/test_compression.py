"""--compression gzip (issue 20, point 10): nginx's gzip configuration, the check that both servers
answer gzip inflating to the identity body, the wire-size check of wrk's runs, the option, and (when
nginx and wrk are installed) nginx and the self-test with compression on, on loopback only."""

import gzip
import json
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402
from harness import compression  # noqa: E402
from harness.nginx import StaticNginx  # noqa: E402
from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY, Options  # noqa: E402
from harness.scenarios import public_rankings, units_provinces  # noqa: E402,F401
from harness.tools import which  # noqa: E402
from harness.wrk import WrkResult  # noqa: E402

BODY = json.dumps({"items": [{"code": f"{i:02d}", "name": f"Tỉnh {i}"} for i in range(80)]},
                  ensure_ascii=False).encode()
GZ = gzip.compress(BODY, 6)
GOOD_HEADERS = {"Content-Type": "application/json", "Content-Encoding": "gzip", "Vary": "Accept-Encoding",
                "Content-Length": str(len(GZ))}


def nginx_for(d: str, routes: dict, gzip_on: bool) -> StaticNginx:
    return StaticNginx("nginx", Path(d) / "ngx", routes, workers=2, port=4243, gzip=gzip_on)


class Option(unittest.TestCase):
    def test_default_off_and_recorded(self):
        self.assertEqual(run.parse_args([]).compression, "none")
        self.assertEqual(run.parse_args(["--compression", "gzip"]).compression, "gzip")
        self.assertEqual(Options().compression, "none")
        with self.assertRaises(SystemExit), open("/dev/null", "w") as null:
            stderr, sys.stderr = sys.stderr, null
            try:
                run.parse_args(["--compression", "br"])
            finally:
                sys.stderr = stderr

    def test_headers_and_coding(self):
        self.assertEqual(compression.request_headers("none"), {})
        self.assertEqual(compression.request_headers(None), {})
        self.assertEqual(compression.request_headers("gzip"), {"Accept-Encoding": "gzip"})
        self.assertFalse(compression.enabled("none"))
        self.assertTrue(compression.enabled("gzip"))
        with self.assertRaises(HarnessError):
            compression.enabled("brotli")

    def test_the_two_read_scenarios_honour_it(self):
        honour = {name for name, s in REGISTRY.items() if s.compression_option}
        self.assertEqual(honour, {"units-provinces", "public-rankings"})
        self.assertEqual(compression.GOAL, 0.7)


class NginxGzipConfig(unittest.TestCase):
    ROUTES = {"/api/v1/units": (Path("/x/u.json"), "application/json"),
              "/api/v1/rankings/a/2025": (Path("/x/r.json"), "application/json; charset=utf-8"),
              "/rankings/a/2025": (Path("/x/r.html"), "text/html; charset=utf-8"),
              "/open-data/units.csv": (Path("/x/u.csv"), "text/csv; charset=utf-8; header=present")}

    def test_off_writes_no_gzip_and_the_types_as_before(self):
        with tempfile.TemporaryDirectory() as d:
            conf = nginx_for(d, self.ROUTES, False).config_text()
        self.assertNotIn("gzip", conf)
        self.assertNotIn("charset ", conf)
        self.assertIn('default_type "application/json; charset=utf-8";', conf)
        self.assertIn('default_type "text/csv; charset=utf-8; header=present";', conf)

    def test_on_compresses_like_a_plain_deployment(self):
        with tempfile.TemporaryDirectory() as d:
            conf = nginx_for(d, self.ROUTES, True).config_text()
        for line in ("gzip on;", "gzip_comp_level 6;", "gzip_min_length 1024;", "gzip_vary on;"):
            self.assertIn(line, conf)
        gzip_types = next(line for line in conf.splitlines() if line.strip().startswith("gzip_types"))
        for t in ("application/json", "text/css", "text/csv", "image/svg+xml", "application/problem+json",
                  "text/javascript"):
            self.assertIn(f" {t}", gzip_types)
        self.assertNotIn("text/html", gzip_types)  # always compressed; naming it makes nginx warn
        # A charset becomes nginx's charset directive, so gzip_types matches the bare type and the
        # answer still says "application/json; charset=utf-8".
        self.assertIn("default_type application/json;\n            charset utf-8;\n"
                      "            charset_types application/json;", conf)
        self.assertIn("default_type text/html;\n            charset utf-8;", conf)
        self.assertNotIn('default_type "application/json; charset=utf-8";', conf)
        # Another parameter cannot be written so: the whole value is kept and named in gzip_types.
        self.assertIn('default_type "text/csv; charset=utf-8; header=present";', conf)
        self.assertIn(' "text/csv; charset=utf-8; header=present";', gzip_types)
        self.assertIn("default_type application/json;\n            alias /x/u.json;", conf)

    def test_split_charset(self):
        self.assertEqual(compression.split_charset("application/json"), ("application/json", None))
        self.assertEqual(compression.split_charset("text/html; charset=utf-8"), ("text/html", "utf-8"))
        self.assertEqual(compression.split_charset('text/html;charset="UTF-8"'), ("text/html", "UTF-8"))
        self.assertEqual(compression.split_charset("text/csv; charset=utf-8; header=present"),
                         ("text/csv; charset=utf-8; header=present", None))
        self.assertEqual(compression.split_charset("text/plain; format=flowed"), ("text/plain; format=flowed", None))


class CheckAnswer(unittest.TestCase):
    def check(self, status=200, headers=None, body=GZ, identity=BODY, content_type=None):
        return compression.check_gzip_answer("nginx", "/p", status, GOOD_HEADERS if headers is None else headers,
                                             body, identity, content_type)

    def fails(self, text, **kw):
        with self.assertRaises(HarnessError) as cm:
            self.check(**kw)
        self.assertIn(text, str(cm.exception))

    def test_a_good_answer(self):
        seen = self.check(content_type="application/json")
        self.assertEqual(seen["compressed_bytes"], len(GZ))
        self.assertEqual(seen["identity_bytes"], len(BODY))
        self.assertEqual(seen["vary"], "Accept-Encoding")
        # header names in any case, a chunked answer without Content-Length, Vary among others
        self.check(headers={"content-encoding": "GZIP", "vary": "Origin, accept-encoding",
                            "transfer-encoding": "chunked"})

    def test_failures_are_loud(self):
        self.fails("HTTP 404", status=404)
        self.fails("Content-Encoding '(none)', not gzip", headers={"Vary": "Accept-Encoding"}, body=BODY)
        self.fails("not gzip", headers={**GOOD_HEADERS, "Content-Encoding": "br"})
        self.fails("without Vary", headers={k: v for k, v in GOOD_HEADERS.items() if k != "Vary"})
        self.fails("Content-Length 99999", headers={**GOOD_HEADERS, "Content-Length": "99999"})
        self.fails("does not inflate", body=GZ[:-9], headers={**GOOD_HEADERS, "Content-Length": str(len(GZ) - 9)})
        self.fails("does not inflate", body=b"not gzip at all", headers={**GOOD_HEADERS, "Content-Length": "15"})
        self.fails("inflates to other bytes", identity=BODY[:-1] + b"]")
        self.fails("Content-Type 'application/json'", content_type="application/json; charset=utf-8")


class Answers(BaseHTTPRequestHandler):
    """A loopback server whose answer to /good, /identity and /corrupt the check must judge."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        gz = "gzip" in (self.headers.get("Accept-Encoding") or "")
        body, coding = BODY, None
        if gz and self.path == "/good":
            body, coding = GZ, "gzip"
        elif gz and self.path == "/corrupt":
            body, coding = GZ[:10] + bytes(len(GZ) - 10), "gzip"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if coding:
            self.send_header("Content-Encoding", coding)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class CheckOverHttp(unittest.TestCase):
    def test_check_gzip_asks_for_gzip_and_judges(self):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
        t = threading.Thread(target=httpd.serve_forever, daemon=True)
        t.start()
        try:
            base = f"http://127.0.0.1:{httpd.server_address[1]}"
            self.assertEqual(compression.check_gzip("mandate", base + "/good", "/good", BODY)["compressed_bytes"],
                             len(GZ))
            with self.assertRaises(HarnessError):
                compression.check_gzip("mandate", base + "/identity", "/identity", BODY)
            with self.assertRaises(HarnessError):
                compression.check_gzip("mandate", base + "/corrupt", "/corrupt", BODY)
            with self.assertRaises(HarnessError):  # load and checks go to loopback only
                compression.check_gzip("mandate", "http://192.0.2.1/good", "/good", BODY)
        finally:
            httpd.shutdown()
            httpd.server_close()


class WireSize(unittest.TestCase):
    def test_bytes_per_answer_and_the_problem(self):
        r = WrkResult("u", 2, 64, 10, requests=1000, rps=100.0, transfer_bytes_per_s=180_000.0)
        self.assertEqual(compression.bytes_per_answer(r), 1800.0)
        self.assertIsNone(compression.wire_problem("mandate run 1", r, 6600))
        self.assertIn("not compressed", compression.wire_problem("mandate run 1", r, 1500))
        self.assertIsNone(compression.bytes_per_answer(WrkResult("u", 2, 64, 10)))
        self.assertIsNone(compression.wire_problem("x", WrkResult("u", 2, 64, 10), 10))


@unittest.skipUnless(which("nginx"), "nginx is not installed")
class NginxGzipServes(unittest.TestCase):
    def test_nginx_compresses_each_type_to_the_same_bytes(self):
        from harness.procs import http_get
        html = ("<!doctype html><title>Xếp hạng</title>" + "<p>Tỉnh</p>" * 300).encode()
        csv = ("code,name\n" + "".join(f"{i:05d},Xã {i}\n" for i in range(300))).encode()
        with tempfile.TemporaryDirectory() as d:
            files = {}
            for name, data in (("r.json", BODY), ("r.html", html), ("u.csv", csv), ("small.json", b"{}")):
                files[name] = Path(d) / name
                files[name].write_bytes(data)
            routes = {"/j": (files["r.json"], "application/json; charset=utf-8"),
                      "/h": (files["r.html"], "text/html; charset=utf-8"),
                      "/c": (files["u.csv"], "text/csv; charset=utf-8; header=present"),
                      "/s": (files["small.json"], "application/json")}
            ngx = StaticNginx(which("nginx"), Path(d) / "ngx", routes, workers=1, gzip=True)
            try:
                ngx.start()
                for path, data in (("/j", BODY), ("/h", html), ("/c", csv)):
                    ctype = routes[path][1]
                    self.assertEqual(ngx.check_serves(path, data).get("Content-Type"), ctype)
                    seen = compression.check_gzip("nginx", ngx.base_url + path, path, data, content_type=ctype)
                    self.assertLess(seen["compressed_bytes"], len(data))
                with self.assertRaises(HarnessError):  # under gzip_min_length: sent as it is
                    compression.check_gzip("nginx", ngx.base_url + "/s", "/s", b"{}")
                status, headers, body = http_get(ngx.base_url + "/j")  # no Accept-Encoding: identity
                self.assertEqual((status, body), (200, BODY))
                self.assertNotIn("Content-Encoding", headers)
            finally:
                ngx.stop()


@unittest.skipUnless(which("nginx") and which("wrk"), "nginx and wrk are not installed")
class SelftestWithCompression(unittest.TestCase):
    def test_selftest_gzip_on_both_sides(self):
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([sys.executable, str(BENCH / "run.py"), "--selftest", "--scenario", "units-provinces",
                                "--duration", "1", "--warmup", "0", "--connections", "8", "--compression", "gzip",
                                "--out", out], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            text = r.stdout.decode(errors="replace")
            self.assertEqual(r.returncode, 0, text)
            rec = json.loads((Path(out) / "latest-selftest.json").read_text(encoding="utf-8"))
            self.assertEqual(rec["options"]["compression"], "gzip")
            res = rec["results"][0]
            self.assertIn(res["status"], ("pass", "fail"), text)
            self.assertEqual(res["details"]["compression"], "gzip")
            checks = res["details"]["gzip_check"]
            self.assertEqual(set(checks), {"mandate", "nginx"})
            for c in checks.values():
                self.assertEqual(c["content_encoding"], "gzip")
                self.assertLess(c["compressed_bytes"], c["identity_bytes"])
            rows = {row["kind"]: row for row in res["rows"]}
            self.assertIn("(gzip)", rows["subject"]["target"])
            self.assertIn("gzip on", rows["limit"]["target"])
            self.assertEqual(rows["subject"]["goal"], 0.7)
            for side, per in res["details"]["bytes_per_answer"].items():
                self.assertLess(per[0], checks[side]["identity_bytes"], side)


if __name__ == "__main__":
    unittest.main()
