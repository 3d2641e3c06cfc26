"""The catalogue-scale scenario's pure parts, without a server: the search fold, the columns and JSON
the store keeps (checked against a row the demo wrote), the generated catalogue, its load into the
migration's tables, the dataset count of a streamed export, and the rows' verdicts."""

import json
import re
import sqlite3
import sys
import tempfile
import unittest
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY, ScenarioResult  # noqa: E402
from harness.report import table  # noqa: E402
from harness.scenarios import catalogue_scale as cs  # noqa: E402
from harness.wrk import WrkResult  # noqa: E402

# A row `mandate serve` wrote for the demo (DemoCatalogue through SQLCatalogueRepository.load).
DEMO_PUBLISHED = (
    '{"access":"restricted","accessBasis":"Luật Căn cước 2023; Luật Dữ liệu 2024; Luật Bảo vệ dữ liệu cá nhân 2025",'
    '"code":"CSDLQG-DANCU","connectedSince":"2025-01-16","contactEmail":"csdl.dancu@bocongan.gov.vn",'
    '"descriptionEn":"Basic information on Vietnamese citizens keyed to the personal identification number, used as '
    'master data to verify identity.","descriptionVi":"Thông tin cơ bản về công dân Việt Nam, gắn với số định danh cá '
    'nhân, dùng làm dữ liệu chủ để xác thực danh tính.","distributions":[{"accessURL":'
    '"https://dulieu.bocongan.gov.vn/csdl/dan-cu","columns":[],"downloadURL":"","format":"JSON","licence":"",'
    '"mediaType":"application/json"}],"frequency":"DAILY","illustrative":true,"keywords":[],'
    '"lastUpdate":"2026-12-01","legalBasis":{"document":"Luật Căn cước 2023; Nghị định 47/2024/NĐ-CP",'
    '"link":"https://vbpl.vn/vinhphuc/Pages/vbpq-toanvan.aspx?ItemID=166966"},"level":"national",'
    '"nameEn":"National Population Database","nameVi":"Cơ sở dữ liệu quốc gia về dân cư","owner":"BCA",'
    '"recordCount":104200000,"recordCountDate":"2026-12-01","themes":["SOCI","GOVE"]}')
DEMO_SEARCH = "csdlqg dancu co so du lieu quoc gia ve dan cu national population database"
DEMO_THEMES = " SOCI GOVE "

# Migration 028's two tables the scenario writes (as SQLite shows them after `mandate migrate`).
SCHEMA = [
    'CREATE TABLE "catalogue_entries" ("code" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "owner_parent" TEXT, '
    '"level" TEXT, "access" TEXT, "themes" TEXT, "search" TEXT, "published" TEXT, "version" INTEGER NOT NULL, '
    '"published_at" TEXT, "published_by" TEXT, "draft" TEXT, "draft_at" TEXT, "draft_by" TEXT, '
    '"expected_records" INTEGER)',
    'CREATE TABLE "catalogue_versions" ("code" TEXT NOT NULL, "version" INTEGER NOT NULL, "entry" TEXT NOT NULL, '
    '"published_at" TEXT NOT NULL, "published_by" TEXT, PRIMARY KEY ("code", "version"))',
]

UNITS = [
    cs.Unit("00004", "commune", "Phường Ba Đình", None, "Ba Đình", "01"),
    cs.Unit("00008", "commune", "Phường Ngọc Hà", None, "Ngọc Hà", "01"),
    cs.Unit("01", "province", "Thành phố Hà Nội", "Hanoi", "Hà Nội", "BCD"),
    cs.Unit("BCA", "ministry", "Bộ Công an", "Ministry of Public Security", "Công an", "BCD"),
    cs.Unit("BCD", "committee", "Ban Chỉ đạo Trung ương", "Central Steering Committee", "Ban Chỉ đạo", None),
]
TODAY = date(2026, 12, 7)
REQUIRED = {"access", "accessBasis", "code", "contactEmail", "descriptionEn", "descriptionVi", "distributions",
            "frequency", "illustrative", "keywords", "legalBasis", "level", "nameEn", "nameVi", "owner", "themes"}
OPTIONAL = {"connectedSince", "lastUpdate", "recordCount", "recordCountDate"}
THEMES = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"}
FREQUENCIES = {"CONT", "DAILY", "WEEKLY", "BIWEEKLY", "MONTHLY", "BIMONTHLY", "QUARTERLY", "ANNUAL_2", "ANNUAL",
               "BIENNIAL", "TRIENNIAL", "IRREG", "NEVER", "UNKNOWN"}
CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{2,39}")  # CatalogueDraft.isCode


def wrk(p50, p99, non_2xx=0) -> WrkResult:
    return WrkResult(url="http://127.0.0.1:1/", threads=1, connections=1, duration_s=5, requests=500, rps=100.0,
                     latency_ms={"p50": p50, "p99": p99}, non_2xx_3xx=non_2xx,
                     socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": 0})


def export_round(ms, peak, datasets=100, status=200) -> dict:
    return {"path": "/open-data/catalogue.jsonld", "status": status, "last_byte_ms": ms, "first_byte_ms": 3.0,
            "bytes": 3_000_000, "datasets": datasets, "rss_before_kib": 60_000, "peak_mb": peak, "hwm_reset": True}


class FoldAndColumnsTests(unittest.TestCase):
    def test_fold_ignores_case_diacritics_and_punctuation_like_search_key(self):
        self.assertEqual(cs.fold("Hà  Nội!"), "ha noi")
        self.assertEqual(cs.fold("Đà Nẵng"), "da nang")
        self.assertEqual(cs.fold("ＨＡ ＮＯＩ ０１"), "ha noi 01")
        self.assertEqual(cs.fold("  -CSDLQG-DANCU- "), "csdlqg dancu")
        self.assertEqual(cs.fold("Cơ sở dữ liệu"), cs.SEARCH)
        self.assertEqual(cs.fold(""), "")

    def test_the_demo_row_is_rebuilt_exactly(self):
        entry = json.loads(DEMO_PUBLISHED)
        self.assertEqual(cs.entry_json(entry), DEMO_PUBLISHED)
        self.assertEqual(cs.search_text(entry), DEMO_SEARCH)
        self.assertEqual(cs.themes_column(entry["themes"]), DEMO_THEMES)

    def test_keywords_are_searched_too(self):
        entry = json.loads(DEMO_PUBLISHED)
        entry["keywords"] = ["Căn cước", "định danh"]
        self.assertTrue(cs.search_text(entry).endswith("database can cuoc dinh danh"))

    def test_store_time_has_milliseconds_and_z(self):
        from datetime import datetime, timezone
        self.assertEqual(cs.store_time(datetime(2026, 12, 7, 18, 39, 37, 574_999, tzinfo=timezone.utc)),
                         "2026-12-07T18:39:37.574Z")


class GenerationTests(unittest.TestCase):
    def test_shares_are_even(self):
        s = cs.shares(50_000, 3_373)
        self.assertEqual(sum(s), 50_000)
        self.assertLessEqual(max(s) - min(s), 1)
        self.assertEqual(cs.shares(3, 5), [1, 1, 1, 0, 0])
        with self.assertRaises(HarnessError):
            cs.shares(10, 0)

    def test_generation_is_deterministic_and_fifteen_per_unit(self):
        a = list(cs.generate(UNITS, 75, TODAY))
        b = list(cs.generate(UNITS, 75, TODAY))
        self.assertEqual([cs.entry_json(e) for e, _ in a], [cs.entry_json(e) for e, _ in b])
        self.assertNotEqual([cs.entry_json(e) for e, _ in a],
                            [cs.entry_json(e) for e, _ in cs.generate(UNITS, 75, TODAY, seed=cs.SEED + 1)])
        owners = [e["owner"] for e, _ in a]
        self.assertEqual({u.code: owners.count(u.code) for u in UNITS}, {u.code: 15 for u in UNITS})

    def test_entries_are_valid_catalogue_entries(self):
        entries = list(cs.generate(UNITS, 200, TODAY))
        codes = [e["code"] for e, _ in entries]
        self.assertEqual(len(set(codes)), len(codes))
        self.assertIn("00004-DB001", codes)
        self.assertIn("BCA-DB040", codes)
        parents = {u.code: u.parent for u in UNITS}
        kinds = {u.code: u.kind for u in UNITS}
        seen_access, seen_level = set(), set()
        for e, parent in entries:
            self.assertRegex(e["code"], CODE)
            self.assertEqual(parent, parents[e["owner"]])
            self.assertTrue(REQUIRED <= set(e) <= REQUIRED | OPTIONAL, set(e) ^ REQUIRED)
            self.assertIs(e["illustrative"], False)
            self.assertTrue(set(e["themes"]) <= THEMES and e["themes"])
            self.assertIn(e["frequency"], FREQUENCIES)
            self.assertIn(e["access"], ("open", "shared", "restricted"))
            if e["access"] == "restricted":
                self.assertTrue(e["accessBasis"])
            self.assertEqual("recordCount" in e, "recordCountDate" in e)
            for key in ("lastUpdate", "recordCountDate", "connectedSince"):
                if key in e:
                    self.assertLessEqual(date.fromisoformat(e[key]), TODAY)
            self.assertEqual(e["level"] == "local", kinds[e["owner"]] in ("province", "commune"))
            self.assertTrue(e["nameVi"] and e["distributions"])
            for d in e["distributions"]:
                self.assertEqual(sorted(d), ["accessURL", "columns", "downloadURL", "format", "licence", "mediaType"])
                self.assertTrue(d["accessURL"].startswith("https://"))
            self.assertRegex(e["contactEmail"], r"^[a-z0-9.]+@[a-z0-9.-]+$")
            seen_access.add(e["access"])
            seen_level.add(e["level"])
        self.assertEqual(seen_access, {"open", "shared", "restricted"})
        self.assertEqual(seen_level, {"national", "sectoral", "local"})
        # Most names say "Cơ sở dữ liệu": the measured search finds them.
        found = sum(cs.SEARCH in cs.search_text(e) for e, _ in entries)
        self.assertGreater(found, len(entries) // 2)
        self.assertLess(found, len(entries))

    def test_the_row_is_the_store_s(self):
        entry, parent = next(cs.generate(UNITS, 5, TODAY))
        row = cs.row_of(entry, parent, "2026-12-07T18:39:37.574Z")
        self.assertEqual(row[:5], (entry["code"], "00004", "01", "local", entry["access"]))
        self.assertEqual(row[5], cs.themes_column(entry["themes"]))
        self.assertEqual(row[6], cs.search_text(entry))
        self.assertEqual(json.loads(row[7]), entry)
        self.assertEqual(row[8:10], (1, "2026-12-07T18:39:37.574Z"))


class LoadTests(unittest.TestCase):
    def test_load_writes_entries_and_first_versions_and_refuses_a_taken_code(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.sqlite"
            db = sqlite3.connect(path)
            for statement in SCHEMA:
                db.execute(statement)
            db.commit()
            db.close()
            n = cs.load(path, cs.generate(UNITS, 23, TODAY), "2026-12-07T18:39:37.574Z", batch=10)
            self.assertEqual(n, 23)
            db = sqlite3.connect(path)
            try:
                self.assertEqual(db.execute("SELECT count(*), min(version), max(version) FROM catalogue_entries")
                                 .fetchone(), (23, 1, 1))
                self.assertEqual(db.execute("SELECT count(*) FROM catalogue_versions v JOIN catalogue_entries e "
                                            "ON e.code = v.code AND e.published = v.entry").fetchone(), (23,))
                self.assertEqual(db.execute("SELECT count(*) FROM catalogue_entries WHERE owner_parent IS NULL")
                                 .fetchone(), (4,))  # the committee's
                # The listing's unit filter: the province's own and its communes'.
                self.assertEqual(db.execute("SELECT count(*) FROM catalogue_entries WHERE owner = '01' OR "
                                            "owner_parent = '01'").fetchone(), (15,))
            finally:
                db.close()
            with self.assertRaises(HarnessError):
                cs.load(path, cs.generate(UNITS, 1, TODAY), "2026-12-07T18:39:37.574Z")


class MeasuringTests(unittest.TestCase):
    def test_markers_are_counted_across_pieces(self):
        marker = cs.DATASET_MARKERS["jsonld"]
        body = (b'{"@graph":[' + b",".join(b'{"@id":"x","@type":["dcat:Dataset"],"a":1}' for _ in range(7))
                + b',{"@type":["dcat:Catalog"]}]}')
        for size in (1, 2, 5, 13, 64, len(body)):
            counter = cs.MarkerCounter(marker)
            for i in range(0, len(body), size):
                counter.feed(body[i:i + size])
            self.assertEqual(counter.count, 7, size)

    def test_peak_uses_the_reset_high_water_mark_only_when_it_was_reset(self):
        self.assertAlmostEqual(cs.peak_mb(50_000, 90_000, True), 90_000 * 1024 / 1e6)
        self.assertAlmostEqual(cs.peak_mb(50_000, 90_000, False), 50_000 * 1024 / 1e6)
        self.assertAlmostEqual(cs.peak_mb(95_000, 90_000, True), 95_000 * 1024 / 1e6)

    def test_export_rows_judge_the_median_time_and_the_largest_peak(self):
        t, m = cs.export_rows("catalogue-scale", "mandate", "jsonld",
                              [export_round(1_500, 80), export_round(2_500, 95), export_round(1_900, 70)], 100)
        self.assertEqual(t.throughput, 1_900)
        self.assertTrue(t.passed)
        self.assertIn("max 2,500 ms", t.note)
        self.assertEqual(m.throughput, 95)
        self.assertTrue(m.passed)
        _, m = cs.export_rows("catalogue-scale", "mandate", "jsonld",
                              [export_round(1_000, 80), export_round(1_000, 101)], 100)
        self.assertFalse(m.passed)
        t, _ = cs.export_rows("catalogue-scale", "mandate", "jsonld",
                              [export_round(1_000, 80, datasets=99), export_round(1_000, 80)], 100)
        self.assertFalse(t.passed)
        self.assertIn("99 datasets", t.note)

    def test_page_rows_judge_p99(self):
        self.assertTrue(cs.page_row("catalogue-scale", "GET /catalogue", [wrk(4.0, 19.0)]).passed)
        self.assertFalse(cs.page_row("catalogue-scale", "GET /catalogue", [wrk(4.0, 21.0)]).passed)
        bad = cs.page_row("catalogue-scale", "GET /catalogue", [wrk(4.0, 5.0, non_2xx=3)])
        self.assertFalse(bad.passed)
        self.assertIn("non-2xx", bad.note)

    def test_pages_measured(self):
        p = cs.pages("01", "01-DB001")
        self.assertEqual(list(p.values()), [
            "/catalogue", "/catalogue?q=co%20so%20du%20lieu", "/catalogue?unit=01",
            "/catalogue?quality=living:not-met", "/api/v1/catalogue?limit=50", "/catalogue/01-DB001"])

    def test_table_renders(self):
        rows = [cs.page_row("catalogue-scale", "GET /catalogue", [wrk(4.0, 12.0)]),
                *cs.export_rows("catalogue-scale", "mandate", "jsonld", [export_round(1_500, 80)], 100)]
        text = table([ScenarioResult("catalogue-scale", "pass", rows)])
        self.assertIn("p99 <= 20 ms", text)
        self.assertIn("median <= 2000 ms", text)
        self.assertIn("peak <= 100 MB", text)

    def test_registered_before_the_national_scenarios_and_not_in_the_selftest(self):
        names = list(REGISTRY)
        self.assertIn("catalogue-scale", names)
        self.assertLess(names.index("catalogue-scale"), names.index("national-portal"))
        s = REGISTRY["catalogue-scale"]
        self.assertFalse(s.selftest)
        self.assertEqual(s.tools, ("wrk",))


if __name__ == "__main__":
    unittest.main()
