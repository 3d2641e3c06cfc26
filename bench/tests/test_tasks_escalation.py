"""The tasks-escalation scenario's pure parts: command lines, parsing, goals and the table."""

import sys
import tempfile
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY, Row, ScenarioResult  # noqa: E402
from harness.report import table  # noqa: E402
from harness.scenarios import tasks_escalation as te  # noqa: E402

TIMINGS = {
    "today": "2026-11-22", "tasks": 49_250, "units": 3_372, "repeats": 11,
    "deliveryFactsMs": {"first": 900.0, "median": 610.5, "min": 600.0, "max": 700.0, "all": []},
    "computeMs": {"first": 60.0, "median": 41.25, "min": 40.0, "max": 48.0, "all": []},
    "escalationMs": {"first": 300.0, "median": 120.0, "min": 110.0, "max": 150.0, "all": []},
}


class CommandLines(unittest.TestCase):
    def test_load_and_timings_commands(self):
        db = Path("/tmp/x/bench.sqlite")
        self.assertEqual(
            te.load_argv(["/bin/mandate"], db, 50_000, 500_000, 1, "2026-11-22"),
            ["/bin/mandate", "bench-data", "tasks", "--database", "sqlite:/tmp/x/bench.sqlite", "--tasks", "50000",
             "--reports", "500000", "--seed", "1", "--today", "2026-11-22"])
        self.assertEqual(
            te.timings_argv(["/bin/mandate"], db, 11, "2026-11-22"),
            ["/bin/mandate", "bench-data", "timings", "--database", "sqlite:/tmp/x/bench.sqlite", "--repeats", "11",
             "--today", "2026-11-22"])

    def test_cached_databases_are_per_load_seed_and_day(self):
        a = te.cache_name(50_000, 500_000, 1, "2026-11-22")
        self.assertNotEqual(a, te.cache_name(50_000, 500_000, 2, "2026-11-22"))
        self.assertNotEqual(a, te.cache_name(50_000, 500_000, 1, "2026-11-23"))
        self.assertNotEqual(a, te.cache_name(5_000, 500_000, 1, "2026-11-22"))
        self.assertTrue(a.endswith(".sqlite"))


class Parsing(unittest.TestCase):
    def test_json_after_other_output(self):
        self.assertEqual(te.parse_json_output('note\n{"tasks": 3}\n', "x"), {"tasks": 3})

    def test_no_json_is_an_error(self):
        with self.assertRaises(HarnessError):
            te.parse_json_output("Segmentation fault", "bench-data tasks")
        with self.assertRaises(HarnessError):
            te.parse_json_output("[1, 2]", "bench-data tasks")


class Goals(unittest.TestCase):
    def test_compute_row_is_judged_on_its_median(self):
        rows = te.timing_rows("tasks-escalation", TIMINGS)
        compute = rows[0]
        self.assertEqual(compute.kind, "subject")
        self.assertEqual(compute.p50_ms, 41.25)
        self.assertTrue(compute.passed)
        self.assertEqual(compute.goal_text(), "median <= 100 ms")
        self.assertIn("3372 units", compute.target)
        self.assertEqual([r.kind for r in rows[1:]], ["info", "info"])
        slow = dict(TIMINGS, computeMs=dict(TIMINGS["computeMs"], median=100.5))
        self.assertFalse(te.timing_rows("tasks-escalation", slow)[0].passed)

    def test_latency_and_ratio_goals(self):
        latency = Row("s", "t", goal=20, goal_metric="p50", goal_op="<=", goal_unit="ms")
        self.assertTrue(latency.meets(20.0))
        self.assertFalse(latency.meets(20.01))
        self.assertIsNone(latency.meets(None))
        ratio = Row("s", "t", goal=0.5)
        self.assertEqual(ratio.goal_text(), ">= 0.50")
        self.assertTrue(ratio.meets(0.5))
        self.assertFalse(ratio.meets(0.49))
        self.assertEqual(Row("s", "t").goal_text(), "-")

    def test_table_shows_latency_goals(self):
        rows = te.timing_rows("tasks-escalation", TIMINGS)
        row = Row("tasks-escalation", "mandate GET /escalation (c1)", "subject", 80.0, "req/s", 12.5, 30.0,
                  goal=20, goal_metric="p50", goal_op="<=", goal_unit="ms")
        row.passed = row.meets(row.p50_ms)
        text = table([ScenarioResult("tasks-escalation", "pass", rows + [row])])
        self.assertIn("p50 <= 20 ms", text)
        self.assertIn("median <= 100 ms", text)
        self.assertIn("PASS", text)


class Registration(unittest.TestCase):
    def test_registered_after_units_provinces_and_not_in_selftests(self):
        names = list(REGISTRY)
        self.assertLess(names.index("units-provinces"), names.index("tasks-escalation"))
        s = REGISTRY["tasks-escalation"]
        self.assertFalse(s.selftest)
        self.assertTrue(s.needs_server)
        self.assertEqual(set(s.tools), {"nginx", "wrk"})

    def test_a_failed_command_reports_its_log(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(HarnessError) as cm:
                te.run_command(["sh", "-c", "echo disk full >&2; exit 4"], Path(d) / "log", 10, "bench-data tasks")
            self.assertIn("disk full", str(cm.exception))
            self.assertIn("exit 4", str(cm.exception))
            self.assertEqual(te.run_command(["sh", "-c", "echo '{}'"], Path(d) / "log2", 10, "x").strip(), "{}")


if __name__ == "__main__":
    unittest.main()
