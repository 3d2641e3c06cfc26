"""The unit directory as a person uses it, in headless Chromium: search with
and without diacritics, open a province, switch language. Every page visited
is screenshotted at 1280x900 and 360x740 and must log no console errors."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from mandate_testkit import demo_units


def _by():
    from selenium.webdriver.common.by import By

    return By


def results(browser) -> list[tuple[str, str]]:
    By = _by()
    ul = browser.driver.find_element(By.ID, "unit-results")
    return [
        (urlsplit(a.get_attribute("href")).path, a.text.strip())
        for a in ul.find_elements(By.CSS_SELECTOR, "li a")
    ]


def search(browser, query: str) -> list[tuple[str, str]]:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    box = d.find_element(By.ID, "unit-search")
    assert box.get_attribute("name") == "q"
    box.clear()
    before = d.current_url
    box.send_keys(query, Keys.ENTER)
    WebDriverWait(d, 20).until(lambda d: d.current_url != before and "q=" in d.current_url)
    browser.page_loaded(f"search-{query}")
    q = parse_qs(urlsplit(d.current_url).query).get("q", [""])[0]
    assert q == query, f"the search form did not submit q={query!r}: {d.current_url}"
    assert browser.path() == "/units", d.current_url
    return results(browser)


def test_search_folds_diacritics(browser, server: str) -> None:
    browser.open(f"{server}/units", "units")
    assert browser.html_lang() == "vi"
    form = browser.driver.find_element(_by().ID, "unit-search-form")
    assert (form.get_attribute("method") or "get").lower() == "get"

    ascii_hits = search(browser, "ha noi")
    paths = [p for p, _ in ascii_hits]
    assert "/units/01" in paths, f"'ha noi' did not find Hà Nội: {ascii_hits[:10]}"
    assert any(p == "/units/01" and "Hà Nội" in t for p, t in ascii_hits), ascii_hits[:10]

    exact_hits = search(browser, "Hà Nội")
    assert [p for p, _ in exact_hits] == paths, (
        f"'Hà Nội' and 'ha noi' give different results:\n{exact_hits[:10]}\n{ascii_hits[:10]}"
    )

    d_stroke = search(browser, "đa")
    assert "/units/48" in [p for p, _ in d_stroke], f"'đa' did not find Đà Nẵng: {d_stroke[:20]}"
    plain_d = search(browser, "da")
    assert "/units/48" in [p for p, _ in plain_d], f"'da' did not find Đà Nẵng: {plain_d[:20]}"


def test_province_page_and_language_switch(browser, server: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    browser.open(f"{server}/units", "units")
    search(browser, "ha noi")
    link = d.find_element(By.CSS_SELECTOR, '#unit-results a[href="/units/01"]')
    link.click()
    WebDriverWait(d, 20).until(lambda d: urlsplit(d.current_url).path == "/units/01")
    browser.page_loaded("units-01")
    assert "Hà Nội" in d.find_element(By.TAG_NAME, "body").text

    table = d.find_element(By.ID, "unit-children")
    rows = [r for r in table.find_elements(By.CSS_SELECTOR, "tr") if r.find_elements(By.TAG_NAME, "td")]
    text = table.text
    units = demo_units()
    hanoi = {u.name for u in units if u.level == "commune" and u.parent_code == "01"}
    danang = {
        u.name
        for u in units
        if u.level == "commune" and u.parent_code == "48" and not any(u.name in h for h in hanoi)
    }
    shown = [n for n in hanoi if n in text]
    assert len(rows) >= 10, f"only {len(rows)} rows in #unit-children"
    assert len(shown) >= 10, f"Hà Nội's communes are not listed: {text[:500]!r}"
    wrong = [n for n in danang if n in text]
    assert not wrong, f"communes of Đà Nẵng listed under Hà Nội: {wrong[:5]}"

    switch = d.find_element(By.ID, "lang-switch")
    switch.click()
    WebDriverWait(d, 20).until(lambda d: d.execute_script("return document.documentElement.lang") == "en")
    browser.page_loaded("units-01-en")
    assert browser.path() == "/units/01", f"language switch left the page: {d.current_url}"
    assert browser.html_lang() == "en"
    assert d.find_elements(By.ID, "unit-children"), "English page has no #unit-children"
