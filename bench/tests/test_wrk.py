"""Parsing wrk's text report."""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.wrk import parse_count, parse_size_bytes, parse_time_ms, parse_wrk_output  # noqa: E402

CLEAN = """Running 10s test @ http://127.0.0.1:41000/api/v1/units?kind=province
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   850.12us    1.20ms  41.02ms   93.10%
    Req/Sec    38.51k     2.10k   44.00k    71.00%
  Latency Distribution
     50%  612.00us
     75%    0.94ms
     90%    1.55ms
     99%    5.80ms
  766512 requests in 10.01s, 4.19GB read
Requests/sec:  76575.42
Transfer/sec:    428.66MB
"""

ERRORS = """Running 2s test @ http://127.0.0.1:18555/nope
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.11ms    6.68ms  42.01ms   77.95%
    Req/Sec   437.10    222.26     1.00k    90.00%
  Latency Distribution
     50%    7.67ms
     75%   13.13ms
     90%   16.04ms
     99%    2.00s
  437 requests in 1.00s, 222.09KB read
  Socket errors: connect 0, read 3, write 0, timeout 12
  Non-2xx or 3xx responses: 437
Requests/sec:    435.43
Transfer/sec:    221.30KB
"""


class ParseUnits(unittest.TestCase):
    def test_times(self):
        self.assertAlmostEqual(parse_time_ms("850.12us"), 0.85012)
        self.assertAlmostEqual(parse_time_ms("1.20ms"), 1.2)
        self.assertAlmostEqual(parse_time_ms("2.00s"), 2000.0)
        self.assertAlmostEqual(parse_time_ms("1.50m"), 90000.0)
        self.assertIsNone(parse_time_ms("-nanus"))

    def test_sizes_and_counts(self):
        self.assertAlmostEqual(parse_size_bytes("221.30KB"), 221.30 * 1024)
        self.assertAlmostEqual(parse_size_bytes("4.19GB"), 4.19 * 1024 ** 3)
        self.assertEqual(parse_count("38.51k"), 38510.0)
        self.assertEqual(parse_count("437.10"), 437.1)


class ParseReport(unittest.TestCase):
    def test_clean_run(self):
        r = parse_wrk_output(CLEAN, "u", 2, 64, 10)
        self.assertEqual(r.rps, 76575.42)
        self.assertEqual(r.requests, 766512)
        self.assertAlmostEqual(r.elapsed_s, 10.01)
        self.assertAlmostEqual(r.latency_ms["p50"], 0.612)
        self.assertAlmostEqual(r.latency_ms["p99"], 5.8)
        self.assertAlmostEqual(r.latency_ms["avg"], 0.85012)
        self.assertAlmostEqual(r.latency_ms["max"], 41.02)
        self.assertEqual(r.errors, 0)
        self.assertEqual(r.valid(), (True, ""))

    def test_errors_make_a_run_invalid(self):
        r = parse_wrk_output(ERRORS)
        self.assertEqual(r.non_2xx_3xx, 437)
        self.assertEqual(r.socket_errors, {"connect": 0, "read": 3, "write": 0, "timeout": 12})
        self.assertAlmostEqual(r.latency_ms["p99"], 2000.0)
        ok, why = r.valid()
        self.assertFalse(ok)
        self.assertIn("non-2xx", why)

    def test_socket_errors_alone_tolerated_below_threshold(self):
        text = CLEAN.replace("  766512 requests", "  Socket errors: connect 0, read 5, write 0, timeout 0\n"
                                                   "  766512 requests")
        r = parse_wrk_output(text)
        self.assertTrue(r.valid()[0])
        self.assertFalse(r.valid(max_error_fraction=0.0)[0])

    def test_nothing_completed(self):
        r = parse_wrk_output("Running 1s test @ http://127.0.0.1:1/\n  0 requests in 1.00s, 0.00B read\n"
                             "Requests/sec:      0.00\nTransfer/sec:       0.00B\n")
        self.assertFalse(r.valid()[0])


if __name__ == "__main__":
    unittest.main()
