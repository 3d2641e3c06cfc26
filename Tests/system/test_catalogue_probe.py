"""The catalogue's link probe, out of process, against an HTTP server of the test's own on
loopback: a link that answers 200 or redirects counts as answering (the redirect is never
followed), a 404 does not, and the living quality and the metadata score follow; without
`--catalogue-probe-private` a loopback link is never asked and counts as not answering
(server-side request forgery)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from mandate_testkit import Client
from test_catalogue import HEAD, PASSWORD, REPORTER, draft, new_code


class Recorder(BaseHTTPRequestHandler):
    """200 on /ok, 404 on /gone, a 302 from /moved to /target; every request is noted."""

    seen: list[tuple[str, str, str]] = []

    def answer(self) -> None:
        Recorder.seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/target")
        else:
            self.send_response(200 if self.path in ("/ok", "/target") else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = answer
    do_GET = answer

    def log_message(self, *args) -> None:  # noqa: D102
        pass


@pytest.fixture
def links() -> Iterator[str]:
    Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def publish(base: str, code: str, distributions: list[dict]) -> None:
    reporter = Client(base)
    csrf = reporter.login_api(REPORTER, PASSWORD)
    r = reporter.post("/api/v1/catalogue", json=draft(code, distributions=distributions), csrf=csrf)
    assert r.status == 201, r.describe()
    head = Client(base)
    csrf = head.login_api(HEAD, PASSWORD)
    r = head.post(f"/api/v1/catalogue/{code}/approve", json={}, csrf=csrf)
    assert r.status == 200, r.describe()


def living_once_probed(base: str, code: str, deadline: float = 60) -> dict:
    """The database once its living quality no longer waits for a link to be checked."""
    end = time.monotonic() + deadline
    while True:
        r = Client(base).get(f"/api/v1/catalogue/{code}")
        assert r.status == 200, r.describe()
        body = r.json()
        if "not yet checked" not in body["qualities"]["living"]["reason"]:
            return body
        assert time.monotonic() < end, f"{code} never probed: {body['qualities']['living']}"
        time.sleep(0.25)


def points(body: dict, indicator: str) -> int:
    return next(i["points"] for i in body["metadata"]["items"] if i["indicator"] == indicator)


def test_answers_decide_living_and_redirects_are_not_followed(start_server, tmp_path, links: str) -> None:
    server = start_server(
        f"sqlite:{tmp_path / 'probe.sqlite'}", extra_args=["--catalogue-probe-every", "1", "--catalogue-probe-private"])
    gone, fine = new_code(), new_code()
    publish(server.url, gone, [{"accessURL": f"{links}/ok", "downloadURL": f"{links}/gone", "format": "CSV"}])
    publish(server.url, fine, [{"accessURL": f"{links}/ok", "downloadURL": f"{links}/moved", "format": "CSV"}])

    broken = living_once_probed(server.url, gone)
    assert broken["qualities"]["living"]["state"] == "not-met", broken["qualities"]["living"]
    assert "1 link did not answer" in broken["qualities"]["living"]["reason"]
    assert points(broken, "AccessURL accessibility") == 50
    assert points(broken, "DownloadURL accessibility") == 0

    answered = living_once_probed(server.url, fine)
    assert answered["qualities"]["living"]["state"] == "met", answered["qualities"]["living"]
    assert points(answered, "DownloadURL accessibility") == 30

    paths = {path for _method, path, _agent in Recorder.seen}
    assert {"/ok", "/gone", "/moved"} <= paths, Recorder.seen
    assert "/target" not in paths, "the probe followed a redirect"
    assert all(agent == "Mandate catalogue link check" for _m, _p, agent in Recorder.seen), Recorder.seen


def test_private_addresses_are_never_asked_by_default(start_server, tmp_path, links: str) -> None:
    server = start_server(f"sqlite:{tmp_path / 'ssrf.sqlite'}", extra_args=["--catalogue-probe-every", "1"])
    code = new_code()
    publish(server.url, code, [{"accessURL": f"{links}/ok", "format": "CSV"}])
    body = living_once_probed(server.url, code)
    assert body["qualities"]["living"]["state"] == "not-met", body["qualities"]["living"]
    assert Recorder.seen == [], f"a loopback link was asked: {Recorder.seen}"
