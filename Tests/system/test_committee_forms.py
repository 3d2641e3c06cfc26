"""The committee's server-rendered forms in headless Chromium: programmes (committee roles),
partner units (administrators) and indicators (committee roles). Each is reached from its list
page's link (absent for an anonymous reader), refused with every problem named in Vietnamese and
what was typed kept, then saved and shown on its page; a programme is edited and archived, an
indicator's target typed the Vietnamese way ("75,5") reads back through the API as 75.5. After
the language switch, a refusal reads in English.

Every form page (new, edit, and each after a refused submit) must fit a 360-px phone with no
horizontal scrolling, and axe-core 4.x (axe-playwright-python's axe.min.js, or MANDATE_AXE_JS)
must find no serious or critical violation on it; those problems are gathered over a test and
reported together. Every page visited is screenshotted and must log no console errors but the
422 a refused form is answered with.

Codes are unique per test run (a random suffix), so the tests do not depend on their order."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from mandate_testkit import Client
from test_task_pages import _by, sign_in
from test_work_plan_page import (
    PHONE,
    assert_axe_clean,
    axe_source,
    phone_overflow,
    submit_and_wait,
)

ANALYST = "analyst@demo.mandate.vn"
ADMIN = "admin@demo.mandate.vn"

AXE = axe_source()


def unique(prefix: str) -> str:
    """A code no other test (nor an earlier run on the same server) uses: PREFIX-1A2B3C."""
    return f"{prefix}-{uuid.uuid4().hex[:6].upper()}"


# --------------------------------------------------------------------------
# Helpers


def wait_for_path(browser, path: str, label: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.driver
    WebDriverWait(d, 20).until(lambda d: urlsplit(d.current_url).path == path)
    browser.page_loaded(label)


def follow(browser, link_id: str, path: str, label: str) -> None:
    """Clicks the link #link_id (which must point at path and be visible at 360 px) and waits for it."""
    d = browser.driver
    browser.set_viewport(*PHONE)
    try:
        link = d.find_element(_by().ID, link_id)
        assert link.is_displayed(), f"#{link_id} is hidden at 360 px on {d.current_url}"
        assert urlsplit(link.get_attribute("href")).path == path, link.get_attribute("href")
    finally:
        browser.set_viewport(*browser.DESKTOP)
    link.click()
    wait_for_path(browser, path, label)


def fill(browser, element_id: str, text: str) -> None:
    el = browser.driver.find_element(_by().ID, element_id)
    el.clear()
    if text:
        el.send_keys(text)


def set_date(browser, element_id: str, iso: str) -> None:
    """A date input's value (yyyy-mm-dd). Chromium's date field takes typed digits in the order of
    its locale, so the value is set the way the picker sets it (value, then input and change)."""
    d = browser.driver
    el = d.find_element(_by().ID, element_id)
    d.execute_script(
        """const [el, v] = arguments; el.value = v;
           el.dispatchEvent(new Event('input', {bubbles: true}));
           el.dispatchEvent(new Event('change', {bubbles: true}));""",
        el,
        iso,
    )
    assert el.get_attribute("value") == iso, el.get_attribute("value")


def choose(browser, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.driver.find_element(_by().ID, element_id)).select_by_value(value)


def value_of(browser, element_id: str) -> str:
    return browser.driver.find_element(_by().ID, element_id).get_attribute("value")


def submit(browser, form_id: str, label: str, *, refused: bool = False) -> None:
    """Submits #form_id with its submit button; a refusal is answered 422 (and the browser logs that)."""
    d = browser.driver
    button = d.find_element(_by().CSS_SELECTOR, f"#{form_id} button[type=submit]")
    valid = d.execute_script("return arguments[0].checkValidity()", d.find_element(_by().ID, form_id))
    assert valid, f"the browser itself refuses #{form_id}: the submit would not reach the server"
    submit_and_wait(browser, button, label, refused_with="422" if refused else None)


def problems_of(browser, box_id: str) -> list[str]:
    box = browser.driver.find_element(_by().ID, box_id)
    assert box.is_displayed(), f"#{box_id} is hidden"
    assert box.get_attribute("role") == "alert", f"#{box_id} is not announced (role={box.get_attribute('role')})"
    return [li.text.strip() for li in box.find_elements(_by().CSS_SELECTOR, "li")]


def switch_to_english(browser, label: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.driver
    before = browser.path()
    d.find_element(_by().ID, "lang-switch").click()
    WebDriverWait(d, 20).until(lambda d: d.execute_script("return document.documentElement.lang") == "en")
    browser.page_loaded(label)
    assert browser.path() == before, f"the language switch left {before}: {d.current_url}"


def check_page(browser, found: list[str]) -> None:
    """The page fits 360 px and axe-core finds nothing serious on it; what fails is added to found."""
    where = browser.driver.current_url
    wide = phone_overflow(browser)
    if wide:
        found.append(wide)
    if AXE is not None:
        try:
            assert_axe_clean(browser, AXE)
        except AssertionError as e:
            found.append(str(e))
    assert browser.driver.current_url == where


def assert_nothing_found(found: list[str]) -> None:
    assert not found, "\n\n".join(found)


def test_axe_core_is_available() -> None:
    """The form tests check accessibility only where axe-core is found; say so when it is not."""
    if AXE is None:
        pytest.skip("axe-core not found: pip install --no-deps axe-playwright-python (or set MANDATE_AXE_JS)")
    assert "axe.run" in AXE or "axe" in AXE


# --------------------------------------------------------------------------
# Programmes


def open_new_programme(browser, server: str) -> None:
    sign_in(browser, server, ANALYST)
    browser.open(f"{server}/programmes", "programmes")
    assert browser.driver.find_elements(_by().ID, "programme-list")
    follow(browser, "programme-new-link", "/programmes/new", "programme-new")
    assert browser.driver.find_elements(_by().ID, "programme-form")
    assert not browser.driver.find_elements(_by().ID, "programme-problems")


def fill_programme(browser, code: str, *, start: str, end: str, orientations: str) -> None:
    fill(browser, "programme-code", code)
    fill(browser, "programme-name-vi", "Chương trình chuyển đổi số thử nghiệm")
    fill(browser, "programme-name-en", "Pilot digital transformation programme")
    fill(browser, "programme-basis-title", "Quyết định của Thủ tướng Chính phủ")
    fill(browser, "programme-basis-number", "749/QĐ-TTg")
    set_date(browser, "programme-basis-date", "2020-06-03")
    fill(browser, "programme-start-year", start)
    fill(browser, "programme-end-year", end)
    fill(browser, "programme-orientations", orientations)


BAD_ORIENTATIONS = "1 | Hạ tầng số | Digital infrastructure\nhai là dữ liệu"
GOOD_ORIENTATIONS = "1 | Hạ tầng số | Digital infrastructure\n2 | Dữ liệu số | Digital data"


def test_the_programme_list_links_the_form_for_the_committee_only(browser, server: str) -> None:
    d = browser.driver
    browser.open(f"{server}/programmes", "programmes-anonymous")
    assert d.find_elements(_by().CSS_SELECTOR, "#programme-list li"), "no programme listed"
    assert not d.find_elements(_by().ID, "programme-new-link"), "an anonymous reader is offered the form"
    sign_in(browser, server, ANALYST)
    browser.open(f"{server}/programmes", "programmes-analyst")
    assert d.find_elements(_by().ID, "programme-new-link"), "the analyst is not offered the form"


def test_a_programme_refused_defined_edited_and_archived(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    found: list[str] = []
    code = unique("CT")
    open_new_programme(browser, server)
    assert browser.html_lang() == "vi"
    check_page(browser, found)

    # Refused: the last year before the first, and line 2 of the orientations malformed.
    fill_programme(browser, code, start="2026", end="2025", orientations=BAD_ORIENTATIONS)
    submit(browser, "programme-form", "programme-refused", refused=True)
    assert browser.path() == "/programmes/new", d.current_url
    problems = problems_of(browser, "programme-problems")
    text = "\n".join(problems)
    assert any("năm kết thúc trước năm bắt đầu" in p and p.startswith("endYear") for p in problems), text
    assert any("dòng 2: hãy viết" in p and p.startswith("orientations") for p in problems), text
    assert "dòng 1" not in text, f"the good line 1 is refused too: {text}"
    # What was typed is kept.
    assert value_of(browser, "programme-code") == code
    assert value_of(browser, "programme-name-vi") == "Chương trình chuyển đổi số thử nghiệm"
    assert value_of(browser, "programme-basis-number") == "749/QĐ-TTg"
    assert value_of(browser, "programme-basis-date") == "2020-06-03"
    assert value_of(browser, "programme-start-year") == "2026"
    assert value_of(browser, "programme-end-year") == "2025"
    assert value_of(browser, "programme-orientations") == BAD_ORIENTATIONS
    assert Client(server).get(f"/api/v1/programmes/{code}").status == 404, "a refused form wrote the programme"
    check_page(browser, found)

    # Corrected: defined, and its page says so.
    fill_programme(browser, code, start="2025", end="2030", orientations=GOOD_ORIENTATIONS)
    submit(browser, "programme-form", "programme-created")
    assert browser.path() == f"/programmes/{code}", d.current_url
    assert parse_qs(urlsplit(d.current_url).query).get("done") == ["created"], d.current_url
    assert d.find_element(By.ID, "programme-notice").text.strip()
    basis = d.find_element(By.ID, "programme-basis").text
    assert "749/QĐ-TTg" in basis and "Quyết định của Thủ tướng Chính phủ" in basis, basis
    assert d.find_element(By.ID, "programme-years").text.strip() == "2025–2030"
    orientations = [li.text for li in d.find_elements(By.CSS_SELECTOR, "#programme-orientations li")]
    assert len(orientations) == 2, orientations
    assert "Hạ tầng số" in orientations[0] and "Dữ liệu số" in orientations[1], orientations
    assert not d.find_elements(By.ID, "programme-archived")

    # The edit form, filled with what was saved; a refused edit keeps its page.
    follow(browser, "programme-edit-link", f"/programmes/{code}/edit", "programme-edit")
    assert not d.find_elements(By.ID, "programme-code"), "the code is editable"
    assert value_of(browser, "programme-name-en") == "Pilot digital transformation programme"
    assert value_of(browser, "programme-basis-date") == "2020-06-03"
    assert value_of(browser, "programme-orientations") == GOOD_ORIENTATIONS
    check_page(browser, found)
    fill(browser, "programme-end-year", "2024")
    submit(browser, "programme-form", "programme-edit-refused", refused=True)
    assert browser.path() == f"/programmes/{code}/edit", d.current_url
    assert any(p.startswith("endYear") for p in problems_of(browser, "programme-problems"))
    assert value_of(browser, "programme-end-year") == "2024"
    check_page(browser, found)

    # Archived from its page.
    browser.open(f"{server}/programmes/{code}", "programme-page")
    archive = d.find_element(By.CSS_SELECTOR, "#programme-archive-form button[type=submit]")
    submit_and_wait(browser, archive, "programme-archived")
    assert browser.path() == f"/programmes/{code}", d.current_url
    assert parse_qs(urlsplit(d.current_url).query).get("done") == ["archived"], d.current_url
    assert d.find_element(By.ID, "programme-archived").is_displayed()
    r = Client(server).get(f"/api/v1/programmes/{code}")
    assert r.status == 200, r.describe()
    assert r.json().get("archivedAt"), r.describe()

    assert_nothing_found(found)


def test_a_refused_programme_reads_in_english(browser, server: str) -> None:
    d = browser.driver
    found: list[str] = []
    open_new_programme(browser, server)
    switch_to_english(browser, "programme-new-en")
    check_page(browser, found)
    fill_programme(browser, unique("CT-EN"), start="2026", end="2025", orientations=BAD_ORIENTATIONS)
    submit(browser, "programme-form", "programme-refused-en", refused=True)
    assert browser.html_lang() == "en"
    text = "\n".join(problems_of(browser, "programme-problems"))
    assert "endYear: the last year is before the first" in text, text
    assert "orientations: line 2: write" in text, text
    assert "dòng" not in text and "năm" not in text, text
    assert d.find_element(_by().ID, "programme-form").get_attribute("action").endswith("/programmes/new")
    check_page(browser, found)
    assert_nothing_found(found)


# --------------------------------------------------------------------------
# Partners


def open_new_partner(browser, server: str) -> None:
    sign_in(browser, server, ADMIN)
    browser.open(f"{server}/units", "units-admin")
    follow(browser, "partner-new-link", "/partners/new", "partner-new")
    assert browser.driver.find_elements(_by().ID, "partner-form")
    assert not browser.driver.find_elements(_by().ID, "partner-problems")


def test_a_partner_refused_then_added(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    found: list[str] = []
    browser.open(f"{server}/units", "units-anonymous")
    assert not d.find_elements(By.ID, "partner-new-link"), "an anonymous reader is offered the partner form"

    code = unique("VNC")
    open_new_partner(browser, server)
    check_page(browser, found)

    # Refused: a name of spaces only (the browser's `required` lets it through; the server does not).
    fill(browser, "partner-code", code)
    choose(browser, "partner-type", "institute")
    fill(browser, "partner-name", "   ")
    fill(browser, "partner-short-name", "VNCCS")
    fill(browser, "partner-name-en", "Institute for Digital Policy")
    submit(browser, "partner-form", "partner-refused", refused=True)
    assert browser.path() == "/partners/new", d.current_url
    problems = problems_of(browser, "partner-problems")
    assert any(p.startswith("name") and "tên có 1 đến 300 ký tự" in p for p in problems), problems
    assert value_of(browser, "partner-code") == code
    assert value_of(browser, "partner-type") == "institute"
    assert value_of(browser, "partner-short-name") == "VNCCS"
    assert value_of(browser, "partner-name-en") == "Institute for Digital Policy"
    assert Client(server).get(f"/api/v1/units/{code}").status == 404, "a refused form wrote the partner"
    check_page(browser, found)

    # Added: its unit page shows the kind of partner and the edit link.
    fill(browser, "partner-name", "Viện Chính sách số")
    submit(browser, "partner-form", "partner-added")
    assert browser.path() == f"/units/{code}", d.current_url
    assert d.find_element(By.TAG_NAME, "h1").text.strip() == "Viện Chính sách số"
    facts = d.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "Viện nghiên cứu" in facts, facts
    follow(browser, "partner-edit-link", f"/partners/{code}/edit", "partner-edit")
    assert value_of(browser, "partner-type") == "institute"
    assert value_of(browser, "partner-name") == "Viện Chính sách số"
    check_page(browser, found)

    assert_nothing_found(found)


def test_a_refused_partner_reads_in_english(browser, server: str) -> None:
    found: list[str] = []
    open_new_partner(browser, server)
    switch_to_english(browser, "partner-new-en")
    check_page(browser, found)
    fill(browser, "partner-code", unique("VNC-EN"))
    choose(browser, "partner-type", "university")
    fill(browser, "partner-name", "   ")
    submit(browser, "partner-form", "partner-refused-en", refused=True)
    assert browser.html_lang() == "en"
    text = "\n".join(problems_of(browser, "partner-problems"))
    assert "name: a name has 1 to 300 characters" in text, text
    assert "tên" not in text, text
    check_page(browser, found)
    assert_nothing_found(found)


# --------------------------------------------------------------------------
# Indicators


def open_new_indicator(browser, server: str) -> None:
    sign_in(browser, server, ANALYST)
    browser.open(f"{server}/indicators", "indicators-analyst")
    follow(browser, "indicator-new-link", "/indicators/new", "indicator-new")
    assert browser.driver.find_elements(_by().ID, "indicator-form")
    assert not browser.driver.find_elements(_by().ID, "indicator-problems")


def kind_boxes(browser) -> dict[str, object]:
    boxes = browser.driver.find_elements(_by().CSS_SELECTOR, "#indicator-form input[type=checkbox][name=appliesTo]")
    return {b.get_attribute("value"): b for b in boxes}


def tick_only(browser, kinds: set[str]) -> None:
    for value, box in kind_boxes(browser).items():
        if box.is_selected() != (value in kinds):
            box.click()
    assert {v for v, b in kind_boxes(browser).items() if b.is_selected()} == kinds


def fill_indicator(browser, code: str, *, targets: str, kinds: set[str]) -> None:
    fill(browser, "indicator-code", code)
    fill(browser, "indicator-name-vi", "Tỷ lệ hồ sơ trực tuyến toàn trình")
    fill(browser, "indicator-name-en", "Share of applications fully online")
    fill(browser, "indicator-uom", "%")
    choose(browser, "indicator-value-type", "percent")
    choose(browser, "indicator-direction", "higher")
    choose(browser, "indicator-frequency", "yearly")
    choose(browser, "indicator-rollup", "mean")
    tick_only(browser, kinds)
    fill(browser, "indicator-targets", targets)


def test_indicator_list_links_the_form_for_the_committee_only(browser, server: str) -> None:
    browser.open(f"{server}/indicators", "indicators-anonymous")
    assert not browser.driver.find_elements(_by().ID, "indicator-new-link"), "an anonymous reader is offered the form"
    sign_in(browser, server, ANALYST)
    browser.open(f"{server}/indicators", "indicators-analyst")
    assert browser.driver.find_elements(_by().ID, "indicator-new-link"), "the analyst is not offered the form"


def test_an_indicator_refused_then_defined(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    found: list[str] = []
    code = unique("TL_TT")
    open_new_indicator(browser, server)
    assert kind_boxes(browser), "the form offers no reporting unit kind"
    check_page(browser, found)

    # Refused: a percentage target of 120, and no reporting unit kind ticked.
    fill_indicator(browser, code, targets="2030 | 120", kinds=set())
    submit(browser, "indicator-form", "indicator-refused", refused=True)
    assert browser.path() == "/indicators/new", d.current_url
    problems = problems_of(browser, "indicator-problems")
    text = "\n".join(problems)
    assert any(p.startswith("targets") and "tỷ lệ phần trăm từ 0 đến 100" in p for p in problems), text
    assert any(p.startswith("appliesTo") and "chọn ít nhất một loại đơn vị báo cáo" in p for p in problems), text
    assert value_of(browser, "indicator-code") == code
    assert value_of(browser, "indicator-name-vi") == "Tỷ lệ hồ sơ trực tuyến toàn trình"
    assert value_of(browser, "indicator-value-type") == "percent"
    assert value_of(browser, "indicator-rollup") == "mean"
    assert value_of(browser, "indicator-targets") == "2030 | 120"
    assert not [v for v, b in kind_boxes(browser).items() if b.is_selected()]
    assert Client(server).get(f"/api/v1/indicators/{code}").status == 404, "a refused form wrote the indicator"
    check_page(browser, found)

    # Defined, the target typed the Vietnamese way.
    fill_indicator(browser, code, targets="2030 | 75,5", kinds={"province"})
    submit(browser, "indicator-form", "indicator-defined")
    assert browser.path() == f"/indicators/{code}", d.current_url
    assert d.find_elements(By.ID, "indicator-edit-link")
    r = Client(server).get(f"/api/v1/indicators/{code}")
    assert r.status == 200, r.describe()
    body = r.json()
    indicator = body.get("indicator", body)
    assert indicator["targets"] == [{"year": 2030, "value": 75.5}], r.describe()
    assert indicator["valueType"] == "percent", r.describe()
    assert indicator["appliesTo"] == ["province"], r.describe()

    # The edit form writes the target back the page's way.
    follow(browser, "indicator-edit-link", f"/indicators/{code}/edit", "indicator-edit")
    assert not d.find_elements(By.ID, "indicator-code"), "the code is editable"
    assert value_of(browser, "indicator-targets") == "2030 | 75,5"
    check_page(browser, found)

    assert_nothing_found(found)


def test_a_refused_indicator_reads_in_english(browser, server: str) -> None:
    found: list[str] = []
    open_new_indicator(browser, server)
    switch_to_english(browser, "indicator-new-en")
    check_page(browser, found)
    fill_indicator(browser, unique("TL_EN"), targets="2030 | 120", kinds=set())
    submit(browser, "indicator-form", "indicator-refused-en", refused=True)
    assert browser.html_lang() == "en"
    text = "\n".join(problems_of(browser, "indicator-problems"))
    assert "targets: 2030: a percentage is between 0 and 100" in text, text
    assert "appliesTo: name at least one unit kind" in text, text
    assert "tỷ lệ" not in text and "chọn" not in text, text
    check_page(browser, found)
    assert_nothing_found(found)
