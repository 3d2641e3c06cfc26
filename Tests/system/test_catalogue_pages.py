"""The database catalogue's pages in headless Chromium, on a 360-px phone, in Vietnamese and English.

An anonymous reader sees the 18 demo databases, finds the population database by typing "dan cu"
without diacritics into the search form, narrows the list to the databases whose Living quality is
not met with the quality select, opens the population database and reads its four qualities, each
with its reason, and sees Hà Nội's databases on the unit's profile.

A Hà Nội reporter declares a database from the catalogue's link: a last update after today and an
ftp:// access address are refused beside their fields in the page's language, with what was typed
kept and nothing saved; corrected (the record count typed the page language's way), the entry is a
draft awaiting approval, which the unit's head approves, after which the anonymous catalogue lists
it. The writing test runs on its own server so that the reading test's count of 18 holds.

Every page must fit 360 px with no horizontal scrolling and axe-core 4.x must find no serious or
critical violation on it; those problems are gathered over a test and reported together."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from mandate_testkit import Client
from test_committee_forms import (
    assert_nothing_found,
    check_page,
    choose,
    fill,
    follow,
    unique,
    value_of,
    wait_for_path,
)
from test_task_pages import _by, sign_in
from test_work_plan_page import PHONE, submit_and_wait

REPORTER = "reporter.hanoi@demo.mandate.vn"
HEAD = "head.hanoi@demo.mandate.vn"
DEMO_DATABASES = 18
TODAY = dt.datetime.now(dt.timezone.utc).date()  # the server judges "after today" on the UTC day
NAME_VI, NAME_EN = "Cơ sở dữ liệu chiếu sáng công cộng Hà Nội", "Hanoi street lighting"
DESCRIPTION_VI = "Vị trí và tình trạng các cột đèn chiếu sáng công cộng"

TEXT = {
    "vi": {
        "summary": "Cơ sở dữ liệu {}–{} trên {}", "qualities": ["Sống", "Đủ", "Sạch", "Đúng"],
        "states": {"đạt", "chưa đạt", "chưa rõ"}, "not_met": "chưa đạt", "class": "Hạng",
        "population": "Cơ sở dữ liệu quốc gia về dân cư", "illustrative": "minh họa",
        "future": "muộn hơn hôm nay", "web_link": "đường dẫn web bắt đầu bằng https://",
        "records": "1.234.567", "saved": "Đã lưu bản nháp",
        "waiting": "Có bản nháp chờ lãnh đạo đơn vị phê duyệt", "approved": "Đã phê duyệt và công bố.",
    },
    "en": {
        "summary": "Databases {}–{} of {}", "qualities": ["Living", "Sufficient", "Clean", "Correct"],
        "states": {"met", "not met", "unknown"}, "not_met": "not met", "class": "Class",
        "population": "National Population Database", "illustrative": "illustrative",
        "future": "is after today", "web_link": "a web link starting with https://",
        "records": "1,234,567", "saved": "Draft saved",
        "waiting": "awaits the unit head's approval", "approved": "Approved and published.",
    },
}
LANGUAGES = pytest.mark.parametrize("lang", ["vi", "en"])


def on_a_phone(browser) -> None:
    """Every page is used, screenshotted and checked at 360 px (the fixture's 'desktop' size)."""
    browser.DESKTOP = PHONE
    browser.set_viewport(*PHONE)


def text_of(browser, element_id: str) -> str:
    el = browser.driver.find_element(_by().ID, element_id)
    assert el.is_displayed(), f"#{element_id} is hidden on {browser.driver.current_url}"
    return el.text.strip()


def rows(browser) -> dict[str, dict]:
    """The catalogue table: code -> name, quality texts, class, metadata points."""
    By = _by()
    out = {}
    for tr in browser.driver.find_elements(By.CSS_SELECTOR, "#catalogue-table tbody tr"):
        link = tr.find_element(By.CSS_SELECTOR, "th a")
        code = urlsplit(link.get_attribute("href")).path.removeprefix("/catalogue/")
        out[code] = {
            "name": link.text.strip(),
            "qualities": [li.text.strip() for li in tr.find_elements(By.CSS_SELECTOR, "ul.qualities li")],
            "class": tr.find_element(By.CSS_SELECTOR, "td.db-class").text.strip(),
            "points": tr.find_elements(By.CSS_SELECTOR, "td")[-1].text,
        }
    return out


def filter_catalogue(browser, label: str, *, q: str = "", quality: str = "") -> None:
    fill(browser, "catalogue-q", q)
    choose(browser, "catalogue-quality", quality)
    button = browser.driver.find_element(_by().CSS_SELECTOR, "form[role=search] button[type=submit]")
    submit_and_wait(browser, button, label)
    assert browser.path() == "/catalogue", browser.driver.current_url


@LANGUAGES
def test_the_catalogue_read_searched_and_filtered_on_a_phone(browser, server: str, lang: str) -> None:
    t = TEXT[lang]
    d = browser.driver
    found: list[str] = []
    on_a_phone(browser)
    browser.open(f"{server}/catalogue?lang={lang}", f"catalogue-{lang}")
    assert browser.html_lang() == lang
    assert text_of(browser, "catalogue-count") == t["summary"].format(1, DEMO_DATABASES, DEMO_DATABASES)
    listed = rows(browser)
    assert len(listed) == DEMO_DATABASES, sorted(listed)
    assert {"CSDLQG-DANCU", "HN-SDD", "HN-HKD"} <= set(listed), sorted(listed)
    for code, row in listed.items():
        names = [q.split(":")[0] for q in row["qualities"]]
        states = {q.split(": ", 1)[-1] for q in row["qualities"]}
        assert names == t["qualities"] and states <= t["states"], (code, row)
        assert row["class"] in ("A", "B", "C") and "/405" in row["points"], (code, row)
    assert listed["CSDLQG-DANCU"]["name"] == t["population"]
    exports = {urlsplit(a.get_attribute("href")).path for a in d.find_elements(_by().CSS_SELECTOR, "main a")}
    assert {"/open-data/catalogue.jsonld", "/open-data/catalogue.ttl"} <= exports, exports
    check_page(browser, found)

    # Without diacritics, through the form.
    filter_catalogue(browser, f"catalogue-search-{lang}", q="dan cu")
    assert parse_qs(urlsplit(d.current_url).query).get("q") == ["dan cu"], d.current_url
    assert list(rows(browser)) == ["CSDLQG-DANCU"], rows(browser)
    assert text_of(browser, "catalogue-count") == t["summary"].format(1, 1, 1)
    kept = value_of(browser, "catalogue-q")
    if kept != "dan cu":  # gathered, so that the rest is still checked
        found.append(f"{d.current_url}: the search box shows {kept!r} after searching 'dan cu'")

    # Living not met: exactly the databases the whole list shows so.
    filter_catalogue(browser, f"catalogue-living-not-met-{lang}", quality="living:not-met")
    not_living = f"{t['qualities'][0]}: {t['not_met']}"
    expected = {code for code, row in listed.items() if row["qualities"][0] == not_living}
    narrowed = rows(browser)
    assert 0 < len(narrowed) < DEMO_DATABASES, sorted(narrowed)
    assert all(row["qualities"][0] == not_living for row in narrowed.values()), narrowed
    assert set(narrowed) == expected, (sorted(narrowed), sorted(expected))
    assert text_of(browser, "catalogue-count") == t["summary"].format(1, len(expected), len(expected))
    check_page(browser, found)

    # The population database, opened from the filtered list.
    d.find_element(_by().CSS_SELECTOR, "#catalogue-table a[href='/catalogue/CSDLQG-DANCU']").click()
    wait_for_path(browser, "/catalogue/CSDLQG-DANCU", f"catalogue-dancu-{lang}")
    assert d.find_element(_by().TAG_NAME, "h1").text.strip() == t["population"]
    assert t["illustrative"] in d.find_element(_by().CSS_SELECTOR, "main .tag").text
    assert "Bộ Công an" in text_of(browser, "catalogue-facts")
    qualities = [li.text.strip() for li in d.find_elements(_by().CSS_SELECTOR, "#catalogue-qualities li")]
    assert len(qualities) == 4, qualities
    for name, shown in zip(t["qualities"], qualities):
        head, _, reason = shown.partition(" — ")
        assert head.startswith(name + ": ") and head.split(": ", 1)[1] in t["states"], shown
        assert len(reason.strip()) > 3, f"no reason given for {shown!r}"
    assert qualities[0].startswith(not_living), qualities
    assert text_of(browser, "catalogue-class").startswith(f"{t['class']}: C")
    assert "/405" in text_of(browser, "catalogue-score")
    assert d.find_elements(_by().CSS_SELECTOR, "#catalogue-history li"), "no published version listed"
    check_page(browser, found)

    # Hà Nội's profile lists its databases with their class and qualities.
    browser.open(f"{server}/units/01", f"unit-01-{lang}")
    assert browser.html_lang() == lang
    section = text_of(browser, "unit-databases")
    for code in ("HN-SDD", "HN-HKD"):
        assert code in section and f"{code} · {t['class']} " in section, section
        assert f"{t['class']} {listed[code]['class']}" in section.split(code, 1)[1], section
    assert all(name + ":" in section for name in t["qualities"]), section
    check_page(browser, found)
    assert_nothing_found(found)


# --------------------------------------------------------------------------
# Declaring a database


def field_problem(browser, name: str) -> str:
    """The problem beside the field named `name`: the field is invalid and described by it."""
    d = browser.driver
    field = d.find_element(_by().ID, "f-" + name)
    assert field.get_attribute("aria-invalid") == "true", f"{name} is not marked invalid"
    assert field.get_attribute("aria-describedby") == "p-" + name, field.get_attribute("aria-describedby")
    return text_of(browser, "p-" + name)


CHOSEN = {"level": "local", "frequency": "MONTHLY", "access": "open", "distributions[0].format": "CSV"}


def fill_entry(browser, code: str, lang: str, *, last_update: str, access_url: str) -> None:
    d = browser.driver
    for name, value in {
        "code": code, "nameVi": NAME_VI, "nameEn": NAME_EN, "descriptionVi": DESCRIPTION_VI,
        "recordCount": TEXT[lang]["records"],
        "recordCountDate": str(TODAY - dt.timedelta(days=3)), "lastUpdate": last_update,
        "distributions[0].accessURL": access_url,
    }.items():
        fill(browser, "f-" + name, value)
    for name, value in CHOSEN.items():
        choose(browser, "f-" + name, value)
    box = d.find_element(_by().CSS_SELECTOR, "#catalogue-form input[name=theme_REGI]")
    if not box.is_selected():
        box.click()


def save(browser, label: str, *, refused: bool = False) -> None:
    button = browser.driver.find_element(_by().ID, "catalogue-save")
    submit_and_wait(browser, button, label, refused_with="422" if refused else None)


@LANGUAGES
def test_a_database_refused_declared_approved_and_published(
    browser, start_server, tmp_path, lang: str
) -> None:
    t = TEXT[lang]
    d = browser.driver
    found: list[str] = []
    server = start_server(f"sqlite:{tmp_path}/m.sqlite").url
    on_a_phone(browser)
    code = unique("HN-DEN").upper()
    future, ftp = str(TODAY + dt.timedelta(days=40)), "ftp://dulieu.hanoi.gov.vn/chieu-sang.csv"

    sign_in(browser, server, REPORTER)
    browser.open(f"{server}/catalogue?lang={lang}", f"catalogue-reporter-{lang}")
    follow(browser, "catalogue-new-link", "/catalogue/new", f"catalogue-new-{lang}")
    assert browser.html_lang() == lang
    assert value_of(browser, "f-owner") == "01", "the reporter's unit is not prefilled"
    check_page(browser, found)
    fill_entry(browser, code, lang, last_update=future, access_url=ftp)
    save(browser, f"catalogue-refused-{lang}", refused=True)
    assert browser.path() == "/catalogue/new", d.current_url
    assert browser.html_lang() == lang
    assert d.find_element(_by().ID, "catalogue-problems").get_attribute("role") == "alert"
    assert text_of(browser, "catalogue-problems")
    marked = d.find_elements(_by().CSS_SELECTOR, "#catalogue-form [aria-invalid=true]")
    invalid = {e.get_attribute("name") for e in marked}
    assert invalid == {"lastUpdate", "distributions[0].accessURL"}, invalid
    assert t["future"] in field_problem(browser, "lastUpdate")
    assert t["web_link"] in field_problem(browser, "distributions[0].accessURL")
    other = TEXT["en" if lang == "vi" else "vi"]
    assert other["future"] not in text_of(browser, "main"), "a refusal reads in the other language"
    for name, typed in {
        "code": code, "lastUpdate": future, "distributions[0].accessURL": ftp, "recordCount": t["records"],
        "descriptionVi": DESCRIPTION_VI, **CHOSEN,
    }.items():
        assert value_of(browser, "f-" + name) == typed, f"{name}: what was typed is lost"
    assert d.find_element(_by().CSS_SELECTOR, "input[name=theme_REGI]").is_selected(), "the theme ticked is lost"
    assert Client(server).get(f"/catalogue/{code}").status == 404, "a refused entry was saved"
    check_page(browser, found)

    good = str(TODAY - dt.timedelta(days=2))
    fill_entry(browser, code, lang, last_update=good, access_url="https://dulieu.hanoi.gov.vn/chieu-sang")
    save(browser, f"catalogue-saved-{lang}")
    assert browser.path() == f"/catalogue/{code}", d.current_url
    assert parse_qs(urlsplit(d.current_url).query).get("done") == ["saved"], d.current_url
    assert text_of(browser, "catalogue-notice").startswith(t["saved"])
    assert t["waiting"] in text_of(browser, "catalogue-draft")
    assert not d.find_elements(_by().ID, "catalogue-approve"), "a reporter may approve"
    assert f"{t['records']} " in text_of(browser, "catalogue-facts"), "the record count typed is not read back"
    check_page(browser, found)
    assert code not in Client(server).get("/catalogue").text, "a draft is public"

    sign_in(browser, server, HEAD)
    browser.open(f"{server}/catalogue/{code}?lang={lang}", f"catalogue-draft-head-{lang}")
    assert t["waiting"] in text_of(browser, "catalogue-draft")
    submit_and_wait(browser, d.find_element(_by().ID, "catalogue-approve"), f"catalogue-approved-{lang}")
    assert browser.path() == f"/catalogue/{code}", d.current_url
    assert text_of(browser, "catalogue-notice") == t["approved"]
    assert not d.find_elements(_by().ID, "catalogue-draft")
    check_page(browser, found)

    d.delete_all_cookies()
    browser.open(f"{server}/catalogue?lang={lang}", f"catalogue-published-{lang}")
    total = DEMO_DATABASES + 1
    assert text_of(browser, "catalogue-count") == t["summary"].format(1, total, total)
    listed = rows(browser)
    assert code in listed, sorted(listed)
    assert listed[code]["name"] == (NAME_EN if lang == "en" else NAME_VI), listed[code]
    assert_nothing_found(found)


# --------------------------------------------------------------------------
# The committee's pages and the import page

ANALYST = "analyst@demo.mandate.vn"
COMMITTEE_TEXT = {
    "vi": {"sampled": "1.200.000", "expected": "2.000.000", "audited": "Đã ghi lần kiểm tra.",
           "expected_saved": "Đã lưu số bản ghi kỳ vọng.", "expectations_saved": "Đã lưu yêu cầu.",
           "future": "muộn hơn hôm nay", "whole": "số", "line": "dòng", "would": "Tệp hợp lệ: 1 cơ sở dữ liệu",
           "saved": "Đã lưu 1 cơ sở dữ liệu", "correct_met": "Đúng: đạt"},
    "en": {"sampled": "1,200,000", "expected": "2,000,000", "audited": "Audit recorded.",
           "expected_saved": "Expected record count saved.", "expectations_saved": "Expectations saved.",
           "future": "is after today", "whole": "number", "line": "line", "would": "The file is correct: 1 databases",
           "saved": "1 databases saved as drafts", "correct_met": "Correct: met"},
}


def invalid_fields(browser, form_id: str) -> set[str]:
    marked = browser.driver.find_elements(_by().CSS_SELECTOR, f"#{form_id} [aria-invalid=true]")
    return {e.get_attribute("name") for e in marked}


def import_file(tmp_path, name: str, rows: list[dict]) -> str:
    """A CSV file in the columns of the demo's catalogue file, each row the first Hà Nội one with changes."""
    import csv
    import io

    from test_catalogue import DEMO_CSV

    with open(DEMO_CSV, newline="", encoding="utf-8") as f:
        demo = list(csv.DictReader(f))
    columns = [c for c in demo[0] if c != "expected_records"]
    model = next(r for r in demo if r["owner"] == "01")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for changes in rows:
        w.writerow({**model, **changes})
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


@LANGUAGES
def test_the_committee_audits_and_declares_expectations_and_a_unit_imports_a_file(
    browser, start_server, tmp_path, lang: str
) -> None:
    t = TEXT[lang] | COMMITTEE_TEXT[lang]
    d = browser.driver
    By = _by()
    found: list[str] = []
    server = start_server(f"sqlite:{tmp_path}/m.sqlite").url
    on_a_phone(browser)

    # An analyst audits a database: refused beside its fields first, then recorded.
    sign_in(browser, server, ANALYST)
    browser.open(f"{server}/catalogue/HN-SDD?lang={lang}", f"audit-entry-{lang}")
    follow(browser, "catalogue-audit-link", "/catalogue/HN-SDD/audit", f"audit-page-{lang}")
    check_page(browser, found)
    fill(browser, "f-auditedOn", str(TODAY + dt.timedelta(days=3)))
    fill(browser, "f-sampled", t["sampled"])
    fill(browser, "f-wrong", "nhiều")
    fill(browser, "f-findings", "Mẫu lấy từ sổ địa chính")
    save_button = d.find_element(By.ID, "catalogue-audit-save")
    submit_and_wait(browser, save_button, f"audit-refused-{lang}", refused_with="422")
    assert browser.path() == "/catalogue/HN-SDD/audit", d.current_url
    assert invalid_fields(browser, "catalogue-audit-form") == {"auditedOn", "wrong"}
    assert t["future"] in text_of(browser, "p-auditedOn")
    assert text_of(browser, "p-passed"), "the missing outcome is not named"
    assert value_of(browser, "f-sampled") == t["sampled"] and value_of(browser, "f-wrong") == "nhiều"
    assert Client(server).get("/api/v1/catalogue/HN-SDD").json().get("audit") is None, "a refused audit was kept"
    check_page(browser, found)

    fill(browser, "f-auditedOn", str(TODAY - dt.timedelta(days=1)))
    fill(browser, "f-wrong", "3")
    d.find_element(By.CSS_SELECTOR, "input[name=passed][value=yes]").click()
    submit_and_wait(browser, d.find_element(By.ID, "catalogue-audit-save"), f"audit-recorded-{lang}")
    assert browser.path() == "/catalogue/HN-SDD", d.current_url
    assert text_of(browser, "catalogue-notice") == t["audited"]
    assert any(li.startswith(t["correct_met"]) for li in text_of(browser, "catalogue-qualities").splitlines())
    audit = Client(server).get("/api/v1/catalogue/HN-SDD").json()["audit"]
    assert (audit["sampled"], audit["wrong"], audit["passed"]) == (1_200_000, 3, True), audit

    follow(browser, "catalogue-audit-link", "/catalogue/HN-SDD/audit", f"expected-page-{lang}")
    assert "1200000" in text_of(browser, "catalogue-audit-latest").replace(".", "").replace(",", "")
    fill(browser, "f-expected", t["expected"])
    submit_and_wait(browser, d.find_element(By.ID, "catalogue-expected-save"), f"expected-saved-{lang}")
    assert text_of(browser, "catalogue-notice") == t["expected_saved"]
    assert Client(server).get("/api/v1/catalogue/HN-SDD").json()["expectedRecords"] == 2_000_000

    # The analyst declares what each province is expected to keep, and of Hà Nội.
    browser.open(f"{server}/catalogue?lang={lang}", f"catalogue-analyst-{lang}")
    follow(browser, "catalogue-expectations-link", "/catalogue/expectations", f"expectations-{lang}")
    check_page(browser, found)
    fill(browser, "f-kind_province", "ba")
    fill(browser, "f-units", "01: 5\nkhông có số")
    submit_and_wait(browser, d.find_element(By.ID, "catalogue-expectations-save"), f"expectations-refused-{lang}",
                    refused_with="422")
    assert invalid_fields(browser, "catalogue-expectations-form") == {"kind_province", "units"}
    assert t["line"] in text_of(browser, "p-units")
    assert value_of(browser, "f-kind_province") == "ba"
    check_page(browser, found)
    fill(browser, "f-kind_province", "3")
    fill(browser, "f-units", "01: 5")
    submit_and_wait(browser, d.find_element(By.ID, "catalogue-expectations-save"), f"expectations-saved-{lang}")
    assert text_of(browser, "catalogue-expectations-notice") == t["expectations_saved"]
    declared = Client(server).get("/api/v1/catalogueExpectations").json()
    assert declared["byKind"].get("province") == 3 and declared["byUnit"] == {"01": 5}, declared

    # A reporter may not audit; a reporter imports a file: refused whole, checked, then saved.
    sign_in(browser, server, REPORTER)
    browser.open(f"{server}/catalogue/HN-SDD?lang={lang}", f"entry-reporter-{lang}")
    assert not d.find_elements(By.ID, "catalogue-audit-link"), "a reporter is offered the audit"
    assert Client(server).get("/catalogue/HN-SDD/audit").status in (401, 303, 302), "the audit page is open"
    browser.open(f"{server}/catalogue?lang={lang}", f"catalogue-reporter-{lang}")
    follow(browser, "catalogue-import-link", "/catalogue/import", f"import-{lang}")
    check_page(browser, found)
    good, bad = unique("HN-NHAP").upper(), unique("HN-NHAP").upper()
    d.find_element(By.ID, "catalogue-import-file").send_keys(
        import_file(tmp_path, "bad.csv", [{"code": good}, {"code": bad, "themes": "NOPE"}]))
    submit_and_wait(browser, d.find_element(By.ID, "catalogue-import-submit"), f"import-refused-{lang}",
                    refused_with="422")
    problems = text_of(browser, "catalogue-import-problems")
    assert t["line"] in problems.lower() and "3" in problems, problems
    assert Client(server).get(f"/api/v1/catalogue/{good}").status == 404
    check_page(browser, found)

    d.find_element(By.ID, "catalogue-import-file").send_keys(import_file(tmp_path, "good.csv", [{"code": good}]))
    assert d.find_element(By.ID, "catalogue-import-dry-run").is_selected(), "a check is not the default"
    submit_and_wait(browser, d.find_element(By.ID, "catalogue-import-submit"), f"import-checked-{lang}")
    assert text_of(browser, "catalogue-import-summary").startswith(t["would"])
    assert good in text_of(browser, "catalogue-import-rows")
    check_page(browser, found)
    d.find_element(By.ID, "catalogue-import-file").send_keys(import_file(tmp_path, "good.csv", [{"code": good}]))
    d.find_element(By.ID, "catalogue-import-dry-run").click()
    submit_and_wait(browser, d.find_element(By.ID, "catalogue-import-submit"), f"import-saved-{lang}")
    assert browser.path() == "/catalogue/import", d.current_url
    assert text_of(browser, "catalogue-import-summary").startswith(t["saved"])
    mine = d.execute_script(
        "return fetch(arguments[0], {headers: {Accept: 'application/json'}}).then(r => r.json())",
        f"/api/v1/catalogue/{good}")
    assert (mine.get("draft") or {}).get("code") == good, mine
    assert_nothing_found(found)
