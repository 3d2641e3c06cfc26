"""Security properties seen from outside: headers, CSRF, cookies, sessions,
API tokens."""

from __future__ import annotations

import secrets

import pytest

from mandate_testkit import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    SESSION_COOKIE,
    Client,
    find_form,
    resolve,
)

SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def csp_directives(value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return out


def assert_security_headers(r) -> None:
    where = f"{r.method} {r.url} ({r.status})"
    csp = r.header("Content-Security-Policy")
    assert csp, f"{where}: no Content-Security-Policy"
    d = csp_directives(csp)
    script_src = d.get("script-src", d.get("default-src"))
    assert script_src is not None, f"{where}: CSP sets neither script-src nor default-src: {csp}"
    assert "'unsafe-inline'" not in script_src, f"{where}: script-src allows 'unsafe-inline': {csp}"
    assert "'unsafe-eval'" not in script_src, f"{where}: script-src allows 'unsafe-eval': {csp}"
    assert d.get("frame-ancestors") == ["'none'"], f"{where}: frame-ancestors is not 'none': {csp}"
    assert (r.header("X-Content-Type-Options") or "").lower() == "nosniff", (
        f"{where}: X-Content-Type-Options={r.header('X-Content-Type-Options')!r}"
    )
    rp = (r.header("Referrer-Policy") or "").lower()
    assert rp, f"{where}: no Referrer-Policy"
    assert set(p.strip() for p in rp.split(",")) & SAFE_REFERRER_POLICIES, (
        f"{where}: weak Referrer-Policy {rp!r}"
    )


def is_authenticated(base: str, cookies: dict[str, str]) -> bool:
    r = Client(base).get("/api/v1/tokens", cookies=dict(cookies))
    assert r.status in (200, 401), r.describe()
    return r.status == 200


def login_page(c: Client):
    r = c.get("/login")
    assert r.status == 200, r.describe()
    form = find_form(r.text, field_name="password")
    assert "email" in form.field_names(), form.field_names()
    assert form.method == "post", form.attrs
    token = form.hidden("_csrf")
    assert token, f"login form has no _csrf value: {form.inputs}"
    return form, token


def form_login(c: Client, password: str = DEMO_ADMIN_PASSWORD, csrf: str | None = "from-form"):
    form, token = login_page(c)
    data = form.values()
    data.update({"email": DEMO_ADMIN_EMAIL, "password": password})
    if csrf is None:
        data.pop("_csrf", None)
    elif csrf != "from-form":
        data["_csrf"] = csrf
    action = form.action or "/login"
    return c.post(action, form=data)


# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,status",
    [
        ("/units", 200),
        ("/transparency", 200),
        ("/login", 200),
        ("/api/v1/units?kind=province", 200),
        ("/api/v1/units/ZZ999", 404),
        ("/no/such/page", 404),
        ("/healthz", 200),
    ],
)
def test_security_headers(server: str, path: str, status: int) -> None:
    r = Client(server).get(path)
    assert r.status == status, r.describe()
    assert_security_headers(r)


def test_security_headers_on_unauthenticated_api(server: str) -> None:
    r = Client(server).get("/api/v1/tokens")
    assert r.status == 401, r.describe()
    assert_security_headers(r)


@pytest.mark.parametrize("bad_csrf", [None, "wrong", "foreign"])
def test_login_form_rejects_missing_or_wrong_csrf(server: str, bad_csrf) -> None:
    c = Client(server)
    if bad_csrf == "foreign":
        # A real token, but issued to another browser.
        _, bad_csrf = login_page(Client(server))
    elif bad_csrf == "wrong":
        bad_csrf = secrets.token_urlsafe(32)
    before = dict(c.cookies)
    r = form_login(c, csrf=bad_csrf)
    assert r.status == 403, f"login without a valid _csrf was not refused: {r.describe()}"
    assert not is_authenticated(server, c.cookies), "a refused login still authenticated"
    sc = r.set_cookie(SESSION_COOKIE)
    assert sc is None or sc.deletes or sc.value == before.get(SESSION_COOKIE), (
        f"a refused login issued a new session cookie: {sc.raw}"
    )
    # The page still offers a login form, not a logout button.
    page = c.get("/units")
    assert 'id="logout-form"' not in page.text


def test_login_form_wrong_password_is_refused(server: str) -> None:
    c = Client(server)
    r = form_login(c, password="not-the-password")
    assert r.status in (200, 400, 401, 403, 422), r.describe()
    assert r.status != 303, r.describe()
    assert not is_authenticated(server, c.cookies)


def test_login_form_flow_cookie_flags_and_logout(server: str) -> None:
    c = Client(server)
    login_page(c)
    pre_login = c.cookies.get(SESSION_COOKIE)

    r = form_login(c)
    assert r.status == 303, f"login with correct credentials must redirect: {r.describe()}"
    location = r.header("Location")
    assert location, r.describe()
    sc = r.set_cookie(SESSION_COOKIE)
    assert sc is not None and not sc.deletes, f"no {SESSION_COOKIE} cookie set at login"
    assert sc.http_only, f"session cookie is not HttpOnly: {sc.raw}"
    assert sc.same_site in ("lax", "strict"), f"session cookie SameSite: {sc.raw}"
    assert sc.value != pre_login, "the session id did not change at login (session fixation)"
    assert len(sc.value) >= 16, f"session id looks too short: {sc.raw}"
    assert is_authenticated(server, c.cookies)

    page = c.get(resolve(server, location))
    assert page.status == 200, page.describe()
    logout = find_form(page.text, form_id="logout-form")
    assert logout.method == "post", logout.attrs

    old_cookies = dict(c.cookies)
    r = c.post(logout.action or "/logout", form=logout.values())
    assert r.status in (200, 204, 303), r.describe()
    assert not is_authenticated(server, old_cookies), "old session cookie still works after logout"
    assert 'id="logout-form"' not in c.get("/units").text


def test_api_login_issues_fresh_session_ids(server: str) -> None:
    # Session fixation: a cookie value chosen by an attacker is never adopted.
    planted = secrets.token_urlsafe(32)
    c = Client(server)
    c.cookies[SESSION_COOKIE] = planted
    assert not is_authenticated(server, c.cookies)
    r = c.post(
        "/api/v1/session", json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD}
    )
    assert r.status == 200, r.describe()
    sc = r.set_cookie(SESSION_COOKIE)
    assert sc is not None and sc.value != planted, "login kept a planted session id"
    assert sc.http_only and sc.same_site in ("lax", "strict"), sc.raw
    body = r.json()
    assert body["user"].get("email") == DEMO_ADMIN_EMAIL, body
    assert not any("password" in k.lower() for k in body["user"]), body["user"]

    # Two logins give two different session ids.
    c2 = Client(server)
    c2.login_api()
    assert c2.cookies[SESSION_COOKIE] != c.cookies[SESSION_COOKIE]


def test_api_login_wrong_password(server: str) -> None:
    c = Client(server)
    r = c.post("/api/v1/session", json={"email": DEMO_ADMIN_EMAIL, "password": "nope-nope-nope"})
    assert r.status == 401, r.describe()
    assert SESSION_COOKIE not in c.cookies or not is_authenticated(server, c.cookies)


def test_api_logout_invalidates_cookie(server: str) -> None:
    c = Client(server)
    csrf = c.login_api()
    old = dict(c.cookies)
    assert is_authenticated(server, old)
    r = c.delete("/api/v1/session", csrf=csrf)
    assert r.status in (200, 204), r.describe()
    assert not is_authenticated(server, old), "old session cookie still works after logout"


def test_api_unsafe_requests_need_csrf_header(server: str) -> None:
    c = Client(server)
    csrf = c.login_api()
    name_missing = f"no-csrf-{secrets.token_hex(4)}"
    name_wrong = f"bad-csrf-{secrets.token_hex(4)}"
    r = c.post("/api/v1/tokens", json={"name": name_missing, "password": DEMO_ADMIN_PASSWORD})
    assert r.status == 403, f"cookie-authenticated POST without X-CSRF-Token: {r.describe()}"
    r = c.post("/api/v1/tokens", json={"name": name_wrong, "password": DEMO_ADMIN_PASSWORD}, csrf=secrets.token_urlsafe(32))
    assert r.status == 403, f"cookie-authenticated POST with a wrong X-CSRF-Token: {r.describe()}"
    r = c.delete("/api/v1/session", csrf="wrong")
    assert r.status == 403, r.describe()
    r = c.get("/api/v1/tokens")
    assert r.status == 200, r.describe()
    names = [t["name"] for t in r.json()["items"]]
    assert name_missing not in names and name_wrong not in names, names
    assert is_authenticated(server, c.cookies), "a refused logout still logged out"
    # With the header it works.
    r = c.post("/api/v1/tokens", json={"name": "with-csrf", "password": DEMO_ADMIN_PASSWORD}, csrf=csrf)
    assert r.status == 201, r.describe()


def test_revoked_token_gets_401(server: str) -> None:
    c = Client(server)
    csrf = c.login_api()
    name = f"revoke-me-{secrets.token_hex(4)}"
    r = c.post("/api/v1/tokens", json={"name": name, "password": DEMO_ADMIN_PASSWORD}, csrf=csrf)
    assert r.status == 201, r.describe()
    created = r.json()
    assert created["name"] == name and created["token"] and created["id"] and created["createdAt"]
    token = created["token"]

    bearer = Client(server)
    r = bearer.get("/api/v1/tokens", bearer=token)
    assert r.status == 200, f"a fresh token does not authenticate: {r.describe()}"
    listed = {str(t["id"]): t for t in r.json()["items"]}
    assert str(created["id"]) in listed
    assert listed[str(created["id"])].get("revokedAt") is None
    assert "token" not in listed[str(created["id"])], "the token list must not reveal secrets"

    r = c.delete(f"/api/v1/tokens/{created['id']}", csrf=csrf)
    assert r.status in (200, 204), r.describe()

    r = bearer.get("/api/v1/tokens", bearer=token)
    assert r.status == 401, f"a revoked token still authenticates: {r.describe()}"
    r = Client(server).get("/api/v1/tokens", bearer=token + "x")
    assert r.status == 401, r.describe()

    r = c.get("/api/v1/tokens")
    item = {str(t["id"]): t for t in r.json()["items"]}[str(created["id"])]
    assert item.get("revokedAt"), f"revoked token listed without revokedAt: {item}"



def test_a_sign_in_cannot_forge_a_log_line(server_handle) -> None:
    """The finding: a line break in a sign-in e-mail forged a log line. A failed sign-in is
    logged without its e-mail, and every line of the log is a line the server wrote (time,
    level, label), whatever the e-mail held."""
    marker = secrets.token_hex(6)
    forged = f"2026-01-01T00:00:00.000Z info mandate.http: forged-{marker} user=admin"
    for body in (
        {"email": f"x@example.vn\n{forged}", "password": "wrong-password-123"},
        {"email": f"{marker}@example.vn", "password": f"p\n{forged}"},
    ):
        r = Client(server_handle.url).post("/api/v1/session", json=body)
        assert r.status in (400, 401, 422), r.describe()
    log = server_handle.log_path.read_text(encoding="utf-8", errors="replace")
    assert marker not in log, [line for line in log.splitlines() if marker in line]
    # The harness heads the file with the command line ("$ mandate serve …").
    written = [line for line in log.splitlines() if line.strip() and not line.startswith("$ ")]
    assert written and all(line[:4].isdigit() and line[4] == "-" for line in written), written[:5]
