"""/metrics answers the addresses the server lists (loopback by default) and administrators."""

from __future__ import annotations

import http.client
from pathlib import Path

from conftest import StartServer


def get(port: int, source: str, path: str, headers: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def test_metrics_answer_listed_addresses_only(start_server: StartServer, tmp_path: Path) -> None:
    server = start_server(f"sqlite:{tmp_path}/m.sqlite", extra_args=["--metrics-from", "127.0.0.3"])
    assert get(server.port, "127.0.0.3", "/metrics") == 200
    assert get(server.port, "127.0.0.1", "/metrics") == 403
    # A listed address cannot be claimed through X-Forwarded-For without a trusted proxy.
    assert get(server.port, "127.0.0.1", "/metrics", {"X-Forwarded-For": "127.0.0.3"}) == 403
