"""The national-portal scenario's pure parts: cache names, the data check, the operator's command
lines, the pages and the slice chosen, nginx's paths, weights, memory, and the rows' verdicts."""

import gzip
import random
import sys
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY, ScenarioResult  # noqa: E402
from harness.report import table  # noqa: E402
from harness.scenarios import national_portal as npo  # noqa: E402
from harness.wrk import WrkResult  # noqa: E402

INDICATORS = (
    "code,name_vi,name_en,unit_of_measure,value_type,direction,frequency,applies_to,rollup\n"
    'KTS001,"Doanh thu, năm","Revenue, yearly",tỷ đồng,number,higher,yearly,province;commune,sum\n'
    "KTS002,Tỷ lệ,Share,%,percent,higher,monthly,ministry;province,mean\n"
    'CQS004,"Hồ sơ, trực tuyến",Dossiers,hồ sơ,number,higher,monthly,province;commune,sum\n'
    "CQS005,Khác,Other,%,percent,higher,monthly,province;commune,mean\n"
)
UNITS = (
    "level,code,name,short_name,type,parent_code,lat,lon,area_km2\n"
    "committee,BCD,Ban Chỉ đạo,BCĐ,Ban Chỉ đạo,,,,\n"
    'ministry,BVHTTDL,"Bộ Văn hóa, Thể thao và Du lịch",BVHTTDL,Bộ,BCD,,,\n'
    "province,01,Thành phố Hà Nội,Hà Nội,Thành phố,,21.0,105.8,3359.8\n"
    "commune,00004,Phường Ba Đình,Ba Đình,Phường,01,21.0386,105.838,2.97\n"
    "commune,00008,Phường Ngọc Hà,Ngọc Hà,Phường,01,21.0381,105.816,2.68\n"
)


def wrk(p50, p99, rps=100.0, requests=1000, non_2xx=0) -> WrkResult:
    return WrkResult(url="http://127.0.0.1:1/", threads=1, connections=1, duration_s=5, requests=requests, rps=rps,
                     latency_ms={"p50": p50, "p99": p99}, non_2xx_3xx=non_2xx,
                     socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": 0})


class Cache(unittest.TestCase):
    def test_prepared_databases_are_keyed_by_the_data_sizes(self):
        a = npo.cache_name(10_000_000, 50_000, 500_000, 1)
        self.assertEqual(a, "national-portal-values-10000000-tasks-50000-reports-500000-seed-1.sqlite")
        self.assertNotEqual(a, npo.cache_name(1_000_000, 50_000, 500_000, 1))
        self.assertNotEqual(a, npo.cache_name(10_000_000, 5_000, 500_000, 1))
        self.assertNotEqual(a, npo.cache_name(10_000_000, 50_000, 50_000, 1))
        self.assertNotEqual(a, npo.cache_name(10_000_000, 50_000, 500_000, 2))
        self.assertEqual(npo.data_dir_name(10_000_000), "national-10000000")
        self.assertEqual(npo.data_dir_name(10_000_000, 3), "national-10000000-seed-3")

    def test_the_manifest_must_describe_the_data_wanted(self):
        files = {f: {"file": f"{f}.csv", "rows": 1, "sha256": "x"} for f in npo.DATA_FILES}
        files["values"]["rows"] = 10_000_000
        good = {"seed": 57, "files": files}
        self.assertEqual(npo.data_problem(good, 10_000_000), "")
        self.assertIn("manifest", npo.data_problem(None, 10_000_000))
        self.assertIn("seed", npo.data_problem(dict(good, seed=1), 10_000_000))
        self.assertIn("values", npo.data_problem(good, 1_000_000))
        partial = {"seed": 57, "files": {k: v for k, v in files.items() if k != "units"}}
        self.assertIn("units", npo.data_problem(partial, 10_000_000))

    def test_generate_command_writes_only_what_is_loaded(self):
        argv = npo.generate_argv(Path("/c/national-10000000"), 10_000_000)
        self.assertEqual(argv[2:], ["units", "indicators", "values", "--scale", "national", "--values", "10000000",
                                    "--out", "/c/national-10000000", "--quiet"])
        self.assertTrue(argv[1].endswith("bench/generate.py"))


class Preparation(unittest.TestCase):
    def test_the_operators_commands_in_order(self):
        steps = npo.prepare_steps(["/bin/mandate"], Path("/t/bench.sqlite"), Path("/d"), 50_000, 500_000, 1,
                                  "2026-06-30")
        self.assertEqual([name for name, _ in steps],
                         ["migrate", "units import", "indicators import", "values import (approved)",
                          "bench-data tasks"])
        db = "sqlite:/t/bench.sqlite"
        self.assertEqual(steps[0][1], ["/bin/mandate", "migrate", "--database", db])
        self.assertEqual(steps[1][1], ["/bin/mandate", "units", "import", "/d/units.csv", "--database", db])
        self.assertEqual(steps[2][1], ["/bin/mandate", "indicators", "import", "/d/indicators.csv", "--database", db])
        # Approved: no --draft, so that the public pages show the values.
        self.assertEqual(steps[3][1], ["/bin/mandate", "import", "/d/values.csv", "--database", db])
        self.assertEqual(steps[4][1], ["/bin/mandate", "bench-data", "tasks", "--database", db, "--tasks", "50000",
                                       "--reports", "500000", "--seed", "1", "--today", "2026-06-30"])

    def test_prepare_rows_say_where_the_times_come_from(self):
        record = {"prepared_at": "2026-12-06T07:00:00+00:00", "cached": "/c/x.sqlite", "database_bytes": 3 * 2 ** 30,
                  "steps": {"values import (approved)": {"seconds": 201.4, "summary": {
                      "created": 10_000_000, "rows_per_s": 49_652}},
                      "bench-data tasks": {"seconds": 60.0, "summary": {"tasks": 50_000, "reports": 500_000}}}}
        rows = npo.prepare_rows("national-portal", record)
        self.assertEqual([r.kind for r in rows], ["info"] * 3)
        self.assertIn("201.4 s (cached, prepared 2026-12-06T07:00:00+00:00)", rows[0].note)
        self.assertIn("10000000 created at 49652 rows/s", rows[0].note)
        self.assertIn("50000 tasks, 500000 reports", rows[1].note)
        self.assertEqual(rows[2].throughput, 3072.0)
        fresh = npo.prepare_rows("national-portal", {"steps": {"migrate": {"seconds": 0.4}}})
        self.assertIn("(this run)", fresh[0].note)


class Choices(unittest.TestCase):
    def test_slice_indicator_is_the_first_monthly_commune_one(self):
        self.assertEqual(npo.slice_indicator(INDICATORS), "CQS004")
        with self.assertRaises(HarnessError):
            npo.slice_indicator(INDICATORS.splitlines()[0] + "\n")

    def test_first_commune_reads_quoted_names(self):
        self.assertEqual(npo.first_commune(UNITS), "00004")

    def test_periods_of_the_slice(self):
        self.assertEqual(npo.previous_month("202606"), "202605")
        self.assertEqual(npo.previous_month("202601"), "202512")
        with self.assertRaises(HarnessError):
            npo.previous_month("2026Q2")
        self.assertEqual(npo.slice_path("CQS001", ["202606", "202605"], 3321),
                         "/api/v1/dataValues?indicator=CQS001&period=202606,202605&limit=3321")
        self.assertEqual(npo.slice_path("CQS001", ["202606"]), "/api/v1/dataValues?indicator=CQS001&period=202606")

    def test_pages_in_order_and_without_what_is_missing(self):
        pages = npo.public_pages(("01", "79"), "00004", "CQS001", "/rankings/province-dti/2025", "NV000001")
        self.assertEqual(list(pages.values()), [
            "/", "/units", "/units/01", "/units/79", "/units/00004", "/indicators", "/indicators/CQS001", "/rankings",
            "/rankings/province-dti/2025", "/tasks", "/tasks/NV000001", "/methodology", "/open-data",
            "/transparency"])
        bare = npo.public_pages(("01",), "00004", "CQS001", None, None)
        self.assertNotIn("ranking", bare)
        self.assertFalse(any(k.startswith("task ") for k in bare))

    def test_nginx_serves_the_home_page_at_a_file_name(self):
        self.assertEqual(npo.nginx_path("/"), "/index.html")
        self.assertEqual(npo.nginx_path("/units/01"), "/units/01")


class Weight(unittest.TestCase):
    def test_gzip_size_is_level_6_and_deterministic(self):
        body = "<p>Phường Ba Đình</p>".encode() * 500
        self.assertEqual(npo.gzip_size(body), len(gzip.compress(body, compresslevel=6, mtime=0)))
        self.assertEqual(npo.gzip_size(body), npo.gzip_size(body))
        self.assertLess(npo.gzip_size(body), len(body))

    def test_assets_are_same_origin_stylesheets_and_scripts_once(self):
        html = (b'<link rel="stylesheet" href="/static/css/mandate.css"><link rel="icon" href="data:,">'
                b'<script src="/static/js/chart.js" defer></script><script src="//cdn.example/x.js"></script>'
                b'<link rel="stylesheet" href="/static/css/mandate.css">')
        self.assertEqual(npo.page_assets(html), ["/static/css/mandate.css", "/static/js/chart.js"])

    def test_weight_row_goal(self):
        small = npo.weight_row("national-portal", "/", b"x" * 1000, 5000)
        self.assertTrue(small.passed)
        self.assertEqual(small.goal_text(), "gzip <= 100000 B")
        self.assertIn("1,000 bytes uncompressed", small.note)
        big = npo.weight_row("national-portal", "/", random.Random(1).randbytes(150_000), None)
        self.assertFalse(big.passed)


class Memory(unittest.TestCase):
    def test_reads_rss_and_peak(self):
        text = "Name:\tmandate\nVmPeak:\t 9000 kB\nVmHWM:\t  812344 kB\nVmRSS:\t  701220 kB\nThreads:\t9\n"
        self.assertEqual(npo.memory_kib(text), {"VmHWM": 812344, "VmRSS": 701220})
        self.assertEqual(npo.read_memory(None), {})


class Rows(unittest.TestCase):
    def test_page_row_needs_both_goals(self):
        ok = npo.page_row("national-portal", "GET /", [wrk(4.0, 12.0)])
        self.assertTrue(ok.passed)
        self.assertEqual(ok.goal_text(), "p50 <= 10 ms")
        self.assertEqual(ok.note, "p99 <= 25 ms: yes")
        slow_tail = npo.page_row("national-portal", "GET /", [wrk(4.0, 30.0)])
        self.assertFalse(slow_tail.passed)
        self.assertEqual(slow_tail.note, "p99 <= 25 ms: NO")
        self.assertFalse(npo.page_row("national-portal", "GET /", [wrk(10.5, 12.0)]).passed)

    def test_page_row_medians_and_invalid_runs(self):
        row = npo.page_row("national-portal", "GET /", [wrk(3.0, 9.0), wrk(5.0, 30.0), wrk(4.0, 11.0)])
        self.assertEqual((row.p50_ms, row.p99_ms), (4.0, 11.0))
        bad = npo.page_row("national-portal", "GET /", [wrk(3.0, 9.0, non_2xx=5)])
        self.assertIn("5 non-2xx/3xx responses", bad.note)

    def test_slice_row_has_one_goal(self):
        row = npo.page_row("national-portal", "slice", [wrk(8.0, 40.0)], npo.SLICE_GOAL_P50_MS, None)
        self.assertTrue(row.passed)
        self.assertEqual(row.note, "")

    def test_edge_row_is_judged_on_p99_against_nginx(self):
        edge, limit = npo.edge_rows("national-portal", "mandate", "/units/01", [wrk(1.0, 6.0, 20_000)],
                                    [wrk(0.5, 2.5, 40_000)], 0.998)
        self.assertAlmostEqual(edge.ratio, 2.4)
        self.assertTrue(edge.passed)
        self.assertEqual(edge.goal_text(), "<= 3.00")
        self.assertIn("0.9980", edge.note)
        self.assertEqual(limit.kind, "limit")
        self.assertEqual(limit.target, "nginx, the same bytes at /units/01 (limit)")
        worse, _ = npo.edge_rows("national-portal", "mandate", "/", [wrk(1.0, 9.0)], [wrk(0.5, 2.5)], None)
        self.assertFalse(worse.passed)
        self.assertIn("/index.html", npo.edge_rows("n", "m", "/", [wrk(1, 2)], [wrk(1, 2)], None)[1].target)

    def test_router_cache_is_named(self):
        self.assertIn("router's own response cache", npo.router_cache_note("public, max-age=5"))
        self.assertEqual(npo.router_cache_note("no-cache"), "")
        self.assertEqual(npo.router_cache_note(""), "")
        self.assertEqual(npo.router_cache_note("private, max-age=5"), "")

    def test_a_page_that_failed_is_a_failed_row(self):
        row = npo.failed_row("national-portal", "GET /tasks", "HTTP 500: boom")
        self.assertFalse(row.passed)
        self.assertIn("HTTP 500", row.note)

    def test_table_renders(self):
        rows = [npo.page_row("national-portal", "GET /", [wrk(4.0, 12.0)]),
                npo.weight_row("national-portal", "/", b"<html></html>", 0)]
        text = table([ScenarioResult("national-portal", "pass", rows)])
        self.assertIn("p50 <= 10 ms", text)
        self.assertIn("gzip <= 100000 B", text)

    def test_registered_with_the_national_scenarios_last_and_not_in_the_selftest(self):
        # national-ranking shares its preparation, after it.
        self.assertEqual(list(REGISTRY)[-2:], ["national-portal", "national-ranking"])
        s = REGISTRY["national-portal"]
        self.assertFalse(s.selftest)
        self.assertEqual(set(s.tools), {"nginx", "wrk"})


if __name__ == "__main__":
    unittest.main()
