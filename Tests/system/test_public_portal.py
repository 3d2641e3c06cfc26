"""The public portal as an anonymous visitor sees it, in headless Chromium.

Proven here, for every public page (national overview, indicator list and page,
rankings list and pages, unit profiles of a province and a ministry, task
explorer, escalation board, methodology, open data, transparency log):

- it renders in Vietnamese by default and in English through the language
  switch (`#lang-switch`, which keeps the page), with `<html lang>` matching,
  its key content present and non-empty, no console error, and no horizontal
  overflow on a 360-px phone (screenshots at 1280 and 360 px);
- basic accessibility without external tools: one `<h1>`; header, nav, main and
  footer landmarks; every `svg[role=img]` has an accessible name; every form
  control has a label;
- no request leaves the server's origin, and the page with everything it loads
  weighs at most 100 KB gzip-compressed;
- the task explorer's search ignores diacritics (`ha noi` finds Hà Nội's tasks).

And, over HTTP: the overview's live feed and an indicator page update in place
(no reload) when a unit head approves a value; public GETs carry an ETag and
answer 304 to If-None-Match; the open-data units CSV has every unit and the
rankings JSON repeats the published scores exactly.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import urllib.request
from urllib.parse import urlsplit

import pytest

from mandate_testkit import DEMO_COMMUNES, DEMO_PROVINCES, Client, html_lang

PHONE_WIDTH = 360
MAX_WEIGHT = 102_400  # bytes, gzip-compressed: the page and all it loads
EVENTS_PATH = "/api/v1/events"  # a stream that never ends: not part of a page's weight


def _by():
    from selenium.webdriver.common.by import By

    return By


# (path, label, CSS selectors that must match at least one element with non-empty content)
PAGES: list[tuple[str, str, list[str]]] = [
    ("/", "overview", [
        "#headlines tbody tr", "#headlines svg.sparkline", "#delivery-summary li",
        "svg#province-map", "#live-feed li[data-index]",
    ]),
    ("/indicators", "indicators", ["#indicators-table tbody tr"]),
    ("/indicators/DVC_TT", "indicator-DVC_TT", [
        "svg.chart-trajectory", "svg.chart-spread", "#national-table tbody tr",
        "details #province-table tbody tr", "#download-csv", "#download-json",
    ]),
    ("/rankings", "rankings", [
        'a[href^="/rankings/province-dti/2025"]', 'a[href^="/rankings/ministry-delivery/2025"]',
    ]),
    ("/rankings/province-dti/2025?version=1", "ranking-province-dti", [
        "svg#rank-chart", "svg#rank-chart line.whisker", "#ranking-table tbody tr",
    ]),
    ("/rankings/ministry-delivery/2025?version=1", "ranking-ministry-delivery", [
        "svg#rank-chart", "svg#rank-chart line.whisker", "#ranking-table tbody tr",
    ]),
    ("/units/01", "unit-01", ["#unit-ranks", "#unit-indicators", "#unit-tasks"]),
    ("/units/BCA", "unit-BCA", ["#unit-ranks", "#unit-indicators", "#unit-tasks"]),
    ("/tasks", "tasks", [
        "#tasks-search", "#tasks-programme", "#tasks-orientation", "#tasks-status",
        "#tasks-unit", "#tasks-table tbody tr",
    ]),
    ("/escalation", "escalation", ["#escalation-totals", "#overdue-tasks tbody tr"]),
    ("/programmes", "programmes", ["#programme-list li"]),
    ("/programmes/NQ57", "programme-NQ57", ["#programme-basis", "#programme-orientations li", "#programme-tasks"]),
    ("/methodology", "methodology", ["#methods li"]),
    ("/help", "help", ["#help-contents li", "section#unit_reporter li", "section#admin li"]),
    ("/open-data", "open-data", [
        "#datasets", 'a.download[data-format="csv"]', 'a.download[data-format="json"]', "#licence",
    ]),
    ("/transparency", "transparency", ["#checkpoint", "#check-form"]),
]

# Form controls as a browser sees them; "" if the control is labelled.
UNLABELLED_JS = r"""
const out = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
  const id = el.id;
  const byFor = id && [...document.querySelectorAll('label')].some(
    l => l.htmlFor === id && l.textContent.trim());
  const wrapped = el.closest('label') && el.closest('label').textContent.trim();
  const aria = (el.getAttribute('aria-label') || '').trim();
  const by = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const byOk = by.length && by.every(i => document.getElementById(i)
    && document.getElementById(i).textContent.trim());
  if (!(byFor || wrapped || aria || byOk)) out.push(el.outerHTML.slice(0, 200));
}
return out;
"""

# svg[role=img] without an accessible name.
UNNAMED_SVG_JS = r"""
const out = [];
for (const svg of document.querySelectorAll('svg[role="img"]')) {
  const label = (svg.getAttribute('aria-label') || '').trim();
  const by = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const byOk = by.length > 0 && by.every(i => {
    const el = document.getElementById(i);
    return el && el.textContent.trim();
  });
  if (!(label || byOk)) out.push(svg.outerHTML.slice(0, 200));
}
return out;
"""


def _url(server: str, path: str, lang: str | None = None) -> str:
    if lang is None:
        return server + path
    return server + path + ("&" if "?" in path else "?") + "lang=" + lang


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - the test's own server
        return r.read()


def check_key_content(browser, selectors: list[str]) -> None:
    By = _by()
    d = browser.driver
    for css in selectors:
        found = d.find_elements(By.CSS_SELECTOR, css)
        assert found, f"{d.current_url}: nothing matches {css!r}"
        # Non-empty: some text, or (charts) some markup; controls and SVG shapes have neither.
        el = found[0]
        if el.tag_name.lower() in ("input", "select", "textarea", "line", "circle", "rect", "path"):
            continue
        content = (el.get_attribute("textContent") or "").strip() or (
            el.get_attribute("innerHTML") or ""
        ).strip()
        assert content, f"{d.current_url}: {css!r} is empty"


def check_accessibility(browser) -> None:
    By = _by()
    d = browser.driver
    url = d.current_url
    h1 = d.find_elements(By.TAG_NAME, "h1")
    assert len(h1) == 1, f"{url}: {len(h1)} <h1> elements, expected exactly one"
    assert h1[0].text.strip(), f"{url}: the <h1> is empty"
    for landmark in ("header", "nav", "main", "footer"):
        assert d.find_elements(By.TAG_NAME, landmark), f"{url}: no <{landmark}> landmark"
    unnamed = d.execute_script(UNNAMED_SVG_JS)
    assert not unnamed, f"{url}: svg[role=img] without an accessible name:\n" + "\n".join(unnamed)
    unlabelled = d.execute_script(UNLABELLED_JS)
    assert not unlabelled, f"{url}: form controls without a label:\n" + "\n".join(unlabelled)


# WCAG 2.1 AA 1.4.3: the contrast of each visible text against its effective background
# (the first opaque background up the tree; the page is white), 4.5:1, or 3:1 for large text
# (24 px, or 18.66 px bold). Text drawn in SVG is checked against white with its fill.
LOW_CONTRAST_JS = r"""
function rgb(text) {
  var m = text && text.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  var p = m[1].split(',').map(function (x) { return parseFloat(x); });
  return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
}
function lum(c) {
  function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
  return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
}
function background(el) {
  for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
    var c = rgb(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0.5) return c;
  }
  return { r: 255, g: 255, b: 255, a: 1 };
}
var bad = [], seen = 0;
var all = document.querySelectorAll('body *');
for (var i = 0; i < all.length; i++) {
  var el = all[i];
  var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
  if (!own) continue;
  var st = getComputedStyle(el);
  if (st.visibility === 'hidden' || st.display === 'none' || el.getClientRects().length === 0) continue;
  if (el.closest('.skip') || el.closest('.visually-hidden')) continue;
  var inSvg = el.closest('svg');
  var fg = rgb(inSvg ? st.fill : st.color);
  if (!fg) continue;
  var bg = inSvg ? { r: 255, g: 255, b: 255 } : background(el);
  var l1 = lum(fg), l2 = lum(bg);
  var ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  var size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
  var needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
  seen++;
  if (ratio < needed) bad.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + el.className : '') +
    ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2) + ':1 < ' + needed);
}
return { bad: bad.slice(0, 15), count: bad.length, seen: seen };
"""


def check_contrast(browser) -> None:
    result = browser.driver.execute_script(LOW_CONTRAST_JS)
    assert result["seen"] > 0, f"{browser.driver.current_url}: no text was checked"
    assert not result["count"], (
        f"{browser.driver.current_url}: {result['count']} text(s) below WCAG AA contrast:\n"
        + "\n".join(result["bad"])
    )


def check_keyboard(browser) -> None:
    """Tab reaches the skip link first, then moves through the links and controls, and every
    element that takes the focus shows it (an outline or a box shadow)."""
    from selenium.webdriver.common.keys import Keys

    d = browser.driver
    d.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    body = d.find_element(_by().TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = d.execute_script("return document.activeElement.className + '|' + document.activeElement.getAttribute('href')")
    assert first.startswith("skip|"), f"{d.current_url}: the first Tab reaches {first!r}, not the skip link"
    seen = set()
    for _ in range(12):
        info = d.execute_script(
            "var e = document.activeElement, s = getComputedStyle(e);"
            "return [e.tagName + '|' + (e.id || e.getAttribute('href') || e.name || ''),"
            " s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== 'none'];"
        )
        assert info[1], f"{d.current_url}: {info[0]} takes the focus without showing it"
        seen.add(info[0])
        d.switch_to.active_element.send_keys(Keys.TAB)
    assert len(seen) >= 6, f"{d.current_url}: Tab moved through only {sorted(seen)}"


def check_phone_width(browser) -> None:
    d = browser.driver
    browser.set_viewport(PHONE_WIDTH, 740)
    try:
        width = d.execute_script("return document.documentElement.scrollWidth")
        if width > PHONE_WIDTH + 2:
            # The innermost elements that stick out, with the start of their text.
            culprits = d.execute_script(
                """const w = window.innerWidth + 2;
                   const out = e => e.getBoundingClientRect().right > w;
                   return [...document.querySelectorAll('body *')]
                     .filter(e => out(e) && ![...e.children].some(out))
                     .slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                       + ' (' + Math.round(e.getBoundingClientRect().right) + 'px) '
                       + JSON.stringify((e.textContent || '').trim().slice(0, 50)))"""
            )
        else:
            culprits = []
        assert width <= PHONE_WIDTH + 2, (
            f"{d.current_url} is {width}px wide at a {PHONE_WIDTH}-px viewport; "
            f"overflowing: {culprits}"
        )
        check_navigation_folds(browser)
    finally:
        browser.set_viewport(*browser.DESKTOP)


def check_navigation_folds(browser) -> None:
    """At phone width the navigation is folded behind its Menu button, which opens and closes it
    and says which it is; the page's own heading starts within the first screen."""
    By = _by()
    d = browser.driver
    button = d.find_element(By.ID, "nav-toggle")
    links = d.find_element(By.ID, "site-nav")
    assert button.is_displayed() and not links.is_displayed(), d.current_url
    assert button.get_attribute("aria-expanded") == "false"
    top = d.execute_script("return document.querySelector('h1').getBoundingClientRect().top")
    assert top < 240, f"{d.current_url}: the heading starts {top}px down a phone's screen"
    button.click()
    assert links.is_displayed() and button.get_attribute("aria-expanded") == "true"
    assert d.find_element(By.CSS_SELECTOR, "#site-nav a[href='/indicators']").is_displayed()
    button.click()
    assert not links.is_displayed() and button.get_attribute("aria-expanded") == "false"
    # On a wide screen the navigation is open and the button gone.
    browser.set_viewport(*browser.DESKTOP)
    assert links.is_displayed() and not button.is_displayed(), d.current_url


def resource_urls(browser) -> list[str]:
    return browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )


def check_same_origin(browser, server: str) -> list[str]:
    urls = resource_urls(browser)
    outside = [u for u in urls if not u.startswith(server + "/")]
    assert not outside, f"{browser.driver.current_url}: requests leave {server}: {outside}"
    return urls


def page_weight(server: str, page_url: str, resources: list[str]) -> tuple[int, dict[str, int]]:
    sizes: dict[str, int] = {}
    sizes[urlsplit(page_url).path or "/"] = len(gzip.compress(_fetch(page_url)))
    for url in sorted(set(resources)):
        if urlsplit(url).path == EVENTS_PATH:
            continue
        sizes[url[len(server):]] = len(gzip.compress(_fetch(url)))
    return sum(sizes.values()), sizes


def check_lang_switch(browser, expected_lang: str) -> str:
    """The switch names the other language and keeps the page (path and query)."""
    By = _by()
    d = browser.driver
    link = d.find_element(By.ID, "lang-switch")
    href = link.get_attribute("href")
    here, there = urlsplit(d.current_url), urlsplit(href)
    assert there.path == here.path, f"{d.current_url}: the language switch leads to {href}"
    keep = sorted(p for p in here.query.split("&") if p and not p.startswith("lang="))
    kept = sorted(p for p in there.query.split("&") if p and not p.startswith("lang="))
    assert keep == kept, f"{d.current_url}: the language switch drops the query ({href})"
    other = "en" if expected_lang == "vi" else "vi"
    assert f"lang={other}" in there.query, f"{d.current_url}: the switch {href} is not to {other}"
    return href


def check_page_specifics(browser, path: str, lang: str) -> None:
    By = _by()
    d = browser.driver
    if path == "/":
        assert d.find_element(By.TAG_NAME, "main").get_attribute("data-live") == "*"
        places = d.find_elements(By.CSS_SELECTOR, 'svg#province-map a[href^="/units/"] circle.place')
        assert len(places) == DEMO_PROVINCES, f"the map shows {len(places)} provinces"
        for c in places:
            title = c.find_elements(By.TAG_NAME, "title")
            assert title and (title[0].get_attribute("textContent") or "").strip(), (
                f"a province circle without a <title>: {c.get_attribute('outerHTML')[:200]}"
            )
        svg = d.find_element(By.CSS_SELECTOR, "svg#province-map")
        ids = (svg.get_attribute("aria-labelledby") or "").split()
        assert ids, "the map has no aria-labelledby"
        assert svg.find_elements(By.TAG_NAME, "title") and svg.find_elements(By.TAG_NAME, "desc")
        leaves = [int(li.get_attribute("data-index"))
                  for li in d.find_elements(By.CSS_SELECTOR, "#live-feed > li")]
        assert leaves == sorted(leaves, reverse=True), f"the live feed is not newest first: {leaves}"
    elif path.startswith("/indicators/"):
        code = path.rsplit("/", 1)[1]
        assert d.find_element(By.TAG_NAME, "main").get_attribute("data-live") == f"indicator:{code}"
        table = d.find_element(By.ID, "province-table")
        assert table.find_elements(By.XPATH, "./ancestor::details"), "#province-table is not in <details>"
    elif path == "/open-data":
        lic = d.find_element(By.ID, "licence")
        links = lic.find_elements(By.CSS_SELECTOR, 'a[rel~="license"]')
        assert links and "creativecommons.org/licenses/by/4.0" in links[0].get_attribute("href"), (
            f"#licence has no rel=license link to CC BY 4.0: {lic.get_attribute('outerHTML')[:400]}"
        )
        for a in d.find_elements(By.CSS_SELECTOR, "a.download"):
            assert a.get_attribute("data-format") in ("csv", "json")
            assert urlsplit(a.get_attribute("href")).path.endswith("." + a.get_attribute("data-format"))
    elif path.startswith("/rankings/"):
        assert d.find_element(By.CSS_SELECTOR, "svg#rank-chart").get_attribute("role") == "img"


def check_weight(server: str, url: str, resources: list[str]) -> None:
    total, sizes = page_weight(server, url, resources)
    print(f"\nweight {url[len(server):]}: {total} B gzip {sizes}")
    assert total <= MAX_WEIGHT, (
        f"{url} weighs {total} B gzip-compressed with what it loads (> {MAX_WEIGHT}): {sizes}"
    )


@pytest.mark.parametrize("path,label,selectors", PAGES, ids=[p[1] for p in PAGES])
def test_public_page_in_both_languages(browser, server: str, path: str, label: str, selectors) -> None:
    """Every check runs on both languages; the failures of all of them are reported together."""
    d = browser.driver
    d.delete_all_cookies()
    problems: list[str] = []

    def check(fn, *args) -> None:
        try:
            fn(*args)
        except AssertionError as e:
            problems.append(f"[{d.current_url[len(server):]}] {e}")

    url = _url(server, path)
    for lang in ("vi", "en"):
        browser.open(url, f"{label}-{lang}")
        assert browser.html_lang() == lang, f"{url}: <html lang={browser.html_lang()!r}>, expected {lang}"
        check(check_key_content, browser, selectors)
        check(check_page_specifics, browser, path, lang)
        check(check_accessibility, browser)
        check(check_contrast, browser)
        check(check_keyboard, browser)
        check(check_phone_width, browser)
        resources: list[str] = []
        check(lambda: resources.extend(check_same_origin(browser, server)))
        check(check_weight, server, d.current_url, resources)
        browser.assert_no_console_errors()
        if lang == "vi":
            # The English page is reached through the switch, which must keep the page.
            url = check_lang_switch(browser, "vi")
        else:
            check_lang_switch(browser, "en")
    assert not problems, f"{len(problems)} failed check(s) on {path}:\n" + "\n".join(problems)


def test_task_search_ignores_diacritics(browser, server: str) -> None:
    """`ha noi` finds the tasks Hà Nội leads or coordinates, and those whose text names it."""
    By = _by()
    d = browser.driver
    browser.open(f"{server}/tasks?search=ha%20noi", "tasks-search-ha-noi")
    assert d.find_element(By.ID, "tasks-search").get_attribute("value") == "ha noi"
    rows = d.find_elements(By.CSS_SELECTOR, "#tasks-table tbody tr")
    count = d.find_element(By.ID, "tasks-count").text
    assert rows, f"/tasks?search=ha noi finds no task ({count!r}), though Hà Nội leads demo tasks"
    involved = {t["code"] for t in Client(server).get("/api/v1/tasks?unit=01&limit=1000").json()["items"]}
    assert involved, "Hà Nội is involved in no demo task"
    shown = set()
    for row in rows:
        code = row.find_element(By.CSS_SELECTOR, "th .meta").text.split(" ")[0]
        shown.add(code)
        assert code in involved or "Hà Nội" in row.text, f"a row unrelated to Hà Nội: {row.text!r}"
    # Every task Hà Nội is involved in is found (the first page holds 100).
    assert involved <= shown or len(rows) == 100, sorted(involved - shown)


def _approve_value(server: str, indicator: str, unit: str, period: str, value: str) -> None:
    head = Client(server)
    csrf = head.login_api("head.hanoi@demo.mandate.vn")  # unit head of province 01: enters and approves
    r = head.get(f"/api/v1/dataValues/{indicator}/{unit}/{period}")
    assert r.status == 404, f"{indicator}/{unit}/{period} already has a value: {r.describe()}"
    r = head.post(
        "/api/v1/dataValues",
        json={"indicator": indicator, "unit": unit, "period": period, "value": value},
        csrf=csrf,
    )
    assert r.status == 201, r.describe()
    r = head.post(f"/api/v1/dataValues/{indicator}/{unit}/{period}/approve", csrf=csrf)
    assert r.status == 200 and r.json()["status"] == "approved", r.describe()


def _wait_connected(browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser.driver, 10).until(
        lambda d: d.find_element(_by().TAG_NAME, "main").get_attribute("data-live-connected") == "true"
    )


def test_overview_and_indicator_page_update_live_without_reload(browser, server: str) -> None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    indicator, unit = "DVC_TT", "01"

    browser.open(f"{server}/", "live-overview-before")
    d.execute_script("window.__noReload = 1;")
    _wait_connected(browser)
    _approve_value(server, indicator, unit, "2023Q1", "47.25")

    def first_item(d) -> str:
        # Read in one script: the feed's items are replaced as the page updates itself.
        return d.execute_script(
            "var li = document.querySelector('#live-feed li'); return li ? li.textContent : '';"
        ) or ""

    # The feed names the indicator and writes the value in the page's language.
    named = Client(server).get(f"/api/v1/indicators/{indicator}").json()
    names, values = (named["nameVi"], named["nameEn"]), ("47,25", "47.25")

    def shows_it(d) -> bool:
        item = first_item(d)
        return any(n in item and v in item for n, v in zip(names, values))

    try:
        WebDriverWait(d, 5, poll_frequency=0.1).until(shows_it)
    except TimeoutException:
        raise AssertionError(
            f"within 5 s the live feed's first item is {first_item(d)!r}, not the approved value"
        ) from None
    assert d.execute_script("return window.__noReload") == 1, "the overview was reloaded"
    browser.screenshot("live-overview-after")
    browser.assert_no_console_errors()

    browser.open(f"{server}/indicators/{indicator}", "live-indicator-before")
    main = d.find_element(By.TAG_NAME, "main")
    assert main.get_attribute("data-live") == f"indicator:{indicator}"
    d.execute_script("window.__noReload = 1;")
    _wait_connected(browser)
    before = main.get_attribute("data-updated")
    # A keyboard user on a link of the page keeps the focus there across the update.
    focused = d.execute_script(
        "var a = document.querySelector('main a[href]'); a.focus(); return a.getAttribute('href');"
    )
    _approve_value(server, indicator, unit, "2023Q2", "48.75")
    try:
        WebDriverWait(d, 5, poll_frequency=0.1).until(
            lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-updated") not in (None, before)
        )
    except TimeoutException:
        raise AssertionError(
            f"/indicators/{indicator} did not update in place within 5 s of an approved value"
        ) from None
    assert d.execute_script("return window.__noReload") == 1, "the indicator page was reloaded"
    assert d.find_elements(By.CSS_SELECTOR, "main svg.chart-trajectory"), "the updated page lost its chart"
    holder = d.execute_script(
        "var e = document.activeElement; return e && document.querySelector('main').contains(e)"
        " ? e.getAttribute('href') : null;"
    )
    assert holder == focused, f"the focus moved from {focused!r} to {holder!r} when the page updated"
    # The update is announced through the polite live region, in the page's language.
    WebDriverWait(d, 5, poll_frequency=0.1).until(
        lambda d: d.find_element(By.ID, "live-status").get_attribute("textContent")
    )
    region = d.find_element(By.ID, "live-status")
    assert region.get_attribute("aria-live") == "polite" and region.get_attribute("role") == "status"
    assert region.get_attribute("textContent") == "Trang vừa được cập nhật số liệu mới công bố."
    browser.screenshot("live-indicator-after")
    browser.assert_no_console_errors()


def test_the_rankings_list_updates_live(browser, start_server, tmp_path) -> None:
    """A ranking published while /rankings is open appears in its list without a reload (on a
    server of its own: the other tests read the demo's single publication)."""
    from selenium.webdriver.support.ui import WebDriverWait

    server = start_server(f"sqlite:{tmp_path}/live.sqlite").url
    By = _by()
    d = browser.driver
    browser.open(f"{server}/rankings", "live-rankings-before")
    main = d.find_element(By.TAG_NAME, "main")
    assert main.get_attribute("data-live-events") == "ranking-published"
    d.execute_script("window.__noReload = 1;")
    _wait_connected(browser)
    analyst = Client(server)
    csrf = analyst.login_api("analyst@demo.mandate.vn")
    r = analyst.post("/api/v1/rankings/province-dti/2025/publish", json={"previousPeriod": "2024"}, csrf=csrf)
    assert r.status in (200, 201), r.describe()
    version = r.json()["version"]
    link = f'a[href="/rankings/province-dti/2025?version={version}"]'
    WebDriverWait(d, 5, poll_frequency=0.1).until(lambda d: d.find_elements(By.CSS_SELECTOR, link))
    assert d.execute_script("return window.__noReload") == 1, "the rankings list was reloaded"
    browser.assert_no_console_errors()


@pytest.mark.parametrize("path", ["/", "/open-data/units.csv", "/api/v1/units?kind=province"])
def test_conditional_get(server: str, path: str) -> None:
    c = Client(server)
    first = c.get(path)
    assert first.status == 200, first.describe()
    etag = first.header("ETag")
    assert etag, f"GET {path} has no ETag: {dict(first.headers)}"
    again = c.get(path, headers={"If-None-Match": etag})
    assert again.status == 304, f"GET {path} with If-None-Match: {etag} -> {again.status}"
    assert again.body == b"", f"the 304 for {path} has a body: {again.body[:200]!r}"
    other = c.get(path, headers={"If-None-Match": '"not-the-etag"'})
    assert other.status == 200 and other.body == first.body, other.describe()


def test_open_data_units_and_rankings(server: str) -> None:
    c = Client(server)
    r = c.get("/open-data/units.csv")
    assert r.status == 200, r.describe()
    text = r.body.decode("utf-8")
    assert text.splitlines()[0] == "code,kind,name,short_name,parent_code,lat,lon,area_km2", text[:200]
    rows = list(csv.DictReader(io.StringIO(text)))
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    print(f"units.csv: {len(rows)} rows, {kinds}")
    assert kinds.get("province") == DEMO_PROVINCES, kinds
    assert kinds.get("commune") == DEMO_COMMUNES, kinds
    assert len(rows) >= 3300 + DEMO_PROVINCES, len(rows)
    assert all(row["code"] for row in rows)

    r = c.get("/open-data/rankings.json")
    assert r.status == 200, r.describe()
    data = json.loads(r.body)
    assert data.get("licence"), f"rankings.json has no licence: {list(data)}"
    published = [
        row for row in data["rows"]
        if row["method"] == "province-dti" and str(row["period"]) == "2025" and row["version"] == 1
    ]
    api = c.get("/api/v1/rankings/province-dti/2025").json()
    assert api["version"] == 1
    expected = {u["unit"]: u["score"] for u in api["result"]["units"]}
    got = {row["unit"]: row["score"] for row in published}
    assert set(got) == set(expected) and len(got) == DEMO_PROVINCES, (sorted(got), sorted(expected))
    for unit, score in expected.items():
        assert abs(got[unit] - score) <= 1e-9, f"{unit}: open data {got[unit]} != API {score}"



def test_pages_are_vietnamese_without_accept_language(server: str) -> None:
    """The default does not depend on the browser's language: a bare GET is Vietnamese."""
    c = Client(server)
    for path, _, _ in PAGES:
        r = c.get(path, store_cookies=False)
        assert r.status == 200, r.describe()
        assert html_lang(r.text) == "vi", f"GET {path} without Accept-Language: lang={html_lang(r.text)!r}"
        en = c.get(_url("", path, "en"), store_cookies=False)
        assert en.status == 200 and html_lang(en.text) == "en", f"GET {path}?lang=en: {en.describe()[:300]}"
