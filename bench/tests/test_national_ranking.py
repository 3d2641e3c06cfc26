"""The national-ranking scenario's pure parts: the indicators chosen, the method defined, the rows'
verdicts."""

import sys
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY  # noqa: E402
from harness.scenarios import national_ranking as nr  # noqa: E402

INDICATORS = (
    "code,name_vi,name_en,unit_of_measure,value_type,direction,frequency,applies_to,rollup\n"
    "XHS002,b,b,%,percent,lower,monthly,province;commune,mean\n"
    "CQS001,a,a,%,percent,higher,monthly,province;commune,mean\n"
    "KTS001,c,c,%,percent,higher,yearly,province;commune,mean\n"
    "KTS002,d,d,%,percent,higher,monthly,ministry;province,mean\n"
    "CQS006,e,e,%,percent,higher,quarterly,province;commune,mean\n"
)


class NationalRankingTests(unittest.TestCase):
    def test_it_is_registered_after_national_portal(self):
        names = list(REGISTRY)
        self.assertIn("national-ranking", names)
        self.assertGreater(names.index("national-ranking"), names.index("national-portal"))

    def test_the_indicators_are_the_monthly_commune_ones_in_code_order(self):
        self.assertEqual(nr.ranked_indicators(INDICATORS, 2), [("CQS001", "higher"), ("XHS002", "lower")])
        with self.assertRaises(HarnessError):
            nr.ranked_indicators(INDICATORS, 3)

    def test_the_method_ranks_communes_by_the_indicators_and_three_delivery_measures(self):
        method = nr.commune_method([("CQS001", "higher"), ("XHS002", "lower")])
        self.assertEqual(method["unitKind"], "commune")
        sources = [c["source"] for p in method["pillars"] for c in p["components"]]
        self.assertEqual(sources, [{"indicator": "CQS001"}, {"indicator": "XHS002"}, {"delivery": "on_time_rate"},
                                   {"delivery": "overdue_count"}, {"delivery": "reporting_timeliness"}])
        directions = [c["direction"] for p in method["pillars"] for c in p["components"]]
        self.assertEqual(directions, ["higher", "lower", "higher", "lower", "higher"])
        for c in (c for p in method["pillars"] for c in p["components"]):
            # The server refuses an alternative equal to the component's own normalisation.
            self.assertNotIn(c["normalisation"]["method"], [a["method"] for a in c["alternatives"]])
        self.assertIn("illustrative", method["nameEn"])

    def test_a_draft_or_a_publication_counts_its_ranked_units(self):
        self.assertEqual(nr.ranked_units({"result": {"units": [{}, {}]}}), 2)
        self.assertEqual(nr.ranked_units({"ranking": {"result": {"units": [{}]}}}), 1)
        self.assertEqual(nr.ranked_units({}), 0)

    def test_a_row_passes_on_its_median_only(self):
        row = nr.latency_row("national-ranking", "t", [100.0, 900.0, 200.0], "n")
        self.assertEqual(row.p50_ms, 200.0)
        self.assertTrue(row.passed)
        self.assertIn("max 900 ms", row.note)
        self.assertFalse(nr.latency_row("national-ranking", "t", [300.0, 260.0, 100.0], "n").passed)


if __name__ == "__main__":
    unittest.main()
