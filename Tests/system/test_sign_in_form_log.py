"""The sign-in form logs no e-mail and forges no log line (issue 19, findings 15 and 16, for the
form: `test_security.py::test_a_sign_in_cannot_forge_a_log_line` holds them for the API).

A browser's failed sign-ins through `POST /login` (the form's CSRF token and cookie taken from
`GET /login`, as a browser sends them) are each logged as a `failed sign-in` with their request id,
and the e-mails they typed (raw, lower-cased or URL-encoded) appear nowhere in the log, not even an
existing account's; an e-mail holding a line break and a made-up log line forges no line: every
line of the log is one the server wrote (time, level, label, message).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from urllib.parse import quote, quote_plus

from conftest import StartServer
from mandate_testkit import Client, find_form

# TextLogHandler: "2026-12-07T02:11:49.548Z notice mandate: failed sign-in hb.request.id=…".
LOG_LINE = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (trace|debug|info|notice|warning|error|critical) [\w.-]+: \S"
)


def fail_form_sign_in(c: Client, email: str) -> str:
    """Signs in through the form with a wrong password; returns the answer's request id."""
    page = c.get("/login")
    assert page.status == 200, page.describe()
    form = find_form(page.text, field_name="password")
    data = form.values()
    assert data.get("_csrf") and c.cookies, (form.inputs, c.cookies)
    data.update({"email": email, "password": "wrong-password-123"})
    r = c.post(form.action or "/login", form=data)
    # A wrong password, not a refused token (403) or a sign-in (303).
    assert r.status == 401, r.describe()
    request_id = r.header("X-Request-Id")
    assert request_id, r.describe()
    return request_id


def written_since(log_path: Path, offset: int) -> list[str]:
    """The lines the server wrote to its log from byte `offset` on. (Its start-up banner goes to
    stdout, which is buffered and flushed at exit: it is not the log under test.)"""
    with open(log_path, "rb") as f:
        f.seek(offset)
        return [line for line in f.read().decode("utf-8", errors="replace").splitlines() if line.strip()]


def test_a_failed_form_sign_in_logs_no_e_mail_and_forges_no_line(
    start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(f"sqlite:{tmp_path}/m.sqlite")
    marker = secrets.token_hex(6)
    forged = f"2026-01-01T00:00:00.000Z info mandate: forged-{marker} user=admin"
    emails = [
        f"Form-{marker}@Example.vn\n{forged}",  # a line break and a log line of the right shape
        f"Form-{marker}@Example.vn",  # a plain address, mixed case
        "viewer@demo.mandate.vn",  # an account that exists
    ]
    offset = server.log_path.stat().st_size
    request_ids = [fail_form_sign_in(Client(server.url), email) for email in emails]

    lines = written_since(server.log_path, offset)
    for request_id in request_ids:
        assert any("failed sign-in" in line and request_id in line for line in lines), (
            f"no `failed sign-in` logged for request {request_id}", lines[-20:]
        )
    text = "\n".join(lines)
    assert marker not in text.lower(), [line for line in lines if marker in line.lower()]
    for email in emails:
        for shown in {email, email.lower(), quote(email), quote_plus(email), quote_plus(email).lower()}:
            assert shown.lower() not in text.lower(), (shown, [l for l in lines if "@" in l or "%40" in l])
    forged_lines = [line for line in lines if not LOG_LINE.match(line)]
    assert not forged_lines, forged_lines
