"""The work-plan page as a committee analyst uses it, in headless Chromium: from the task
list to /tasks/import, the template downloaded and checked in a dry run (nothing written),
a broken copy refused by line and column (nothing written), the template imported, and the
imported task's priority, technology tags and indicators on its page; the refusal in English;
every page fits a 360-px phone, and axe-core finds no serious or critical violation on the
page after a dry run and after a refusal. Every page visited is screenshotted and must log
no console errors.

axe-core (4.x) comes from the axe.min.js that PyPI's axe-playwright-python wheel carries (.ci/run
installs it without its dependencies), or a file named by MANDATE_AXE_JS; without either, the
accessibility test is skipped, saying why."""

from __future__ import annotations

import csv
import importlib.util
import io
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mandate_testkit import Client
from test_task_pages import _by, sign_in

ANALYST = "analyst@demo.mandate.vn"
TEMPLATE_CODES = ["VD-2027-01", "VD-2027-02"]
PHONE = (360, 740)


def submit_and_wait(browser, button, label: str, refused_with: str | None = None) -> None:
    """Clicks a submit button and waits for the next page. A page the server answers with an
    error status (refused_with, e.g. "422") makes the browser log that status, and nothing else."""
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.driver
    old = d.find_element(_by().TAG_NAME, "html")
    button.click()
    WebDriverWait(d, 20).until(lambda d: old.id != d.find_element(_by().TAG_NAME, "html").id)
    if refused_with is None:
        browser.page_loaded(label)
        return
    WebDriverWait(d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    severe = [e["message"] for e in browser.drain_console() if e.get("level") == "SEVERE"]
    assert severe, f"{d.current_url}: the refused file was not answered {refused_with}"
    assert all(f"the server responded with a status of {refused_with}" in m for m in severe), severe
    browser.screenshot(label)


def assert_fits_phone(browser) -> None:
    """No horizontal scrolling at 360 px; names the innermost elements that stick out."""
    d = browser.driver
    browser.set_viewport(*PHONE)
    try:
        width, inner = d.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
        culprits: list[str] = []
        if width > inner + 1:
            culprits = d.execute_script(
                """const w = window.innerWidth + 1;
                   const out = e => e.getBoundingClientRect().right > w;
                   return [...document.querySelectorAll('body *')]
                     .filter(e => out(e) && ![...e.children].some(out))
                     .slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                       + ' (' + Math.round(e.getBoundingClientRect().right) + 'px) '
                       + JSON.stringify((e.textContent || '').trim().slice(0, 50)))"""
            )
        assert width <= inner + 1, (
            f"{d.current_url} is {width}px wide at a {inner}-px viewport; sticking out: {culprits}"
        )
    finally:
        browser.set_viewport(*browser.DESKTOP)


def api_status(analyst: Client, code: str) -> int:
    return analyst.get(f"/api/v1/tasks/{code}").status


def fetch_template(browser, server: str):
    """GET, without the session (the file is public), the target of the page's #work-plan-template."""
    href = browser.driver.find_element(_by().ID, "work-plan-template").get_attribute("href")
    assert urlsplit(href).netloc == urlsplit(server).netloc, href
    return Client(server).get(href)


def download_template(browser, server: str, tmp_path: Path) -> Path:
    """The page's template, written to a file for the file input."""
    r = fetch_template(browser, server)
    assert r.status == 200, r.describe()
    assert r.text.startswith("code,"), f"the template has no header row: {r.text[:200]!r}"
    path = tmp_path / "work-plan.csv"
    path.write_bytes(r.body)
    return path


def rewrite(template: Path, out: Path, change) -> Path:
    """A copy of the CSV with change(rows) applied to its data rows (dicts by column)."""
    text = template.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    change(rows)
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def broken_copy(template: Path, tmp_path: Path) -> Path:
    """The template with the lead unit of its line 2 (the first task) replaced by an unknown code."""

    def change(rows: list[dict[str, str]]) -> None:
        assert rows and rows[0]["code"] == TEMPLATE_CODES[0], rows
        rows[0]["lead_unit"] = "ZZ99"

    return rewrite(template, tmp_path / "work-plan-broken.csv", change)


def fresh_copy(template: Path, tmp_path: Path, prefix: str) -> Path:
    """The template with codes no other test imports (VD-2027-01 -> {prefix}2027-01), so that a
    dry run of it lists its rows whatever ran before."""

    def change(rows: list[dict[str, str]]) -> None:
        for row in rows:
            row["code"] = row["code"].replace("VD-", prefix)

    return rewrite(template, tmp_path / f"work-plan-{prefix.strip('-').lower()}.csv", change)


def upload(browser, path: Path, *, dry_run: bool, label: str, refused: bool = False) -> None:
    By = _by()
    d = browser.driver
    box = d.find_element(By.ID, "work-plan-dry-run")
    if box.is_selected() != dry_run:
        box.click()
    assert box.is_selected() == dry_run
    d.find_element(By.ID, "work-plan-file").send_keys(str(path))
    button = d.find_element(By.CSS_SELECTOR, "#work-plan-form button[type=submit]")
    submit_and_wait(browser, button, label, refused_with="422" if refused else None)
    assert browser.path() == "/tasks/import", d.current_url


def row_codes(browser) -> list[str]:
    table = browser.driver.find_element(_by().ID, "work-plan-rows")
    return [td.text.strip() for td in table.find_elements(_by().CSS_SELECTOR, "tbody tr td:nth-child(2)")]


def open_work_plan_page(browser, server: str) -> None:
    """From /tasks at phone width, through the #work-plan-link."""
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    browser.open(f"{server}/tasks", "tasks")
    assert_fits_phone(browser)
    browser.set_viewport(*PHONE)
    link = d.find_element(By.ID, "work-plan-link")
    assert link.is_displayed(), "#work-plan-link is hidden at 360 px"
    assert urlsplit(link.get_attribute("href")).path == "/tasks/import"
    link.click()
    WebDriverWait(d, 20).until(lambda d: urlsplit(d.current_url).path == "/tasks/import")
    browser.page_loaded("work-plan")
    assert d.find_element(By.ID, "work-plan-dry-run").is_selected(), "the dry run is not ticked by default"


def test_the_template_link_downloads_the_template(browser, server: str) -> None:
    sign_in(browser, server, ANALYST)
    open_work_plan_page(browser, server)
    r = fetch_template(browser, server)
    assert r.status == 200, r.describe()
    assert r.content_type == "text/csv", r.describe()
    assert r.text.splitlines()[0].startswith("code,title,"), r.text[:200]
    assert [line.split(",")[0] for line in r.text.splitlines()[1:]] == TEMPLATE_CODES, r.text


def phone_overflow(browser) -> str | None:
    try:
        assert_fits_phone(browser)
    except AssertionError as e:
        return str(e).splitlines()[0]
    return None


def test_the_work_plan_page_fits_a_phone(browser, server: str, tmp_path: Path) -> None:
    """/tasks/import at 360 px, as it first opens, after a dry run, after a refusal, and in English."""
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.driver
    sign_in(browser, server, ANALYST)
    open_work_plan_page(browser, server)
    wide = [phone_overflow(browser)]
    template = download_template(browser, server, tmp_path)
    upload(browser, fresh_copy(template, tmp_path, "PHONE-"), dry_run=True, label="phone-dry-run")
    assert d.find_elements(_by().ID, "work-plan-rows")
    wide.append(phone_overflow(browser))
    upload(browser, broken_copy(template, tmp_path), dry_run=True, label="phone-refused", refused=True)
    wide.append(phone_overflow(browser))
    d.find_element(_by().ID, "lang-switch").click()
    WebDriverWait(d, 20).until(lambda d: d.execute_script("return document.documentElement.lang") == "en")
    browser.page_loaded("phone-en")
    upload(browser, broken_copy(template, tmp_path), dry_run=True, label="phone-refused-en", refused=True)
    wide.append(phone_overflow(browser))
    wide = [w for w in wide if w]
    assert not wide, "\n".join(wide)


def test_dry_run_refusal_and_import_of_the_template(browser, server: str, tmp_path: Path) -> None:
    By = _by()
    d = browser.driver
    analyst = Client(server)
    analyst.login_api(ANALYST)
    assert [api_status(analyst, c) for c in TEMPLATE_CODES] == [404, 404]

    sign_in(browser, server, ANALYST)
    open_work_plan_page(browser, server)
    assert browser.html_lang() == "vi"
    assert not d.find_elements(By.ID, "work-plan-summary")
    assert not d.find_elements(By.ID, "work-plan-problems")

    # The template, checked: two tasks would be created, none is.
    template = download_template(browser, server, tmp_path)
    upload(browser, template, dry_run=True, label="dry-run")
    summary = d.find_element(By.ID, "work-plan-summary").text
    assert "sẽ tạo 2 nhiệm vụ" in summary, summary
    assert row_codes(browser) == TEMPLATE_CODES
    assert d.find_elements(By.CSS_SELECTOR, '#work-plan-rows a[href="/tasks/VD-2027-01"]')
    assert not d.find_elements(By.ID, "work-plan-problems")
    assert d.find_element(By.ID, "work-plan-dry-run").is_selected(), "the dry run came back unticked"
    assert [api_status(analyst, c) for c in TEMPLATE_CODES] == [404, 404], "a dry run wrote tasks"

    # A broken copy: refused by line and column, nothing written.
    upload(browser, broken_copy(template, tmp_path), dry_run=True, label="refused", refused=True)
    problems = d.find_element(By.ID, "work-plan-problems").text
    assert "dòng 2, cột lead_unit" in problems, problems
    assert "dòng 3" not in problems, f"the good line 3 is refused too: {problems}"
    assert not d.find_elements(By.ID, "work-plan-summary")
    assert not d.find_elements(By.ID, "work-plan-rows")
    assert [api_status(analyst, c) for c in TEMPLATE_CODES] == [404, 404], "a refused file wrote tasks"

    # The box unticked: imported, and the page says what was written.
    upload(browser, template, dry_run=False, label="imported")
    query = parse_qs(urlsplit(d.current_url).query)
    assert query.get("created") == ["2"], d.current_url
    summary = d.find_element(By.ID, "work-plan-summary").text
    assert "Đã nhập: tạo 2 nhiệm vụ" in summary, summary
    assert not d.find_elements(By.ID, "work-plan-problems")
    assert [api_status(analyst, c) for c in TEMPLATE_CODES] == [200, 200]

    # The imported task shows its priority, technology tags and linked indicators.
    browser.open(f"{server}/tasks/VD-2027-01", "task-VD-2027-01")
    assert d.find_element(By.ID, "task-priority").text.strip()
    assert d.find_elements(By.CSS_SELECTOR, "#task-technologies .tag")
    indicator = d.find_element(By.CSS_SELECTOR, "#task-indicators a")
    assert urlsplit(indicator.get_attribute("href")).path == "/indicators/DVC_TT"
    assert indicator.text.strip()
    assert_fits_phone(browser)
    indicator.click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(d, 20).until(lambda d: urlsplit(d.current_url).path == "/indicators/DVC_TT")
    browser.page_loaded("indicator-DVC_TT")


def test_a_refused_file_reads_in_english(browser, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    sign_in(browser, server, ANALYST)
    open_work_plan_page(browser, server)
    template = download_template(browser, server, tmp_path)
    d.find_element(By.ID, "lang-switch").click()
    WebDriverWait(d, 20).until(lambda d: d.execute_script("return document.documentElement.lang") == "en")
    browser.page_loaded("work-plan-en")
    assert browser.path() == "/tasks/import", f"the language switch left the page: {d.current_url}"

    upload(browser, broken_copy(template, tmp_path), dry_run=True, label="refused-en", refused=True)
    assert browser.html_lang() == "en"
    problems = d.find_element(By.ID, "work-plan-problems").text
    assert "line 2, column lead_unit" in problems, problems
    assert "dòng" not in problems, problems


# --------------------------------------------------------------------------
# axe-core


def axe_source() -> str | None:
    named = os.environ.get("MANDATE_AXE_JS")
    if named:
        return Path(named).read_text(encoding="utf-8")
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec and spec.origin and (Path(spec.origin).parent / "axe.min.js").is_file():
        return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")
    return None


def assert_axe_clean(browser, source: str) -> None:
    """axe-core at 360 px: no violation of serious or critical impact."""
    d = browser.driver
    browser.set_viewport(*PHONE)
    try:
        d.set_script_timeout(60)
        d.execute_script(source)
        result = d.execute_async_script(
            """const done = arguments[arguments.length - 1];
               axe.run(document, {resultTypes: ['violations']})
                 .then(r => done({version: axe.version, violations: r.violations.map(v => ({
                     id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                               html: n.html.slice(0, 200),
                                               summary: n.failureSummary}))}))}))
                 .catch(e => done({error: String(e)}));"""
        )
    finally:
        browser.set_viewport(*browser.DESKTOP)
    assert "error" not in result, f"axe-core failed on {d.current_url}: {result['error']}"
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe-core {result['version']} on {d.current_url} at 360 px:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['html']}\n      {n['summary']}" for n in v["nodes"])
        for v in bad
    )


def test_work_plan_page_passes_axe_at_phone_width(browser, server: str, tmp_path: Path) -> None:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core not found: pip install --no-deps axe-playwright-python (or set MANDATE_AXE_JS)")
    By = _by()
    d = browser.driver
    sign_in(browser, server, ANALYST)
    open_work_plan_page(browser, server)
    assert_axe_clean(browser, source)
    template = download_template(browser, server, tmp_path)

    upload(browser, fresh_copy(template, tmp_path, "AXE-"), dry_run=True, label="axe-dry-run")
    assert row_codes(browser) == ["AXE-2027-01", "AXE-2027-02"]
    assert_axe_clean(browser, source)

    upload(browser, broken_copy(template, tmp_path), dry_run=True, label="axe-refused", refused=True)
    assert d.find_element(By.ID, "work-plan-problems").is_displayed()
    assert_axe_clean(browser, source)
