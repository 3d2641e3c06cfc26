"""The rollup-latency scenario's pure parts: choosing the indicator and its period, the value
written, the communes' rotation, the roll-up check and the percentiles."""

import sys
import unittest
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY  # noqa: E402
from harness.scenarios import rollup_latency as rl  # noqa: E402

INDICATORS = [
    {"code": "R57_GDP", "appliesTo": ["committee"], "rollup": {"method": "none"}, "frequency": "yearly"},
    {"code": "DVC_TT", "appliesTo": ["commune"], "rollup": {"method": "weightedMean"}, "frequency": "quarterly"},
    {"code": "HT_Z", "appliesTo": ["province", "commune"], "rollup": {"method": "sum"}, "frequency": "monthly"},
    {"code": "HT_BANGRONG", "appliesTo": ["commune"], "rollup": {"method": "mean"}, "frequency": "yearly"},
]


def communes(spec: dict[str, int]) -> list[dict]:
    """Communes named <province><n>, `count` of them per province."""
    return [{"code": f"{p}{i:03d}", "parentCode": p} for p, count in spec.items() for i in range(count)]


class Choices(unittest.TestCase):
    def test_first_commune_indicator_that_sums_or_averages(self):
        self.assertEqual(rl.choose_indicator(INDICATORS)["code"], "HT_BANGRONG")
        with self.assertRaises(HarnessError):
            rl.choose_indicator(INDICATORS[:2])

    def test_newest_ended_period(self):
        self.assertEqual(rl.last_ended_period("yearly", date(2026, 11, 23)), "2025")
        self.assertEqual(rl.last_ended_period("quarterly", date(2026, 11, 23)), "2026Q3")
        self.assertEqual(rl.last_ended_period("quarterly", date(2026, 2, 1)), "2025Q4")
        self.assertEqual(rl.last_ended_period("monthly", date(2026, 11, 23)), "202610")
        self.assertEqual(rl.last_ended_period("monthly", date(2026, 1, 5)), "202512")
        self.assertEqual(rl.last_ended_period("semiannual", date(2026, 3, 1)), "2025S2")
        self.assertEqual(rl.last_ended_period("semiannual", date(2026, 7, 1)), "2026S1")
        with self.assertRaises(HarnessError):
            rl.last_ended_period("weekly", date(2026, 1, 5))

    def test_value_fits_the_type(self):
        self.assertEqual(rl.sample_value("yesno"), "1")
        self.assertEqual(rl.sample_value("percent"), "12.5")
        self.assertEqual(rl.value_set("HT", "00004", "2025", "1"),
                         {"dataValues": [{"dataElement": "HT", "orgUnit": "00004", "period": "2025", "value": "1"}]})


class Rotation(unittest.TestCase):
    def test_round_robin_over_provinces_each_commune_once(self):
        plan = rl.rotation(communes({"02": 2, "01": 3}), set(), 5)
        self.assertEqual(plan, [("01000", "01"), ("02000", "02"), ("01001", "01"), ("02001", "02"), ("01002", "01")])

    def test_reported_communes_are_skipped(self):
        plan = rl.rotation(communes({"01": 3}), {"01000", "01002"}, 1)
        self.assertEqual(plan, [("01001", "01")])

    def test_too_few_communes_is_an_error(self):
        with self.assertRaises(HarnessError):
            rl.rotation(communes({"01": 2, "02": 1}), {"01000"}, 3)

    def test_paged_paths(self):
        self.assertEqual(rl.page_path("/api/v1/units?kind=commune", 1000, 2000),
                         "/api/v1/units?kind=commune&limit=1000&offset=2000")
        self.assertEqual(rl.page_path("/api/v1/units", 10, 0), "/api/v1/units?limit=10&offset=0")


class Checks(unittest.TestCase):
    def test_the_count_must_rise_by_one(self):
        self.assertEqual(rl.check_rollup({"unit": "01", "count": 5}, "01", 4), 5)
        with self.assertRaises(HarnessError):
            rl.check_rollup({"unit": "01", "count": 4}, "01", 4)
        with self.assertRaises(HarnessError):
            rl.check_rollup({"unit": "BCD", "count": 5}, "01", 4)
        with self.assertRaises(HarnessError):
            rl.check_rollup({"unit": "01"}, "01", 0)

    def test_summary_in_milliseconds(self):
        s = rl.summary_ms([i / 1000 for i in range(1, 101)])
        self.assertEqual((s["count"], s["p50"], s["p95"], s["p99"], s["max"]), (100, 50.0, 95.0, 99.0, 100.0))
        self.assertEqual(rl.summary_ms([])["p95"], None)


class Registration(unittest.TestCase):
    def test_registered_needs_the_server_not_in_selftests(self):
        s = REGISTRY["rollup-latency"]
        self.assertFalse(s.selftest)
        self.assertTrue(s.needs_server)
        self.assertEqual(s.tools, ())


if __name__ == "__main__":
    unittest.main()
