"""The public transparency page in headless Chromium: the signed checkpoint and
key in Vietnamese and English, a value approved through the API checked on the
server (no JavaScript) and in the browser (Web Crypto), and a changed value
reported as not verified. Every page visited is screenshotted at 1280x900 and
360x740 and must log no console errors."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from urllib.parse import quote

from mandate_testkit import Client

HEAD_HANOI = "head.hanoi@demo.mandate.vn"
# A quarter the demo has no value for, so the approval below publishes a new fact.
INDICATOR, UNIT, PERIOD, VALUE = "DVC_TS", "01", "2023Q4", "321"


def _by():
    from selenium.webdriver.common.by import By

    return By


def approve_value(server: str) -> str:
    """Enter and approve a value as the head of Hà Nội; return its fact key once signed."""
    c = Client(server)
    csrf = c.login_api(HEAD_HANOI)
    r = c.post(
        "/api/v1/dataValues",
        json={"indicator": INDICATOR, "unit": UNIT, "period": PERIOD, "value": VALUE},
        csrf=csrf,
    )
    assert r.status in (200, 201), r.describe()
    r = c.post(f"/api/v1/dataValues/{INDICATOR}/{UNIT}/{PERIOD}/approve", csrf=csrf)
    assert r.status == 200, r.describe()
    assert r.json()["status"] == "approved", r.describe()

    public = Client(server)
    r = public.get("/api/v1/log/facts")
    assert r.status == 200, r.describe()
    facts = [json.loads(item) for item in r.json()["items"]]
    mine = [
        f
        for f in facts
        if f["fields"].get("indicator") == INDICATOR
        and f["fields"].get("unit") == UNIT
        and f["fields"].get("period") == PERIOD
    ]
    assert len(mine) == 1, f"the approved value is not among the open-data facts: {mine}"
    assert mine[0]["fields"]["value"] == VALUE, mine[0]
    key = mine[0]["key"]
    deadline = time.monotonic() + 20
    while True:
        r = public.get("/api/v1/log/proof/inclusion?key=" + quote(key, safe=""))
        if r.status == 200:
            return key
        assert r.status == 409 and time.monotonic() < deadline, r.describe()
        time.sleep(0.25)


def browser_check(browser) -> str:
    """Click "check in this browser" and wait for its verdict."""
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    d.find_element(By.ID, "check-browser").click()
    panel = d.find_element(By.ID, "browser-check")
    WebDriverWait(d, 30).until(
        lambda d: panel.get_attribute("data-verdict") not in (None, "", "running")
    )
    browser.assert_no_console_errors()
    return panel.get_attribute("data-verdict")


def browser_supports_ed25519(browser) -> bool:
    return bool(
        browser.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "crypto.subtle.generateKey({name: 'Ed25519'}, false, ['sign', 'verify'])"
            ".then(() => done(true), () => done(false));"
        )
    )


# The public key of the Go signed-note test vectors ("PeterNeumann"): a valid Ed25519 key.
OTHER_PUBLIC_KEY = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"


def key_name(browser) -> str:
    return browser.driver.find_element(_by().ID, "verifier-key").text.strip().split("+")[0]


def other_key(name: str) -> str:
    """A well-formed verifier key for `name` with someone else's Ed25519 key."""
    typed = base64.b64decode(OTHER_PUBLIC_KEY)
    key_id = hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4].hex()
    return f"{name}+{key_id}+{OTHER_PUBLIC_KEY}"


def assert_fits_phone(browser) -> None:
    browser.set_viewport(*browser.MOBILE)
    try:
        width = browser.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.MOBILE[0], f"the page is {width}px wide at {browser.MOBILE[0]}px"
    finally:
        browser.set_viewport(*browser.DESKTOP)


def test_page_shows_the_signed_checkpoint_in_both_languages(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    browser.open(f"{server}/units", "units")
    d.find_element(By.ID, "nav-transparency").click()
    browser.page_loaded("transparency-vi")
    assert browser.path() == "/transparency", d.current_url
    assert browser.html_lang() == "vi"
    assert d.find_element(By.TAG_NAME, "h1").text == "Nhật ký minh bạch"

    public = Client(server)
    key = public.get("/.well-known/mandate-log-key").text.strip()
    assert d.find_element(By.ID, "verifier-key").text.strip() == key
    assert key in d.find_element(By.ID, "verify-command").text
    note = d.find_element(By.ID, "checkpoint-note").text
    served = public.get("/log/checkpoint").text
    shown_size = int(note.splitlines()[1])
    assert note.splitlines()[0] == served.splitlines()[0], (note, served)
    assert 0 < shown_size <= int(served.splitlines()[1]), "the demo's approved values are not in the log"
    assert d.find_elements(By.CSS_SELECTOR, "#recent-facts li"), "no recent facts listed"
    assert_fits_phone(browser)

    browser.open(f"{server}/transparency?lang=en", "transparency-en")
    assert browser.html_lang() == "en"
    assert d.find_element(By.TAG_NAME, "h1").text == "Transparency log"
    assert d.find_element(By.ID, "check-browser").is_displayed(), "the script did not offer the browser check"


def test_an_approved_value_verifies_and_a_changed_one_does_not(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    key = approve_value(server)

    # Without JavaScript: the server checks the proof and shows each step.
    browser.open(f"{server}/transparency?key={quote(key, safe='')}#check", "check-on-server")
    result = d.find_element(By.ID, "check-result")
    assert result.get_attribute("data-verdict") == "verified", result.text
    assert len(d.find_elements(By.CSS_SELECTOR, "#check-steps li")) >= 4, result.text
    fact = d.find_element(By.ID, "check-fact").get_attribute("value")
    assert f'"value":"{VALUE}"' in fact and f'"key":"{key}"' in fact, fact

    # In the browser: Web Crypto recomputes the leaf hash and the root, and checks the signature.
    assert browser_check(browser) == "verified", d.find_element(By.ID, "browser-check").text
    panel_text = d.find_element(By.ID, "browser-check").text
    computed = d.find_elements(By.CSS_SELECTOR, "#browser-steps li code")
    signed_root = d.find_element(By.ID, "checkpoint-root").text
    assert computed[-1].text == computed[-2].text, panel_text
    signature = d.find_element(By.ID, "browser-signature")
    if browser_supports_ed25519(browser):
        assert signature.get_attribute("class") == "ok", signature.text
    else:
        assert signature.get_attribute("class") == "notice", signature.text
    browser.screenshot("checked-in-browser")
    assert signed_root, "no root shown"
    assert_fits_phone(browser)

    # A changed value is not in the log: the browser says so.
    changed = fact.replace(f'"value":"{VALUE}"', '"value":"322"')
    assert changed != fact
    field = d.find_element(By.ID, "check-fact")
    d.execute_script("arguments[0].value = arguments[1];", field, changed)
    assert browser_check(browser) == "not-verified", d.find_element(By.ID, "browser-check").text
    browser.screenshot("changed-value-in-browser")

    # Another key (a valid Ed25519 key under the log's name) does not verify the checkpoint,
    # whatever the hashes say; a malformed key is refused.
    d.execute_script("arguments[0].value = arguments[1];", field, fact)
    assert browser_check(browser) == "verified"
    verifier = d.find_element(By.ID, "check-verifier")
    d.execute_script("arguments[0].value = arguments[1];", verifier, other_key(key_name(browser)))
    assert browser_check(browser) == "not-verified", "a checkpoint verified with another key"
    assert d.find_element(By.ID, "browser-signature").get_attribute("class") == "error"
    d.execute_script("arguments[0].value = arguments[1];", verifier, "not+a+key")
    assert browser_check(browser) == "error", "a malformed key was accepted"
    d.execute_script("arguments[0].value = arguments[1];", verifier, d.find_element(By.ID, "verifier-key").text)

    # The server check of the changed value, submitted through the form.
    d.execute_script("arguments[0].value = arguments[1];", field, changed)
    d.find_element(By.ID, "check-server").click()
    browser.page_loaded("changed-value-on-server")
    result = d.find_element(By.ID, "check-result")
    assert result.get_attribute("data-verdict") == "not-verified", result.text
    assert "Không kiểm chứng được" in d.find_element(By.ID, "check-verdict").text


def test_an_unknown_key_gets_a_clear_message(server: str) -> None:
    c = Client(server)
    r = c.get("/transparency?key=" + quote("approved-value/NOPE/01/2026", safe="") + "&lang=en")
    assert r.status == 404, r.describe()
    assert "no published fact has the key “approved-value/NOPE/01/2026”" in r.text, r.text[:2000]
    assert 'id="check-error"' in r.text
    r = c.get("/transparency?fact=" + quote("not a fact"))
    assert r.status == 400, r.describe()
    assert "key:" in r.text
