"""A small client of Mandate's JSON API on loopback: a keep-alive connection, the session
cookie and the CSRF token of a signed-in account (the demo's accounts share one password)."""

from __future__ import annotations

import http.client
import json
import urllib.parse

from .procs import HarnessError, assert_loopback

# Sources/MandateStore/Demo/DemoAccounts.swift: every demo account has this password.
DEMO_PASSWORD = "mandate-demo"
SESSION_COOKIE = "mandate_session"


class ApiClient:
    """One account's keep-alive connection to the server (or an anonymous visitor's)."""

    def __init__(self, base_url: str, timeout: float = 120.0):
        assert_loopback(base_url)
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookie: str | None = None
        self.csrf: str | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def request(self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None,
                csrf: bool = False) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lower-case names, body). Sends JSON when body is not None."""
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.cookie:
            h["Cookie"] = self.cookie
        if csrf:
            if not self.csrf:
                raise HarnessError(f"{method} {path} needs a CSRF token: sign in first")
            h["X-CSRF-Token"] = self.csrf
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            conn = self._connection()
            try:
                conn.request(method, path, body=data, headers=h)
                resp = conn.getresponse()
                payload = resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if resp.will_close:
                self.close()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: object = None, expect: tuple[int, ...] = (200,),
             csrf: bool = False) -> object:
        status, _, payload = self.request(method, path, body, {"Accept": "application/json"}, csrf=csrf)
        if status not in expect:
            raise HarnessError(f"{method} {path} answered HTTP {status}: {payload[:300]!r}")
        return json.loads(payload) if payload else None

    def login(self, email: str, password: str = DEMO_PASSWORD) -> str:
        """POST /api/v1/session; keeps the session cookie and returns the CSRF token."""
        status, headers, payload = self.request("POST", "/api/v1/session", {"email": email, "password": password})
        if status != 200:
            raise HarnessError(f"signing in as {email} answered HTTP {status}: {payload[:300]!r} "
                               "(does the server have its demo data? it is loaded unless --no-demo)")
        cookie = headers.get("set-cookie", "").split(";", 1)[0]
        if not cookie.startswith(SESSION_COOKIE + "="):
            raise HarnessError(f"signing in as {email} set no {SESSION_COOKIE} cookie: {headers}")
        self.cookie = cookie
        self.csrf = json.loads(payload)["csrfToken"]
        return self.csrf

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def describe_difference(a: bytes, b: bytes, context: int = 40) -> str:
    """Where two bodies differ: '' if they are equal, else the first differing offset and the
    bytes around it in each, and how many bytes differ in all when the lengths match."""
    if a == b:
        return ""
    n = min(len(a), len(b))
    first = next((i for i in range(n) if a[i] != b[i]), n)
    lo = max(0, first - context)
    text = (f"lengths {len(a)} and {len(b)}; first difference at byte {first}: "
            f"{a[lo:first + context]!r} vs {b[lo:first + context]!r}")
    if len(a) == len(b):
        text += f"; {sum(x != y for x, y in zip(a, b))} bytes differ"
    return text
