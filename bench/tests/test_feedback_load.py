"""The feedback-load scenario's rater against a loopback stand-in: it sends the communes in turn,
keeps the receipts of the ratings accepted (201) and counts the refused (nothing here depends on
how fast the machine is)."""

import json
import sys
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.registry import REGISTRY  # noqa: E402
from harness.scenarios import feedback_load as fl  # noqa: E402


class StandIn(BaseHTTPRequestHandler):
    """Accepts every rating with a receipt of its number but refuses every fifth with 429."""
    protocol_version = "HTTP/1.1"
    received: list[dict] = []
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.received.append(body)
            n = len(self.received)
        status, payload = (429, b'{"title":"Too many"}') if n % 5 == 0 else (201, json.dumps({"receipt": f"R{n}"}).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        # Headers and body in one write, as a real server sends them.
        self._headers_buffer.append(b"\r\n" + payload)
        self.flush_headers()

    def log_message(self, *args):
        pass


class RaterTests(unittest.TestCase):
    def test_the_rater_keeps_the_receipts_of_accepted_ratings_and_counts_the_refused(self):
        StandIn.received = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            base = f"http://127.0.0.1:{server.server_address[1]}"
            with fl.Rater(base, ["00004", "00008", "00011"], rate=200, connections=4) as rater:
                time.sleep(1.0)
            summary = rater.summary()
        finally:
            server.shutdown()
            server.server_close()
        sent = summary["sent"]
        self.assertGreaterEqual(sent, 5, summary)
        self.assertEqual(summary["accepted"] + summary["failures"], sent)
        self.assertEqual(summary["failures"], sent // 5, summary)
        self.assertTrue(all(r.startswith("R") for r in rater.receipts))
        units = [body["unit"] for body in StandIn.received]
        self.assertEqual(set(units), {"00004", "00008", "00011"})
        self.assertTrue(all(1 <= body["overall"] <= 5 for body in StandIn.received))

    def test_registered_but_not_in_the_selftest(self):
        self.assertIn("feedback-load", REGISTRY)
        self.assertFalse(REGISTRY["feedback-load"].selftest)


if __name__ == "__main__":
    unittest.main()
