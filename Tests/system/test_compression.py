"""Answers travel compressed (issue 20, point 10): a real HTTP client that accepts gzip gets
pages, JSON and CSV compressed, and Python's own gzip reads them back to the bytes a client that
does not accept it gets. Each is asked for three times, so the later answers come from the edge."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlparse

import pytest

PATHS = [
    "/",
    "/units/01",
    "/indicators",
    "/rankings/province-dti/2025",
    "/api/v1/units?kind=province",
    "/api/v1/openapi.json",
    "/open-data/values.csv",
    "/static/css/mandate.css",
]


def fetch(base: str, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


@pytest.mark.parametrize("path", PATHS)
def test_a_client_that_accepts_gzip_gets_the_same_bytes_compressed(server: str, path: str) -> None:
    plain = fetch(server, path, {})
    assert plain.status == 200, path
    assert plain.getheader("Content-Encoding") is None
    for _ in range(3):
        packed = fetch(server, path, {"Accept-Encoding": "gzip, deflate, br"})
        assert packed.status == 200
        assert packed.getheader("Content-Encoding") == "gzip", path
        assert "accept-encoding" in (packed.getheader("Vary") or "").lower()
        assert gzip.decompress(packed.body) == plain.body, path
        assert len(packed.body) < len(plain.body) / 2, (path, len(packed.body), len(plain.body))
        etag = plain.getheader("ETag")
        if etag:
            # The same content in other bytes: a weak tag (a static file's is weak already).
            weak = etag if etag.startswith("W/") else "W/" + etag
            assert packed.getheader("ETag") == weak
            again = fetch(server, path, {"Accept-Encoding": "gzip", "If-None-Match": weak})
            assert again.status == 304 and again.getheader("ETag") == weak


def test_what_gains_nothing_or_must_stream_goes_as_it_is(server: str) -> None:
    assert fetch(server, "/healthz", {"Accept-Encoding": "gzip"}).getheader("Content-Encoding") is None
    assert fetch(server, "/", {"Accept-Encoding": "gzip;q=0"}).getheader("Content-Encoding") is None
    url = urlparse(server)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/api/v1/events", headers={"Accept-Encoding": "gzip", "Accept": "text/event-stream"})
    events = conn.getresponse()
    assert events.status == 200 and events.getheader("Content-Type", "").startswith("text/event-stream")
    assert events.getheader("Content-Encoding") is None
    conn.close()
