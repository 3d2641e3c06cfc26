"""The portal-under-writes scenario's parts: choosing the places, the values written, reading the
edge's count from /metrics, the writer against a loopback stand-in, and the rows' verdicts."""

import json
import sys
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY, Context, Options  # noqa: E402
from harness.scenarios import portal_under_writes as pw  # noqa: E402
from harness.wrk import WrkResult  # noqa: E402

PROVINCES = [{"code": c} for c in ("04", "01", "08")]


def communes(spec: dict[str, int]) -> list[dict]:
    return [{"code": f"{p}{i:03d}", "parentCode": p} for p, count in spec.items() for i in range(count)]


class Places(unittest.TestCase):
    def test_the_first_province_its_commune_and_another_provinces_communes(self):
        places = pw.choose_places(PROVINCES, communes({"08": 2, "01": 2, "04": 3}), set(), writers=2)
        self.assertEqual(places, {"province": "01", "own_commune": "01000", "other_province": "04",
                                  "other_communes": ["04000", "04001"]})

    def test_a_province_the_profile_took_over_or_too_small_is_not_written_to(self):
        places = pw.choose_places(PROVINCES, communes({"08": 2, "01": 2, "04": 3}), {"04"}, writers=2)
        self.assertEqual((places["other_province"], places["other_communes"]), ("08", ["08000", "08001"]))
        places = pw.choose_places(PROVINCES, communes({"08": 2, "01": 2, "04": 1}), set(), writers=2)
        self.assertEqual(places["other_province"], "08")

    def test_without_other_communes_there_is_nothing_to_measure(self):
        with self.assertRaises(HarnessError):
            pw.choose_places(PROVINCES, communes({"01": 2}), set())
        with self.assertRaises(HarnessError):
            pw.choose_places(PROVINCES, communes({"04": 2}), set(), writers=1)
        with self.assertRaises(HarnessError):
            pw.choose_places([{"code": "01"}], communes({"01": 2}), set())
        with self.assertRaises(HarnessError):
            pw.choose_places(PROVINCES, communes({"01": 1, "04": 3}), set(), writers=4)

    def test_pages_and_values(self):
        self.assertEqual(pw.pages("01"), {"overview": "/", "profile": "/units/01"})
        self.assertEqual(pw.write_values("yesno"), ("0", "1"))
        a, b = pw.write_values("number")
        self.assertNotEqual(a, b)

    def test_the_edges_count_from_metrics(self):
        text = "# TYPE x counter\nhttp_edge_answers_total 1234\nhttp_requests_total{route=\"/\"} 9\n"
        self.assertEqual(pw.edge_answers(text), 1234)
        with self.assertRaises(HarnessError):
            pw.edge_answers("http_requests_total 3\n")


class StandIn(BaseHTTPRequestHandler):
    """Signs in anyone; answers value writes 200, or 500 under /fail; counts the writes."""
    posts: list[dict] = []
    enough = threading.Event()

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")
        if self.path == "/api/v1/session":
            payload = json.dumps({"csrfToken": "t"}).encode()
            self.send_response(200)
            self.send_header("Set-Cookie", "mandate_session=s; HttpOnly")
        else:
            StandIn.posts.append({"path": self.path, "body": body, "csrf": self.headers.get("X-CSRF-Token")})
            if len(StandIn.posts) >= 4:
                StandIn.enough.set()
            payload = b"{}"
            self.send_response(500 if self.path.startswith("/fail") else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class WriterTests(unittest.TestCase):
    def setUp(self):
        StandIn.posts, StandIn.enough = [], threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def test_each_connection_alternates_its_communes_values_signed_in_until_stopped(self):
        def body(commune):
            return lambda n: pw.value_set("HT", commune, "2025", ("0", "1")[n % 2])
        with pw.Writer(self.base, "/api/v1/dataValueSets?approve=true", [body("04000"), body("04001")]) as w:
            self.assertTrue(StandIn.enough.wait(30))
        summary = w.summary()
        self.assertGreaterEqual(summary["writes"], 4)
        self.assertEqual((summary["failures"], summary["connections"]), (0, 2))
        by_commune: dict[str, list[str]] = {}
        for p in StandIn.posts:
            value = p["body"]["dataValues"][0]
            by_commune.setdefault(value["orgUnit"], []).append(value["value"])
        for values in by_commune.values():
            self.assertEqual(values, ["0", "1"] * (len(values) // 2) + ["0"] * (len(values) % 2))
        self.assertTrue(all(p["csrf"] == "t" and p["path"] == "/api/v1/dataValueSets?approve=true"
                            for p in StandIn.posts))

    def test_failed_writes_are_counted(self):
        with pw.Writer(self.base, "/fail", [lambda n: {}]) as w:
            self.assertTrue(StandIn.enough.wait(30))
        summary = w.summary()
        self.assertEqual(summary["failures"], summary["writes"])
        self.assertIn("HTTP 500", summary["first_failures"][0])


def wrk(rps: float) -> WrkResult:
    return WrkResult(url="http://127.0.0.1/", threads=2, connections=64, duration_s=10, requests=int(rps * 10),
                     rps=rps, latency_ms={"p50": 1.0, "p99": 5.0})


class Verdicts(unittest.TestCase):
    def result(self, rps: dict, visible: bool = True):
        targets = pw.pages("01")
        runs = {(k, m): [wrk(rps[(k, m)])] for k in targets for m in pw.MODES}
        writes = {m: [{"per_s": 90.0, "p50_ms": 2.0, "late_p50_ms": 0.1, "failures": 0, "first_failures": []}]
                  for m in ("draft", "approve")}
        edge = {key: [0.99] for key in runs}
        ctx = Context(Options(), {}, None, 2)
        return pw.PortalUnderWrites().result(ctx, targets, runs, writes, edge, {"visible": visible}, {
            "own_commune": "01000"}, "HT", "2025")

    def rps(self, overview_approve: float = 1000.0, profile_approve: float = 9000.0) -> dict:
        return {("overview", "none"): 10000.0, ("overview", "draft"): 9000.0,
                ("overview", "approve"): overview_approve, ("profile", "none"): 10000.0,
                ("profile", "draft"): 8500.0, ("profile", "approve"): profile_approve}

    def test_the_overview_under_approvals_carries_no_verdict(self):
        res = self.result(self.rps())
        self.assertEqual(res.status, "pass")
        overview = next(r for r in res.rows if r.target.endswith("GET /, approvals every 10 ms"))
        self.assertEqual((overview.kind, overview.goal, round(overview.ratio, 2)), ("info", None, 0.1))

    def test_a_judged_page_below_the_goal_fails(self):
        res = self.result(self.rps(profile_approve=7000.0))
        self.assertEqual(res.status, "fail")
        profile = next(r for r in res.rows if r.target.endswith("/units/01, approvals every 10 ms"))
        self.assertFalse(profile.passed)

    def test_a_write_that_does_not_show_fails(self):
        self.assertEqual(self.result(self.rps(), visible=False).status, "fail")

    def test_registered(self):
        s = REGISTRY["portal-under-writes"]
        self.assertFalse(s.selftest)
        self.assertEqual(s.tools, ("wrk",))


if __name__ == "__main__":
    unittest.main()
