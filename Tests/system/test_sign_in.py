"""Sign-in under attack, against the running binary from real client addresses.

An attacker's wrong passwords slow the attacker's address (429 with Retry-After), never the
account's owner signing in from another address; the counts survive a restart.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path

from conftest import StartServer

ACCOUNT = "viewer@demo.mandate.vn"
PASSWORD = "mandate-demo"  # Sources/MandateStore/Demo/DemoAccounts.swift (illustrative demo accounts)


def sign_in(port: int, source: str, password: str) -> tuple[int, str | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        body = json.dumps({"email": ACCOUNT, "password": password})
        conn.request("POST", "/api/v1/session", body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        return r.status, r.getheader("Retry-After")
    finally:
        conn.close()


def slowed_after_five_failures(attempt) -> tuple[int, str | None]:
    """Five wrong passwords, then the right one, through `attempt(password) -> (status,
    Retry-After)`: the answer to the right password while the first wait (1 s) runs. A machine
    stalled past that wait lets the right password in (200, which forgets the failures); the
    round is then played again, so the outcome does not depend on the machine's speed."""
    for _ in range(10):
        for _ in range(5):
            assert attempt("not the password")[0] == 401
        status, retry_after = attempt(PASSWORD)
        if status != 200:
            return status, retry_after
    raise AssertionError("ten rounds of five failures never slowed the next attempt")


def test_wrong_passwords_slow_the_attacker_not_the_owner_elsewhere(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Five wrong passwords from 127.0.0.1 are free; the next attempt from there, right password or
    not, waits 1 s after the fifth failure (429, Retry-After); the owner from 127.0.0.2 signs in.
    (That the counts survive a restart is tested at a fixed clock in SignInThrottleAPITests.)"""
    server = start_server(f"sqlite:{tmp_path}/m.sqlite")
    status, retry_after = slowed_after_five_failures(lambda password: sign_in(server.port, "127.0.0.1", password))
    assert status == 429 and retry_after == "1", (status, retry_after)
    assert sign_in(server.port, "127.0.0.2", PASSWORD)[0] == 200


def request(port: int, source: str, path: str, headers: dict[str, str], body: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    conn.request("POST" if body is not None else "GET", path, body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    conn.close()
    return r


def test_forwarded_headers_are_believed_only_from_trusted_proxies(start_server: StartServer, tmp_path: Path) -> None:
    """With --trusted-proxy 127.0.0.2: X-Forwarded-Proto from 127.0.0.1 is ignored (no HSTS), from
    the proxy it is believed; the sign-in throttle counts the client the proxy forwards for, and
    a direct client cannot pick its own address with X-Forwarded-For."""
    server = start_server(f"sqlite:{tmp_path}/m.sqlite", extra_args=["--trusted-proxy", "127.0.0.2"])
    https = {"X-Forwarded-Proto": "https", "Cache-Control": "no-cache"}
    assert request(server.port, "127.0.0.1", "/healthz", https).getheader("Strict-Transport-Security") is None
    assert request(server.port, "127.0.0.2", "/healthz", https).getheader("Strict-Transport-Security")

    def attempt(source: str, forwarded_for: str, password: str) -> tuple[int, str | None]:
        body = json.dumps({"email": ACCOUNT, "password": password})
        headers = {"Content-Type": "application/json", "X-Forwarded-For": forwarded_for}
        r = request(server.port, source, "/api/v1/session", headers, body)
        return r.status, r.getheader("Retry-After")

    # Behind the proxy: five failures for one forwarded client; another forwarded client signs in.
    status, _ = slowed_after_five_failures(lambda password: attempt("127.0.0.2", "198.51.100.7", password))
    assert status == 429
    assert attempt("127.0.0.2", "203.0.113.9", PASSWORD)[0] == 200
    # A direct client naming a new address on every try is still one client.
    names = iter(range(1, 1000))
    status, _ = slowed_after_five_failures(lambda password: attempt("127.0.0.3", f"192.0.2.{next(names) % 250 + 1}", password))
    assert status == 429
