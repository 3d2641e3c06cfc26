"""The public-rankings and events-fanout scenarios' pure parts: event-stream reading (chunked
framing, the event format, response heads), percentiles, checking an event as the clients saw it,
ranking paths, body comparison, and nginx serving a Content-Type with a parameter."""

import sys
import tempfile
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.api import describe_difference  # noqa: E402
from harness.nginx import StaticNginx, nginx_string  # noqa: E402
from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY  # noqa: E402
from harness.scenarios import events_fanout as ef  # noqa: E402
from harness.scenarios import public_rankings as pr  # noqa: E402
from harness.sse import ChunkedDecoder, EventStreamParser, parse_response_head, percentile, summary_ms  # noqa: E402

EVENT = b'id: 4257\nevent: report-accepted\ndata: {"key":"accepted-report/T-1/01/1","kind":"x"}\n\n'


def chunked(*parts: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts)


class Chunked(unittest.TestCase):
    def test_decodes_whole_and_byte_by_byte(self):
        wire = chunked(b"retry: 2000\n\n", EVENT) + b"0\r\n\r\n"
        d = ChunkedDecoder()
        self.assertEqual(d.feed(wire), b"retry: 2000\n\n" + EVENT)
        self.assertTrue(d.done)
        d = ChunkedDecoder()
        out = b"".join(d.feed(wire[i:i + 1]) for i in range(len(wire)))
        self.assertEqual(out, b"retry: 2000\n\n" + EVENT)
        self.assertTrue(d.done)

    def test_chunk_extensions_and_bad_framing(self):
        self.assertEqual(ChunkedDecoder().feed(b"3;x=y\r\nabc\r\n"), b"abc")
        with self.assertRaises(ValueError):
            ChunkedDecoder().feed(b"zz\r\n")
        with self.assertRaises(ValueError):
            ChunkedDecoder().feed(b"3\r\nabcXY")


class EventStream(unittest.TestCase):
    def test_events_fields_and_non_events(self):
        p = EventStreamParser()
        self.assertEqual(p.feed(b"retry: 2000\n\n: a comment\n\n"), [])
        events = p.feed(EVENT[:20])
        self.assertEqual(events, [])
        events = p.feed(EVENT[20:] + b"data: a\ndata: b\n\n")
        self.assertEqual(events[0], {"id": "4257", "event": "report-accepted",
                                     "data": '{"key":"accepted-report/T-1/01/1","kind":"x"}'})
        self.assertEqual(events[1], {"data": "a\nb"})

    def test_crlf_line_ends(self):
        self.assertEqual(EventStreamParser().feed(b"id: 1\r\nevent: e\r\ndata: {}\r\n\r\n"),
                         [{"id": "1", "event": "e", "data": "{}"}])

    def test_response_head(self):
        status, headers = parse_response_head(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nTransfer-Encoding: chunked")
        self.assertEqual(status, 200)
        self.assertEqual(headers["transfer-encoding"], "chunked")
        self.assertIn("text/event-stream", headers["content-type"])
        with self.assertRaises(ValueError):
            parse_response_head(b"garbage")


class Percentiles(unittest.TestCase):
    def test_nearest_rank(self):
        xs = [float(i) for i in range(1, 1001)]  # 1..1000, shuffled order must not matter
        xs.reverse()
        self.assertEqual(percentile(xs, 99), 990.0)
        self.assertEqual(percentile(xs, 50), 500.0)
        self.assertEqual(percentile(xs, 100), 1000.0)
        self.assertEqual(percentile([7.0], 99), 7.0)
        self.assertIsNone(percentile([], 99))

    def test_summary_in_ms(self):
        s = summary_ms([0.001, 0.002, 0.100])
        self.assertEqual(s, {"count": 3, "p50": 2.0, "p99": 100.0, "max": 100.0, "min": 1.0})
        self.assertEqual(summary_ms([])["p99"], None)


class Fanout(unittest.TestCase):
    def test_clients_split_evenly_over_workers(self):
        self.assertEqual(ef.split_clients(1000, 4), [250, 250, 250, 250])
        self.assertEqual(ef.split_clients(10, 4), [3, 3, 2, 2])
        self.assertEqual(ef.split_clients(2, 4), [1, 1])

    def test_an_event_every_client_got_right(self):
        recs = [(1.0 + i, "12", "report-accepted", "accepted-report/T-1/01/3") for i in range(4)]
        arrivals, problems, eid, key = ef.judge_event(recs, "accepted-report/T-1/")
        self.assertEqual((arrivals, problems, eid, key), ([1.0, 2.0, 3.0, 4.0], [], "12", "accepted-report/T-1/01/3"))

    def test_missing_and_wrong_events_are_problems(self):
        good = (1.0, "12", "report-accepted", "accepted-report/T-1/01/3")
        recs = [good, good, good, None, (2.0, "13", "report-accepted", "accepted-report/T-1/01/3"),
                (2.0, "12", "value-approved", "approved-value/x")]
        arrivals, problems, eid, _ = ef.judge_event(recs, "accepted-report/T-1/")
        self.assertEqual(len(arrivals), 3)
        self.assertEqual(eid, "12")
        self.assertTrue(any("1 of 6 clients did not get it" in p for p in problems))
        self.assertTrue(any("id 13" in p for p in problems))
        self.assertTrue(any("'value-approved'" in p and "approved-value/x" in p for p in problems))


class Rankings(unittest.TestCase):
    def test_paths_and_choice(self):
        self.assertEqual(pr.ranking_paths("province-dti", "2025"),
                         {"json": "/api/v1/rankings/province-dti/2025", "html": "/rankings/province-dti/2025"})
        items = [{"methodId": "ministry-delivery", "period": "2025"}, {"methodId": "province-dti", "period": "2025"}]
        self.assertEqual(pr.choose_published(items)["methodId"], "province-dti")
        self.assertEqual(pr.choose_published(items[:1])["methodId"], "ministry-delivery")
        self.assertIsNone(pr.choose_published([]))

    def test_describe_difference(self):
        self.assertEqual(describe_difference(b"abc", b"abc"), "")
        d = describe_difference(b'<meta name="csrf" content="AAAA">', b'<meta name="csrf" content="BBBB">')
        self.assertIn("first difference at byte 27", d)
        self.assertIn("4 bytes differ", d)
        self.assertIn("lengths 3 and 4", describe_difference(b"abc", b"abcd"))

    def test_both_scenarios_registered_after_the_others_and_skipped_by_the_selftest(self):
        names = list(REGISTRY)
        start = names.index("public-rankings")
        self.assertEqual(names[start:start + 2], ["public-rankings", "events-fanout"])
        self.assertLess(names.index("ranking"), start)
        self.assertFalse(REGISTRY["public-rankings"].selftest)
        self.assertFalse(REGISTRY["events-fanout"].selftest)


class NginxContentType(unittest.TestCase):
    def test_a_content_type_with_a_parameter_is_quoted(self):
        self.assertEqual(nginx_string("application/json"), "application/json")
        self.assertEqual(nginx_string("text/html; charset=utf-8"), '"text/html; charset=utf-8"')
        with self.assertRaises(HarnessError):
            nginx_string('text/html"; x')
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "page.html"
            ngx = StaticNginx("nginx", Path(d), {"/rankings/a/2025": (f, "text/html; charset=utf-8")}, workers=2)
            self.assertIn('default_type "text/html; charset=utf-8";', ngx.config_text())


if __name__ == "__main__":
    unittest.main()
