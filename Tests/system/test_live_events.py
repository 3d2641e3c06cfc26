"""/api/v1/events over a real socket: an accepted report reaches a connected
client as a server-sent event whose id is the fact's leaf index, and a client
that reconnects with Last-Event-ID gets what it missed. (How fast events arrive
is measured by the benchmark scenario events-fanout, not asserted here.)"""

from __future__ import annotations

import datetime as dt
import json
import socket
from urllib.parse import urlsplit

from mandate_testkit import Client


class EventStream:
    def __init__(self, server: str, last_id: int | None = None):
        parts = urlsplit(server)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        extra = f"Last-Event-ID: {last_id}\r\n" if last_id is not None else ""
        self.sock.sendall(
            f"GET /api/v1/events HTTP/1.1\r\nHost: {parts.hostname}\r\nAccept: text/event-stream\r\n{extra}\r\n".encode()
        )
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
        assert b"text/event-stream" in head.lower(), head

    def _until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            assert chunk, "the event stream closed"
            self.buffer += chunk
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def next_event(self, timeout: float) -> dict[str, str]:
        """The next event with an id (chunked framing and comments skipped)."""
        self.sock.settimeout(timeout)
        while True:
            block = self._until(b"\n\n").decode()
            fields: dict[str, str] = {}
            for line in block.splitlines():
                if ":" in line and not line.startswith(":"):
                    key, _, value = line.partition(":")
                    fields[key.strip()] = value.strip()
            # Chunk-size lines of the chunked encoding end up as keyless lines: ignored.
            if "id" in fields:
                return fields

    def close(self) -> None:
        self.sock.close()


def accept_a_report(server: str, code: str) -> None:
    analyst, reporter, head = Client(server), Client(server), Client(server)
    a = analyst.login_api("analyst@demo.mandate.vn")
    r = reporter.login_api("reporter.hanoi@demo.mandate.vn")
    h = head.login_api("head.hanoi@demo.mandate.vn")
    today = dt.datetime.now(dt.timezone.utc).date()
    task = {
        "code": code, "title": "Nhiệm vụ kiểm thử sự kiện", "deliverable": "Báo cáo",
        "programme": "NQ57", "leadUnit": "01",
        "start": today.isoformat(), "deadline": (today + dt.timedelta(days=30)).isoformat(),
    }
    assert analyst.post("/api/v1/tasks", json=task, csrf=a).status == 201
    resp = reporter.post(
        f"/api/v1/tasks/{code}/reports", json={"unit": "01", "percent": 100, "narrative": "Xong"}, csrf=r
    )
    assert resp.status == 201, resp.describe()
    report = resp.json()["id"]
    assert head.post(f"/api/v1/reports/{report}/submit", csrf=h).status == 200
    assert analyst.post(f"/api/v1/reports/{report}/accept", csrf=a).status == 200


def test_an_accepted_report_reaches_a_connected_client(server: str) -> None:
    stream = EventStream(server)
    try:
        accept_a_report(server, "LIVE-1")
        event = stream.next_event(timeout=60)  # a bound against hanging
        assert event["event"] == "report-accepted", event
        fact = json.loads(event["data"])
        assert fact["key"].startswith("accepted-report/LIVE-1/01/"), fact
        leaf = int(event["id"])
        # The id is the leaf index: the log's proof for the fact's key names the same index.
        proof = Client(server).get(f"/api/v1/log/proof/inclusion?key={fact['key']}")
        if proof.status == 200:
            assert proof.json().get("leafIndex", leaf) == leaf, proof.describe()
    finally:
        stream.close()

    # Reconnecting after an earlier id replays what was missed, in order.
    accept_a_report(server, "LIVE-2")
    resumed = EventStream(server, last_id=leaf)
    try:
        missed = resumed.next_event(timeout=10)
        assert int(missed["id"]) > leaf, missed
        assert json.loads(missed["data"])["key"].startswith("accepted-report/LIVE-2/01/"), missed
    finally:
        resumed.close()
