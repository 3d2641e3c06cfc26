"""The ranking pages in headless Chromium: a visitor sees no committee tools; a committee
analyst signs in, computes a draft, compares two methods and publishes; the published ranking
then shows its digest, its rank intervals and a link to its inputs, in Vietnamese and English. A
draft whose data changed before the click is shown again rather than published, and a superseded
version links to the latest.
Every page is screenshotted at 1280x900 and 360x740 and must log no console errors."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from mandate_testkit import Client


def _by():
    from selenium.webdriver.common.by import By

    return By


def choose(browser, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.driver.find_element(_by().ID, select_id)).select_by_value(value)


def submit(browser, form_id: str, label: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.driver
    before = d.current_url
    d.find_element(_by().CSS_SELECTOR, f"#{form_id} button[type=submit]").click()
    WebDriverWait(d, 60).until(lambda d: d.current_url != before)
    browser.page_loaded(label)


def tick(browser, box_id: str) -> None:
    """Ticks a checkbox the form requires (publishing asks the publisher to confirm)."""
    box = browser.driver.find_element(_by().ID, box_id)
    if not box.is_selected():
        box.click()


def submit_refused(browser, form_id: str, label: str, status: str) -> None:
    """Submits a form the server answers with an error status and a page: the browser logs that
    status, and nothing else."""
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.driver
    before = d.current_url
    d.find_element(_by().CSS_SELECTOR, f"#{form_id} button[type=submit]").click()
    WebDriverWait(d, 60).until(lambda d: d.current_url != before)
    WebDriverWait(d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    severe = [e["message"] for e in browser.drain_console() if e.get("level") == "SEVERE"]
    assert all(f"the server responded with a status of {status}" in m for m in severe), severe
    browser.screenshot(label)


def test_the_committee_drafts_compares_and_publishes(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    browser.open(f"{server}/rankings", "rankings-visitor")
    assert browser.html_lang() == "vi"
    # The demo's illustrative publications are listed for everyone; the committee's tools are not.
    assert d.find_elements(By.CSS_SELECTOR, 'a[href="/rankings/province-dti/2025?version=1"]')
    assert not d.find_elements(By.ID, "committee-tools")

    browser.open(f"{server}/login", "login")
    d.find_element(By.ID, "email").send_keys("analyst@demo.mandate.vn")
    d.find_element(By.ID, "password").send_keys("mandate-demo")
    submit(browser, "login-form", "signed-in")

    browser.open(f"{server}/rankings", "rankings-committee")
    assert d.find_elements(By.ID, "committee-tools")
    choose(browser, "draft-method", "province-dti")
    d.find_element(By.ID, "draft-period").send_keys("2025")
    d.find_element(By.ID, "draft-previous").send_keys("2024")
    submit(browser, "draft-form", "draft")
    assert urlsplit(d.current_url).path == "/rankings/draft"
    assert d.find_element(By.ID, "draft-notice").is_displayed()
    rows = d.find_elements(By.CSS_SELECTOR, "#ranking-table tbody tr")
    assert len(rows) == 34, len(rows)
    # The first row is ranked 1, with an interval such as "1–3".
    first = rows[0].find_elements(By.TAG_NAME, "td")
    assert first[0].text == "1" and "–" in first[2].text, [c.text for c in first]

    browser.open(f"{server}/rankings", "rankings-committee-2")
    choose(browser, "compare-a", "province-dti")
    choose(browser, "compare-b", "province-dti-geometric")
    d.find_element(By.ID, "compare-period").send_keys("2025")
    submit(browser, "compare-form", "compare")
    compared = d.find_elements(By.CSS_SELECTOR, "#compare-table tbody tr")
    assert len(compared) == 34
    # The arithmetic and the geometric mean rank at least one province differently.
    differences = [r.find_elements(By.TAG_NAME, "td")[-1].text for r in compared]
    assert any(x not in ("", "0") for x in differences), differences

    browser.open(f"{server}/rankings/draft?method=province-dti&period=2025&previous=2024", "draft-again")
    # Publishing asks to confirm: the browser will not send the form until the box is ticked.
    d.find_element(By.CSS_SELECTOR, "#publish-form button[type=submit]").click()
    assert urlsplit(d.current_url).path == "/rankings/draft"
    assert d.execute_script("return document.getElementById('publish-confirm').validity.valueMissing")
    tick(browser, "publish-confirm")
    submit(browser, "publish-form", "published")
    assert urlsplit(d.current_url).path == "/rankings/province-dti/2025"
    digest = d.find_element(By.ID, "input-digest").text
    inputs = d.find_element(By.ID, "inputs-link").get_attribute("href")
    body = Client(server).get(inputs).body
    assert hashlib.sha256(body).hexdigest() == digest
    assert not d.find_elements(By.ID, "publish-form")

    d.find_element(By.ID, "lang-switch").click()
    browser.page_loaded("published-en")
    assert browser.html_lang() == "en"
    assert "Rank range" in d.find_element(By.ID, "ranking-table").text


def approve_value(server: str, indicator: str, unit: str, period: str, value: float) -> None:
    """A value of Hà Nội entered by its reporter and approved by its head, through the API."""
    reporter = Client(server)
    csrf = reporter.login_api("reporter.hanoi@demo.mandate.vn", "mandate-demo")
    r = reporter.post("/api/v1/dataValues", json={"indicator": indicator, "unit": unit, "period": period,
                                                  "value": value}, csrf=csrf)
    assert r.status in (200, 201), r.describe()
    head = Client(server)
    csrf = head.login_api("head.hanoi@demo.mandate.vn", "mandate-demo")
    r = head.post(f"/api/v1/dataValues/{indicator}/{unit}/{period}/approve", csrf=csrf)
    assert r.status == 200, r.describe()


def published_versions(server: str) -> list[int]:
    items = Client(server).get("/api/v1/rankings").json()["items"]
    return [p["version"] for p in items if p["methodId"] == "province-dti" and p["period"] == "2025"]


def test_a_draft_whose_data_changed_is_shown_again_not_published(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    browser.open(f"{server}/login", "login")
    d.find_element(By.ID, "email").send_keys("analyst@demo.mandate.vn")
    d.find_element(By.ID, "password").send_keys("mandate-demo")
    submit(browser, "login-form", "signed-in")

    browser.open(f"{server}/rankings/draft?method=province-dti&period=2025&previous=2024", "draft-shown")
    shown = d.find_element(By.ID, "input-digest").text
    before = published_versions(server)
    # A value is approved while the analyst reads the draft.
    approve_value(server, "DTI_XHS", "01", "2025", 0.95)
    tick(browser, "publish-confirm")
    submit_refused(browser, "publish-form", "draft-changed", "409 (Conflict)")
    notice = d.find_element(By.ID, "draft-changed")
    assert notice.is_displayed()
    assert "Dữ liệu hoặc phương pháp đã thay đổi" in notice.text, notice.text
    now = d.find_element(By.ID, "input-digest").text
    assert now != shown and f"SHA-256 nay là {now}" in notice.text, notice.text
    assert published_versions(server) == before

    # The draft shown now is the one published.
    tick(browser, "publish-confirm")
    submit(browser, "publish-form", "published-after-review")
    assert urlsplit(d.current_url).path == "/rankings/province-dti/2025"
    assert d.find_element(By.ID, "input-digest").text == now
    latest = max(published_versions(server))
    assert latest == max(before) + 1

    # The version it supersedes says so, and links to it.
    browser.open(f"{server}/rankings/province-dti/2025?version={latest - 1}&lang=en", "superseded-en")
    superseded = d.find_element(By.ID, "superseded-notice")
    assert f"version {latest}, published at" in superseded.text, superseded.text
    d.find_element(By.ID, "latest-link").click()
    browser.page_loaded("latest-from-link")
    assert d.current_url.endswith(f"/rankings/province-dti/2025?version={latest}")
    assert not d.find_elements(By.ID, "superseded-notice")
