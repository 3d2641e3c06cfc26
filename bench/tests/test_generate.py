"""The data generator: exact counts, formats, references and determinism."""

import csv
import re
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import generate  # noqa: E402

SMALL = ["--values", "20000", "--tasks", "300", "--reports", "2000", "--quiet"]


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Generated(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = Path(cls.tmp.name) / "a"
        generate.main([*SMALL, "--out", str(cls.out)])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_headers_are_exact(self):
        for name, cols in [("units.csv", generate.UNIT_COLUMNS), ("indicators.csv", generate.INDICATOR_COLUMNS),
                           ("values.csv", generate.VALUE_COLUMNS), ("tasks.csv", generate.TASK_COLUMNS),
                           ("reports.csv", generate.REPORT_COLUMNS)]:
            with open(self.out / name, encoding="utf-8") as f:
                self.assertEqual(f.readline().rstrip("\n"), ",".join(cols), name)

    def test_units_scale_and_tree(self):
        units = read(self.out / "units.csv")
        by = {}
        for u in units:
            by.setdefault(u["level"], []).append(u)
        self.assertEqual(len(by["committee"]), 1)
        self.assertEqual(by["committee"][0]["code"], "BCD")
        self.assertEqual(len(by["ministry"]), 17)
        self.assertEqual(len(by["province"]), 34)
        self.assertEqual(len(by["commune"]), 3321)
        self.assertEqual(len(by["partner"]), 30)
        codes = {u["code"] for u in units}
        self.assertEqual(len(codes), len(units), "unit codes are unique")
        provinces = {u["code"] for u in by["province"]}
        self.assertTrue(all(re.fullmatch(r"\d{2}", c) for c in provinces))
        for c in by["commune"]:
            self.assertRegex(c["code"], r"^\d{5}$")
            self.assertIn(c["parent_code"], provinces)
        for u in by["ministry"] + by["partner"]:
            self.assertEqual(u["parent_code"], "BCD")

    def test_indicators(self):
        inds = read(self.out / "indicators.csv")
        self.assertGreaterEqual(len(inds), 100)
        self.assertEqual(len({i["code"] for i in inds}), len(inds))
        for i in inds:
            self.assertIn(i["value_type"], {"number", "percent", "yesno"})
            self.assertIn(i["direction"], {"higher", "lower"})
            self.assertIn(i["frequency"], {"monthly", "quarterly", "yearly"})
            self.assertIn(i["rollup"], {"sum", "mean", "none"})
            self.assertTrue(set(i["applies_to"].split(";")) <= set(generate.UNIT_KINDS))
        self.assertTrue(any(re.search(r"[ạảãáàâầấậẩẫăằắặẳẵđệểễếềơờớợởỡưừứựửữ]", i["name_vi"]) for i in inds))

    def test_values_exact_count_and_references(self):
        values = read(self.out / "values.csv")
        self.assertEqual(len(values), 20000)
        inds = {i["code"]: i for i in read(self.out / "indicators.csv")}
        units = {u["code"]: u for u in read(self.out / "units.csv")}
        seen = set()
        for v in values:
            ind = inds[v["indicator"]]
            unit = units[v["unit"]]
            self.assertIn(unit["level"], ind["applies_to"].split(";"))
            self.assertRegex(v["period"], {"monthly": r"^\d{6}$", "quarterly": r"^\d{4}Q[1-4]$",
                                           "yearly": r"^\d{4}$"}[ind["frequency"]])
            x = float(v["value"])
            if ind["value_type"] == "percent":
                self.assertTrue(0 <= x <= 100)
            elif ind["value_type"] == "yesno":
                self.assertIn(v["value"], {"0", "1"})
            else:
                self.assertGreaterEqual(x, 0)
            key = (v["indicator"], v["unit"], v["period"])
            self.assertNotIn(key, seen, "one value per (indicator, unit, period)")
            seen.add(key)

    def test_missing_rate_is_honoured(self):
        import json
        m = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
        self.assertAlmostEqual(m["files"]["values"]["missing_rate"], 0.05, delta=0.002)

    def test_tasks_and_reports(self):
        tasks = {t["code"]: t for t in read(self.out / "tasks.csv")}
        self.assertEqual(len(tasks), 300)
        units = {u["code"] for u in read(self.out / "units.csv")}
        for t in tasks.values():
            self.assertIn(t["lead_unit"], units)
            for c in filter(None, t["coordinating_units"].split(";")):
                self.assertIn(c, units)
                self.assertNotEqual(c, t["lead_unit"])
            self.assertLess(t["start"], t["deadline"])
            self.assertIn(t["status_hint"], generate.STATUS_HINTS)
        reports = read(self.out / "reports.csv")
        self.assertEqual(len(reports), 2000)
        last: dict[str, int] = {}
        when: dict[str, str] = {}
        final: set[str] = set()
        for r in reports:
            t = tasks[r["task_code"]]
            self.assertNotEqual(t["status_hint"], "not_started")
            self.assertIn(r["unit"], [t["lead_unit"], *t["coordinating_units"].split(";")])
            self.assertRegex(r["submitted_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+07:00$")
            self.assertGreaterEqual(r["submitted_at"][:10], t["start"])
            pct = int(r["percent"])
            self.assertGreaterEqual(pct, last.get(r["task_code"], 0), "percent never goes down")
            self.assertGreater(r["submitted_at"], when.get(r["task_code"], ""), "times follow the file's order")
            self.assertNotIn(r["task_code"], final, "no report after the final one")
            if pct == 100 and r["unit"] == t["lead_unit"]:
                final.add(r["task_code"])
            self.assertIn(f"{pct}%", r["narrative"])
            last[r["task_code"]] = pct
            when[r["task_code"]] = r["submitted_at"]
        for code, pct in last.items():
            if tasks[code]["status_hint"] == "completed":
                self.assertEqual(pct, 100)
                self.assertIn(code, final)

    def test_same_seed_same_bytes_and_single_file_matches(self):
        other = Path(self.tmp.name) / "b"
        generate.main([*SMALL, "--out", str(other)])
        for name in generate.FILES.values():
            self.assertEqual((self.out / name).read_bytes(), (other / name).read_bytes(), name)
        # One file alone is the same as in a full run.
        single = Path(self.tmp.name) / "c"
        generate.main(["values", *SMALL, "--out", str(single)])
        self.assertEqual((self.out / "values.csv").read_bytes(), (single / "values.csv").read_bytes())
        self.assertFalse((single / "units.csv").exists())

    def test_other_seed_differs(self):
        other = Path(self.tmp.name) / "d"
        generate.main(["values", *SMALL, "--seed", "58", "--out", str(other)])
        self.assertNotEqual((self.out / "values.csv").read_bytes(), (other / "values.csv").read_bytes())


class Synthetic(unittest.TestCase):
    def test_synthetic_units_fit_codes(self):
        with tempfile.TemporaryDirectory() as d:
            generate.main(["units", "--synthetic-units", "--communes", "20000", "--out", d, "--quiet"])
            units = read(Path(d) / "units.csv")
            communes = [u for u in units if u["level"] == "commune"]
            self.assertEqual(len(communes), 20000)
            self.assertTrue(all(re.fullmatch(r"\d{5}", c["code"]) for c in communes))
            self.assertEqual(len({c["code"] for c in communes}), 20000)
            self.assertTrue(all(re.search(r"^(Xã|Phường|Đặc khu) .+ \d+$", c["name"]) for c in communes))

    def test_province_history_with_small_n(self):
        with tempfile.TemporaryDirectory() as d:
            generate.main(["values", "--values", "30000", "--value-kinds", "province", "--out", d, "--quiet"])
            periods = {v["period"] for v in read(Path(d) / "values.csv")}
            self.assertGreater(len({p[:4] for p in periods}), 1, "several years of province data")


if __name__ == "__main__":
    unittest.main()
