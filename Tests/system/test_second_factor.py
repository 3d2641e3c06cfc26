"""The second factor (TOTP, RFC 6238) end to end over HTTP, against the running binary.

The codes are computed here, independently of Mandate (HMAC-SHA-1 over the 30-second step,
RFC 4226's dynamic truncation, 6 digits), and that reference is itself checked against RFC 6238's
Appendix B vectors. Each test makes its own admin account (as the demo admin, through
`POST /api/v1/users`): the demo accounts are exempt from the second factor while the demo runs.

Nothing here depends on where in a 30-second step a test runs. The server accepts the codes of
the step before and after its own; a code is computed for the step Python sees just before it
is sent, so it is at worst the server's previous step. A code once accepted is spent, and so is
every code of an earlier step: after a code of step s, the next sign-in sends the code of s + 1
(the server's next step at worst), and a replay sends the very same code again.

Wrong codes count towards the sign-in throttle of 127.0.0.1 (30 free over every account): the
whole file stays far below it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import struct
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from mandate_testkit import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    SESSION_COOKIE,
    Client,
    MandateServer,
    find_form,
    resolve,
)

PERIOD = 30
DIGITS = 6
RECOVERY_CODE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$")

# Every secret the tests below were given or sent: none may ever appear in the server's log
# (checked by the last test, on the module's server).
SEEN: dict[str, set[str]] = {"secret": set(), "code": set(), "recovery": set(), "password": set(), "challenge": set()}


# --------------------------------------------------------------------------
# The reference TOTP (RFC 4226 HOTP over RFC 6238's time steps), no Mandate code involved


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    binary = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def step_at(unix_time: float) -> int:
    return int(unix_time // PERIOD)


def now_step() -> int:
    return step_at(time.time())


def secret_bytes(secret_b32: str) -> bytes:
    s = secret_b32.strip().replace(" ", "").upper()
    return base64.b32decode(s + "=" * (-len(s) % 8))


def totp(secret_b32: str, step: int) -> str:
    code = hotp(secret_bytes(secret_b32), step)
    SEEN["code"].add(code)
    return code


def wrong_code(secret_b32: str, around: int) -> str:
    """Six digits that are the code of no step the server could accept now or in the next
    minute or so."""
    near = {hotp(secret_bytes(secret_b32), s) for s in range(around - 3, around + 5)}
    for n in range(1000):
        candidate = f"{(123457 + 7919 * n) % 10**DIGITS:06d}"
        if candidate not in near:
            return candidate
    raise AssertionError("no wrong code found")  # cannot happen


RFC6238_SHA1_KEY = b"12345678901234567890"


@pytest.mark.parametrize(
    "unix_time,expected",
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_reference_totp_matches_rfc_6238_appendix_b(unix_time: int, expected: str) -> None:
    """The test's own TOTP gives RFC 6238's SHA-1 test vectors (8 digits), so the codes the
    other tests send are right by the standard, not by Mandate."""
    assert hotp(RFC6238_SHA1_KEY, step_at(unix_time), digits=8) == expected
    # The same key through base 32, as a server hands it out.
    b32 = base64.b32encode(RFC6238_SHA1_KEY).decode().rstrip("=")
    assert hotp(secret_bytes(b32), step_at(unix_time), digits=8) == expected
    assert hotp(RFC6238_SHA1_KEY, step_at(unix_time)) == expected[-DIGITS:]


# --------------------------------------------------------------------------
# Helpers


def assert_problem(r, status: int, slug: str | None = None) -> dict:
    assert r.status == status, r.describe()
    assert r.content_type == "application/problem+json", (
        f"expected application/problem+json, got {r.header('Content-Type')!r}: {r.describe()}"
    )
    body = r.json()
    assert body.get("status") == status, body
    if slug is not None:
        assert str(body.get("type", "")).endswith("/" + slug), (
            f"problem type {body.get('type')!r} does not end with /{slug}: {r.describe()}"
        )
    return body


def assert_needs_second_factor(r) -> None:
    """403, and the reason is the missing second factor."""
    body = assert_problem(r, 403, "forbidden")
    assert "second factor" in str(body.get("detail", "")).lower(), (
        f"refused, but not for the second factor: {r.describe()}"
    )


def new_password() -> str:
    password = "Sf-" + secrets.token_urlsafe(15)
    SEEN["password"].add(password)
    return password


class Account:
    def __init__(self, user: dict, email: str, password: str):
        self.user = user
        self.id = str(user["id"])
        self.email = email
        self.password = password
        self.secret: str | None = None
        self.recovery_codes: list[str] = []
        # The step of the last code the server accepted.
        self.last_step: int | None = None


def demo_admin(server: str) -> tuple[Client, str]:
    c = Client(server)
    return c, c.login_api(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)


def new_admin(server: str, label: str) -> Account:
    """A fresh admin of unit BCD, made by the demo admin; it has no second factor yet."""
    admin, csrf = demo_admin(server)
    email = f"sf-{label}-{secrets.token_hex(4)}@example.vn"
    password = new_password()
    r = admin.post(
        "/api/v1/users",
        json={"email": email, "displayName": f"Second factor {label}", "unitCode": "BCD", "role": "admin",
              "password": password},
        csrf=csrf,
    )
    assert r.status == 201, f"the demo admin could not create an admin: {r.describe()}"
    user = r.json()
    assert user["email"] == email and user["role"] == "admin", user
    assert user.get("secondFactor") is False, f"a new account has a second factor: {user}"
    return Account(user, email, password)


def sign_in(server: str, account: Account, code: str | None = None) -> tuple[Client, object]:
    c = Client(server)
    body = {"email": account.email, "password": account.password}
    if code is not None:
        body["code"] = code
    return c, c.post("/api/v1/session", json=body)


def signed_in(server: str, account: Account, code: str | None = None) -> tuple[Client, str, dict]:
    c, r = sign_in(server, account, code)
    assert r.status == 200, r.describe()
    body = r.json()
    assert body.get("csrfToken"), body
    sc = r.set_cookie(SESSION_COOKIE)
    assert sc is not None and not sc.deletes, f"no {SESSION_COOKIE} cookie: {r.headers.get_all('Set-Cookie')}"
    return c, body["csrfToken"], body


def check_offer(offer: dict, email: str) -> str:
    """The offered secret (base 32, no padding) and its otpauth:// address agree; returns it."""
    secret = offer.get("secret")
    assert isinstance(secret, str) and re.fullmatch(r"[A-Z2-7]+", secret), f"secret not base 32 unpadded: {offer}"
    assert len(secret_bytes(secret)) >= 16, f"secret shorter than 128 bits (RFC 4226 R6): {offer}"
    check_uri(offer.get("uri", ""), email, secret)
    SEEN["secret"].add(secret)
    return secret


def check_uri(uri: str, email: str, secret: str | None = None) -> str:
    """Checks an otpauth:// address for `email`; returns its secret."""
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp"), uri
    assert unquote(parts.path.lstrip("/")) == f"Mandate:{email}", f"label of {uri!r}"
    assert parts.path.lstrip("/").startswith("Mandate%3A"), f"label not percent-encoded: {uri!r}"
    q = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    assert (q.get("issuer"), q.get("algorithm"), q.get("digits"), q.get("period")) == (
        "Mandate", "SHA1", "6", "30"), uri
    if secret is not None:
        assert q.get("secret") == secret, uri
    return q["secret"]


def check_recovery_codes(codes: list[str]) -> None:
    assert isinstance(codes, list) and len(codes) == 10, codes
    assert all(isinstance(c, str) and RECOVERY_CODE.match(c) for c in codes), codes
    assert len(set(codes)) == 10, codes
    SEEN["recovery"].update(codes)


def enrol_over_api(server: str, account: Account) -> tuple[Client, str]:
    """Signs `account` in with its password, sets up the second factor; returns the session,
    now unrestricted, and its CSRF token."""
    c, csrf, _ = signed_in(server, account)
    r = c.post("/api/v1/session/second-factor", json={"password": account.password}, csrf=csrf)
    assert r.status == 200, r.describe()
    account.secret = check_offer(r.json(), account.email)
    step = now_step()
    r = c.post("/api/v1/session/second-factor/confirm", json={"code": totp(account.secret, step)}, csrf=csrf)
    assert r.status == 200, r.describe()
    account.recovery_codes = r.json().get("recoveryCodes")
    check_recovery_codes(account.recovery_codes)
    account.last_step = step
    return c, csrf


def next_code(account: Account) -> str:
    """A code the server accepts now: the current step's, or the step after the last one
    accepted (within the server's window as long as that was less than a minute ago)."""
    assert account.secret and account.last_step is not None
    step = max(now_step(), account.last_step + 1)
    account.last_step = step
    return totp(account.secret, step)


def session_info(c: Client) -> dict:
    r = c.get("/api/v1/session")
    assert r.status == 200, r.describe()
    return r.json()


class _ElementById(HTMLParser):
    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.attrs: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if self.attrs is None and a.get("id") == self.element_id:
            self.attrs = a


def element_attrs(html: str, element_id: str) -> dict[str, str]:
    p = _ElementById(element_id)
    p.feed(html)
    assert p.attrs is not None, f"no element id={element_id!r} in the page:\n{html[:3000]}"
    return p.attrs


def recovery_codes_on_page(html: str) -> list[str]:
    m = re.search(r'<[^>]*\bid="recovery-codes"[^>]*>(.*?)</div>', html, re.S)
    main = html[html.find("<main"):] if "<main" in html else html
    assert m, f"no id=\"recovery-codes\" on the page:\n{main[:2500]}"
    return re.findall(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{4}){5}\b", m.group(1))


def post_form(c: Client, form, **fields: str):
    data = form.values()
    data.update(fields)
    return c.post(form.action or "/", form=data)


def login_form_post(c: Client, account: Account):
    r = c.get("/login")
    assert r.status == 200, r.describe()
    form = find_form(r.text, form_id="login-form")
    assert {"_csrf", "email", "password"} <= set(form.field_names()), form.field_names()
    assert form.method == "post", form.attrs
    assert "mandate_csrf" in c.cookies, f"no double-submit cookie: {r.headers.get_all('Set-Cookie')}"
    return post_form(c, form, email=account.email, password=account.password)


# --------------------------------------------------------------------------
# The API


def test_enrolment_over_the_api_lifts_the_restriction(server: str) -> None:
    """A new admin signs in with the password alone and may do nothing but set up a second
    factor; the offered secret, confirmed with a code computed here, lifts the restriction in
    the same session."""
    account = new_admin(server, "api")
    c, csrf, body = signed_in(server, account)
    assert body.get("secondFactorSetupRequired") is True, body
    assert body["user"].get("secondFactor") is False, body
    assert session_info(c).get("secondFactorSetupRequired") is True

    # Restricted: writes and internal reads are refused for the second factor; public reads work.
    assert_needs_second_factor(
        c.post("/api/v1/tokens", json={"name": "x", "password": account.password}, csrf=csrf))
    assert_needs_second_factor(c.get("/api/v1/audit"))
    assert_needs_second_factor(c.get("/api/v1/users?unit=BCD"))
    assert_needs_second_factor(c.post(
        "/api/v1/users",
        json={"email": f"sf-never-{secrets.token_hex(4)}@example.vn", "unitCode": "BCD", "role": "viewer",
              "password": new_password()},
        csrf=csrf))
    r = c.get("/api/v1/units?kind=province")
    assert r.status == 200, r.describe()

    # Nothing offered yet: nothing to confirm.
    assert_problem(
        c.post("/api/v1/session/second-factor/confirm", json={"code": "123456"}, csrf=csrf), 409,
        "no-second-factor-offered")
    # The password again, or no secret.
    assert_problem(
        c.post("/api/v1/session/second-factor", json={"password": "not-the-password-1"}, csrf=csrf), 403, "forbidden")
    r = c.post("/api/v1/session/second-factor", json={"password": account.password}, csrf=csrf)
    assert r.status == 200, r.describe()
    secret = check_offer(r.json(), account.email)

    step = now_step()
    body = assert_problem(
        c.post("/api/v1/session/second-factor/confirm", json={"code": wrong_code(secret, step)}, csrf=csrf), 422,
        "invalid-input")
    assert [e.get("field") for e in body.get("errors", [])] == ["code"], body
    assert session_info(c).get("secondFactorSetupRequired") is True, "a wrong code lifted the restriction"

    r = c.post("/api/v1/session/second-factor/confirm", json={"code": totp(secret, step)}, csrf=csrf)
    assert r.status == 200, r.describe()
    check_recovery_codes(r.json().get("recoveryCodes"))

    info = session_info(c)
    assert info.get("secondFactorSetupRequired") is False, info
    assert info["user"].get("secondFactor") is True, info
    r = c.get("/api/v1/audit")
    assert r.status == 200, f"still restricted after the second factor was set up: {r.describe()}"
    r = c.post("/api/v1/tokens", json={"name": "after-2fa", "password": account.password}, csrf=csrf)
    assert r.status == 201, r.describe()


def test_sign_in_needs_the_code_once_and_recovery_codes_once(server: str) -> None:
    """With a second factor: no code is 401 second-factor-required without a session; a wrong
    code 401 invalid-second-factor; the right code signs in, and the same code again is refused;
    a recovery code signs in once."""
    account = new_admin(server, "signin")
    enrol_over_api(server, account)
    assert account.secret

    c, r = sign_in(server, account)
    assert_problem(r, 401, "second-factor-required")
    assert r.set_cookie(SESSION_COOKIE) is None, f"a session cookie without the code: {r.set_cookies}"
    assert SESSION_COOKIE not in c.cookies

    c, r = sign_in(server, account, wrong_code(account.secret, now_step()))
    assert_problem(r, 401, "invalid-second-factor")
    assert r.set_cookie(SESSION_COOKIE) is None, f"a session cookie for a wrong code: {r.set_cookies}"

    code = next_code(account)
    c, _, body = signed_in(server, account, code)
    assert body.get("secondFactorSetupRequired") is False, body
    assert body["user"].get("secondFactor") is True, body
    r = c.get("/api/v1/audit")
    assert r.status == 200, r.describe()

    # The same code again, computed once and sent twice: spent.
    replay, r = sign_in(server, account, code)
    assert_problem(r, 401, "invalid-second-factor")
    assert SESSION_COOKIE not in replay.cookies, "a replayed code got a session cookie"

    recovery = account.recovery_codes[0]
    c, _, body = signed_in(server, account, recovery)
    assert body["user"].get("secondFactor") is True, body
    again, r = sign_in(server, account, recovery)
    assert_problem(r, 401, "invalid-second-factor")
    assert SESSION_COOKIE not in again.cookies, "a spent recovery code got a session cookie"
    # Another recovery code still works.
    signed_in(server, account, account.recovery_codes[1])


def test_admin_resets_a_second_factor(server: str) -> None:
    """An admin resets an account's second factor: the answer says it has none, the account's
    sessions end, its password alone signs in again (restricted), and it can set up a new one."""
    account = new_admin(server, "reset")
    own, _ = enrol_over_api(server, account)
    assert session_info(own)["user"]["secondFactor"] is True

    # Only an administrator may: a demo viewer is refused.
    viewer = Client(server)
    viewer_csrf = viewer.login_api("viewer@demo.mandate.vn", DEMO_ADMIN_PASSWORD)
    r = viewer.post(f"/api/v1/users/{account.id}/second-factor/reset", csrf=viewer_csrf)
    assert_problem(r, 403)
    assert session_info(own)["user"]["secondFactor"] is True, "a refused reset reset"

    admin, csrf = demo_admin(server)
    r = admin.post(f"/api/v1/users/{account.id}/second-factor/reset", csrf=csrf)
    assert r.status == 200, r.describe()
    user = r.json()
    assert str(user.get("id")) == account.id and user.get("secondFactor") is False, user

    r = own.get("/api/v1/session")
    assert r.status == 401, f"the account's session outlived the reset: {r.describe()}"

    c, csrf, body = signed_in(server, account)  # the password alone
    assert body.get("secondFactorSetupRequired") is True, body
    assert body["user"].get("secondFactor") is False, body
    assert_needs_second_factor(c.get("/api/v1/audit"))

    # A new secret is set up as the first was.
    r = c.post("/api/v1/session/second-factor", json={"password": account.password}, csrf=csrf)
    assert r.status == 200, r.describe()
    secret = check_offer(r.json(), account.email)
    assert secret != account.secret, "the reset handed back the old secret"
    r = c.post("/api/v1/session/second-factor/confirm", json={"code": totp(secret, now_step())}, csrf=csrf)
    assert r.status == 200, r.describe()
    check_recovery_codes(r.json().get("recoveryCodes"))
    assert set(r.json()["recoveryCodes"]).isdisjoint(account.recovery_codes)
    assert c.get("/api/v1/audit").status == 200


# --------------------------------------------------------------------------
# The pages


def test_sign_in_page_asks_for_the_code(server: str) -> None:
    """The sign-in form of an account with a second factor answers the code form (no session
    yet); a wrong code answers it again with 401; the right code signs in (303 to /units)."""
    account = new_admin(server, "page-signin")
    enrol_over_api(server, account)
    assert account.secret

    c = Client(server)
    r = login_form_post(c, account)
    assert r.status == 200, f"expected the code form: {r.describe()}"
    assert r.set_cookie(SESSION_COOKIE) is None and SESSION_COOKIE not in c.cookies, r.set_cookies
    form = find_form(r.text, form_id="code-form")
    assert {"_csrf", "challenge", "code"} <= set(form.field_names()), form.field_names()
    assert form.method == "post", form.attrs
    challenge = form.hidden("challenge")
    assert challenge, form.inputs
    SEEN["challenge"].add(challenge)
    for revealing in (account.password, account.email, account.email.split("@")[0]):
        assert revealing not in challenge and revealing not in unquote(challenge), (
            f"the challenge carries {revealing!r}: {challenge!r}")
    assert account.password not in r.text, "the code form page carries the password"

    r = post_form(c, form, code=wrong_code(account.secret, now_step()))
    assert r.status == 401, r.describe()
    assert r.set_cookie(SESSION_COOKIE) is None and SESSION_COOKIE not in c.cookies, r.set_cookies
    form = find_form(r.text, form_id="code-form")
    assert form.hidden("challenge"), form.inputs

    r = post_form(c, form, code=next_code(account))
    assert r.status == 303, r.describe()
    assert r.header("Location") == "/work", r.header("Location")
    sc = r.set_cookie(SESSION_COOKIE)
    assert sc is not None and not sc.deletes and sc.http_only, r.set_cookies
    info = session_info(c)
    assert info["user"]["email"] == account.email and info.get("secondFactorSetupRequired") is False, info
    page = c.get(resolve(server, "/units"))
    assert page.status == 200 and 'id="logout-form"' in page.text, page.describe()


def test_account_page_sets_up_the_second_factor(server: str) -> None:
    """A new admin signing in on the page is sent to /account, which asks for a second factor
    first; the page's forms offer a secret (the otpauth link), take a code computed from it
    here, and show ten recovery codes; the secret and the codes then sign in."""
    account = new_admin(server, "page-setup")
    c = Client(server)
    r = login_form_post(c, account)
    assert r.status == 303, r.describe()
    assert r.header("Location") == "/account", r.header("Location")
    assert SESSION_COOKIE in c.cookies

    page = c.get("/account")
    assert page.status == 200, page.describe()
    element_attrs(page.text, "account-enrol-first")
    form = find_form(page.text, form_id="second-factor-form")
    assert {"_csrf", "password"} <= set(form.field_names()), form.field_names()

    wrong = post_form(c, form, password="not-the-password-2")
    assert wrong.status == 403, wrong.describe()
    assert 'id="otpauth-link"' not in wrong.text

    r = post_form(c, form, password=account.password)
    assert r.status == 200, r.describe()
    uri = element_attrs(r.text, "otpauth-link").get("href", "")
    secret = check_uri(uri, account.email)
    SEEN["secret"].add(secret)
    grouped = re.search(r'id="totp-secret"[^>]*>([^<]*)<', r.text)
    assert grouped and grouped.group(1).replace(" ", "") == secret, "the typed-in secret differs from the link's"
    confirm = find_form(r.text, form_id="second-factor-confirm-form")
    assert "code" in confirm.field_names(), confirm.field_names()

    step = now_step()
    confirmed = post_form(c, confirm, code=totp(secret, step))
    assert confirmed.status == 200, confirmed.describe()
    assert 'id="account-enrol-first"' not in confirmed.text, "the page still asks to set up a second factor"
    assert 'id="account-enrol-first"' not in c.get("/account").text
    info = session_info(c)
    assert info["user"]["secondFactor"] is True and info["secondFactorSetupRequired"] is False, info
    assert c.get("/api/v1/audit").status == 200
    account.secret, account.last_step = secret, step
    signed_in(server, account, next_code(account))

    # The recovery codes, shown this once on the confirmation's page, sign in.
    codes = recovery_codes_on_page(confirmed.text)
    check_recovery_codes(codes)
    signed_in(server, account, codes[-1])


# --------------------------------------------------------------------------
# Nothing secret in the log


def _in_log(log: str, value: str, digits: bool) -> bool:
    if digits:  # a code as a number of its own, not part of a longer one
        return re.search(rf"(?<!\d){re.escape(value)}(?!\d)", log) is not None
    return value in log


def test_the_log_holds_no_secret_code_or_recovery_code(server_handle: MandateServer) -> None:
    """Runs last: a whole set-up and sign-in of its own (API and pages, with a wrong code and a
    replay), then neither a secret (as given, grouped, lower case, or in its otpauth address),
    nor a code sent, nor a recovery code (with or without its hyphen), nor a password or sign-in
    challenge appears in the server's log, for this test or any before it in this file."""
    server = server_handle.url
    account = new_admin(server, "log")
    enrol_over_api(server, account)
    assert account.secret
    sign_in(server, account, wrong_code(account.secret, now_step()))
    code = next_code(account)
    signed_in(server, account, code)
    sign_in(server, account, code)  # replay
    signed_in(server, account, account.recovery_codes[2])
    c = Client(server)
    r = login_form_post(c, account)
    SEEN["challenge"].add(find_form(r.text, form_id="code-form").hidden("challenge") or "")
    # An offer on the page, left unconfirmed.
    c2, _, _ = signed_in(server, account, account.recovery_codes[3])
    page = c2.get("/account")
    r = post_form(c2, find_form(page.text, form_id="second-factor-form"), password=account.password)
    assert r.status == 200, r.describe()
    SEEN["secret"].add(check_uri(element_attrs(r.text, "otpauth-link")["href"], account.email))

    log = server_handle.log_path.read_text(encoding="utf-8", errors="replace")
    assert "second factor set up" in log or account.id in log, (
        "the log shows none of this module's sign-ins; is it the right file?\n" + server_handle.log_tail())
    leaks: list[str] = []
    for secret in SEEN["secret"]:
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        for form in (secret, secret.lower(), grouped, secret[:16]):
            if _in_log(log, form, digits=False):
                leaks.append(f"TOTP secret {form!r}")
    for code in SEEN["code"]:
        if _in_log(log, code, digits=True):
            leaks.append(f"TOTP code {code!r}")
    for rc in SEEN["recovery"]:
        for form in (rc, rc.replace("-", ""), rc.lower()):
            if _in_log(log, form, digits=False):
                leaks.append(f"recovery code {form!r}")
    for password in SEEN["password"]:
        if _in_log(log, password, digits=False):
            leaks.append(f"password {password!r}")
    for challenge in SEEN["challenge"] - {""}:
        if _in_log(log, challenge, digits=False):
            leaks.append(f"sign-in challenge {challenge!r}")
    lines = [line for line in log.splitlines() if any(x.split("'")[1] in line for x in leaks)]
    assert not leaks, f"the server's log holds secrets: {leaks}\n" + "\n".join(lines[:20])
