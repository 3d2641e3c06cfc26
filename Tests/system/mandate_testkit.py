"""Helpers for Mandate's out-of-process system tests.

Nothing here knows about pytest fixtures (see conftest.py): a small HTTP
client with a cookie jar, an HTML form parser, a handle on a running
`mandate serve` process, and readers for the demo data shipped in the repo.
Only the standard library is used, so that a failure here is never a missing
package.
"""

from __future__ import annotations

import csv
import http.client
import json as jsonlib
import os
import resource
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = Path(os.environ.get("MANDATE_OUT_DIR") or ROOT / ".ci" / "out")

DEMO_ADMIN_EMAIL = "admin@demo.mandate.vn"
DEMO_ADMIN_PASSWORD = "mandate-demo"
DEMO_PROVINCES = 34
DEMO_COMMUNES = 3321
SESSION_COOKIE = "mandate_session"
UNITS_CSV = Path(
    os.environ.get("MANDATE_UNITS_CSV")
    or ROOT / "Sources" / "MandateStore" / "Resources" / "vn-units-2025.csv"
)
UNITS_CSV_HEADER = "level,code,name,short_name,type,parent_code,lat,lon,area_km2"


# --------------------------------------------------------------------------
# HTTP


@dataclass
class SetCookie:
    name: str
    value: str
    attrs: dict[str, str]  # lower-cased attribute name -> value ("" for flags)
    raw: str

    @property
    def http_only(self) -> bool:
        return "httponly" in self.attrs

    @property
    def same_site(self) -> str | None:
        v = self.attrs.get("samesite")
        return v.lower() if v is not None else None

    @property
    def deletes(self) -> bool:
        """True if this Set-Cookie removes the cookie."""
        if self.value == "":
            return True
        max_age = self.attrs.get("max-age")
        if max_age is not None:
            try:
                if int(max_age) <= 0:
                    return True
            except ValueError:
                pass
        expires = self.attrs.get("expires")
        if expires:
            from email.utils import parsedate_to_datetime

            try:
                when = parsedate_to_datetime(expires)
                if when.timestamp() < time.time():
                    return True
            except (TypeError, ValueError):
                pass
        return False


def parse_set_cookie(raw: str) -> SetCookie:
    parts = [p.strip() for p in raw.split(";")]
    name, _, value = parts[0].partition("=")
    attrs: dict[str, str] = {}
    for p in parts[1:]:
        if not p:
            continue
        k, _, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip()
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return SetCookie(name.strip(), value, attrs, raw)


@dataclass
class Response:
    method: str
    url: str
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return jsonlib.loads(self.body)
        except ValueError as e:
            raise AssertionError(
                f"{self.method} {self.url}: body is not JSON ({e}): {self.text[:500]!r}"
            ) from None

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def set_cookies(self) -> list[SetCookie]:
        return [parse_set_cookie(v) for v in (self.headers.get_all("Set-Cookie") or [])]

    def set_cookie(self, name: str) -> SetCookie | None:
        found = [c for c in self.set_cookies if c.name == name]
        return found[-1] if found else None

    def describe(self) -> str:
        return f"{self.method} {self.url} -> {self.status}: {self.text[:800]!r}"


class Client:
    """A tiny HTTP/1.1 client with a cookie jar; one connection per request.

    Redirects are never followed, so tests see 303s and their Set-Cookie.
    """

    def __init__(self, base_url: str, *, accept_language: str | None = None):
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.cookies: dict[str, str] = {}
        self.accept_language = accept_language

    def copy(self) -> "Client":
        c = Client(self.base_url, accept_language=self.accept_language)
        c.cookies = dict(self.cookies)
        return c

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        form: dict[str, str] | list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None,
        bearer: str | None = None,
        csrf: str | None = None,
        store_cookies: bool = True,
        timeout: float = 30.0,
    ) -> Response:
        if path.startswith("http://") or path.startswith("https://"):
            parts = urlsplit(path)
            path = parts.path + ("?" + parts.query if parts.query else "")
        hdrs: dict[str, str] = {"Connection": "close"}
        body: bytes | None = None
        if json is not None:
            body = jsonlib.dumps(json).encode()
            hdrs["Content-Type"] = "application/json"
            hdrs["Accept"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        jar = self.cookies if cookies is None else cookies
        if jar:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        if bearer is not None:
            hdrs["Authorization"] = f"Bearer {bearer}"
        if csrf is not None:
            hdrs["X-CSRF-Token"] = csrf
        if self.accept_language is not None:
            hdrs["Accept-Language"] = self.accept_language
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            resp = Response(method, path, r.status, r.reason, r.msg, data)
        finally:
            conn.close()
        if store_cookies and cookies is None:
            for c in resp.set_cookies:
                if c.deletes:
                    self.cookies.pop(c.name, None)
                else:
                    self.cookies[c.name] = c.value
        return resp

    def get(self, path: str, **kw: Any) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Response:
        return self.request("POST", path, **kw)

    def delete(self, path: str, **kw: Any) -> Response:
        return self.request("DELETE", path, **kw)

    # -- Mandate API conveniences ------------------------------------------

    def login_api(
        self, email: str = DEMO_ADMIN_EMAIL, password: str = DEMO_ADMIN_PASSWORD
    ) -> str:
        """Log in through POST /api/v1/session; returns the CSRF token."""
        r = self.post("/api/v1/session", json={"email": email, "password": password})
        assert r.status == 200, f"login failed: {r.describe()}"
        body = r.json()
        assert isinstance(body.get("csrfToken"), str) and body["csrfToken"], r.describe()
        assert isinstance(body.get("user"), dict), r.describe()
        assert SESSION_COOKIE in self.cookies, (
            f"login did not set the {SESSION_COOKIE} cookie: {r.headers.get_all('Set-Cookie')}"
        )
        return body["csrfToken"]

    def unit_total(self, kind: str) -> int:
        r = self.get(f"/api/v1/units?kind={kind}")
        assert r.status == 200, r.describe()
        body = r.json()
        assert isinstance(body.get("total"), int), f"no integer 'total': {r.describe()}"
        return body["total"]


def resolve(base_url: str, location: str) -> str:
    return urljoin(base_url.rstrip("/") + "/", location)


def html_lang(html: str) -> str | None:
    m = re.search(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z-]+)", html, re.I)
    return m.group(1) if m else None


# --------------------------------------------------------------------------
# HTML forms


@dataclass
class Form:
    attrs: dict[str, str]
    inputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def action(self) -> str | None:
        return self.attrs.get("action")

    @property
    def method(self) -> str:
        return (self.attrs.get("method") or "get").lower()

    def field_names(self) -> list[str]:
        return [i["name"] for i in self.inputs if "name" in i]

    def values(self) -> dict[str, str]:
        """Values a browser would submit for hidden/text fields by default."""
        out: dict[str, str] = {}
        for i in self.inputs:
            if "name" not in i:
                continue
            t = i.get("type", "text").lower()
            if t in ("submit", "button", "image", "reset", "checkbox", "radio", "file"):
                continue
            out[i["name"]] = i.get("value", "")
        return out

    def hidden(self, name: str) -> str | None:
        for i in self.inputs:
            if i.get("name") == name:
                return i.get("value")
        return None


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "form":
            self._current = Form(a)
            self.forms.append(self._current)
        elif tag in ("input", "button", "select", "textarea") and self._current is not None:
            a.setdefault("type", "submit" if tag == "button" else "text")
            self._current.inputs.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def parse_forms(html: str) -> list[Form]:
    p = _FormParser()
    p.feed(html)
    return p.forms


def find_form(html: str, *, form_id: str | None = None, field_name: str | None = None) -> Form:
    forms = parse_forms(html)
    for f in forms:
        if form_id is not None and f.attrs.get("id") != form_id:
            continue
        if field_name is not None and field_name not in f.field_names():
            continue
        return f
    raise AssertionError(
        f"no <form> with id={form_id!r} field={field_name!r}; forms: "
        f"{[(f.attrs, f.field_names()) for f in forms]}"
    )


# --------------------------------------------------------------------------
# The server process


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _register_pid(pid: int, binary: str) -> None:
    """Record a server pid so .ci/run can kill it if pytest dies."""
    d = os.environ.get("MANDATE_PIDS_DIR")
    if not d:
        return
    try:
        Path(d).mkdir(parents=True, exist_ok=True)
        (Path(d) / f"{pid}.pid").write_text(f"{pid} {os.path.realpath(binary)}\n")
    except OSError:
        pass


def _unregister_pid(pid: int) -> None:
    d = os.environ.get("MANDATE_PIDS_DIR")
    if d:
        try:
            (Path(d) / f"{pid}.pid").unlink()
        except OSError:
            pass


class MandateServer:
    """One `mandate serve` process."""

    def __init__(
        self,
        binary: str,
        database: str | None,
        workdir: Path,
        log_path: Path,
        extra_env: dict[str, str] | None = None,
        extra_args: list[str] | None = None,
        open_files: int | None = None,
    ):
        self.binary = binary
        self.database = database
        self.workdir = Path(workdir)
        self.log_path = Path(log_path)
        self.extra_env = extra_env or {}
        # Appended to `mandate serve ...` (e.g. ["--header-timeout", "1"]).
        self.extra_args = extra_args or []
        # If set, the server runs under this open-file limit, soft and hard (as `ulimit -n N`).
        self.open_files = open_files
        self.proc: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self.exit_code: int | None = None

    @property
    def url(self) -> str:
        assert self.port is not None, "server not started"
        return f"http://127.0.0.1:{self.port}"

    def client(self, **kw: Any) -> Client:
        return Client(self.url, **kw)

    def command(self) -> list[str]:
        cmd = [self.binary, "serve"]
        if self.database is not None:
            cmd += ["--database", self.database]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port)]
        return cmd + self.extra_args

    def _limit_open_files(self) -> None:
        if self.open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))

    def start(self, timeout: float = 120.0) -> "MandateServer":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(self.extra_env)
        last_error = ""
        for _attempt in range(3):  # a port taken between free_port() and bind
            self.port = free_port()
            self.exit_code = None
            with open(self.log_path, "ab") as log:
                log.write(f"\n$ {' '.join(self.command())}\n".encode())
                log.flush()
                self.proc = subprocess.Popen(
                    self.command(),
                    cwd=self.workdir,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    preexec_fn=self._limit_open_files if self.open_files is not None else None,
                )
            _register_pid(self.proc.pid, self.binary)
            ok, last_error = self._wait_healthy(timeout)
            if ok:
                return self
            if self.proc.poll() is None:
                self.kill9()
            _unregister_pid(self.proc.pid)
            if "address already in use" not in self.log_tail().lower():
                break
        raise AssertionError(
            f"server did not become healthy: {last_error}\n"
            f"command: {' '.join(self.command())}\n--- log tail ---\n{self.log_tail()}"
        )

    def _wait_healthy(self, timeout: float) -> tuple[bool, str]:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        last = "no answer"
        c = Client(self.url)
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                self.exit_code = rc
                return False, f"process exited with code {rc} before /healthz answered"
            try:
                r = c.get("/healthz", timeout=2.0, store_cookies=False)
                if r.status == 200:
                    return True, ""
                last = f"/healthz -> {r.status}: {r.text[:200]!r}"
            except OSError as e:
                last = f"/healthz: {e}"
            time.sleep(0.25)
        return False, f"timed out after {timeout:.0f}s ({last})"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, wait; returns the exit code (kills with SIGKILL and
        returns -9 if it did not exit within `timeout`)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.exit_code = -9
                _unregister_pid(self.proc.pid)
                return -9
        self.exit_code = self.proc.returncode
        _unregister_pid(self.proc.pid)
        return self.exit_code

    def kill9(self) -> None:
        assert self.proc is not None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.exit_code = self.proc.returncode
        _unregister_pid(self.proc.pid)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def assert_graceful_stop(self, timeout: float = 10.0) -> None:
        t0 = time.monotonic()
        rc = self.stop(timeout)
        dt = time.monotonic() - t0
        assert rc == 0, (
            f"server did not shut down cleanly on SIGTERM: exit code {rc} after {dt:.1f}s "
            f"(-9: still running after {timeout:.0f}s)\n--- log tail ---\n{self.log_tail()}"
        )


def sqlite_dump(path: Path) -> list[str]:
    """Every statement that would rebuild a SQLite file, read-only: two dumps differ exactly
    when the data does."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run_cli(
    binary: str,
    args: list[str],
    *,
    stdin: str | None = None,
    cwd: Path | None = None,
    timeout: float = 120.0,
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [binary, *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


# --------------------------------------------------------------------------
# Demo data (the CSV the server loads on first start)


@dataclass(frozen=True)
class Unit:
    level: str
    code: str
    name: str
    short_name: str
    parent_code: str


def demo_units() -> list[Unit]:
    if not UNITS_CSV.is_file():
        raise AssertionError(
            f"demo units CSV not found at {UNITS_CSV} (set MANDATE_UNITS_CSV if it moved)"
        )
    with open(UNITS_CSV, newline="", encoding="utf-8") as f:
        return [
            Unit(r["level"], r["code"], r["name"], r["short_name"], r["parent_code"])
            for r in csv.DictReader(f)
        ]


# --------------------------------------------------------------------------
# PostgreSQL (for test_postgres.py)


def psql_binary() -> str | None:
    return shutil.which("psql") or (
        "/usr/lib/postgresql/15/bin/psql"
        if os.access("/usr/lib/postgresql/15/bin/psql", os.X_OK)
        else None
    )
