"""The ranking pages in headless Chromium: a visitor sees no committee tools; a committee
analyst signs in, computes a draft, compares two methods and publishes; the published ranking
then shows its digest, its rank intervals and a link to its inputs, in Vietnamese and English.
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
