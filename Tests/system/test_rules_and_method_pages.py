"""The committee's rules page and ranking method editor in headless Chromium.

Rules: an indicator defined for the test has its rules page reached from the indicator's page;
a range whose maximum is below its minimum is refused in Vietnamese with what was typed kept;
the corrected rule (limits typed the Vietnamese way) is listed and served by the API; after the
language switch, a refusal reads in English.

Ranking method editor: a new method is written field by field on a blank form, from the
rankings page's editor link. A weight typed the English way on the Vietnamese page is refused
beside its field (announced, with what was typed kept); a second pillar added in the blank slot
is previewed for a period, with each weight's share and the ranking it would give; saved, it is
served by the API as version 1 with exactly the typed figures; edited again, in English, a
weight typed the Vietnamese way is refused in English.

Every page must fit a 360-px phone with no horizontal scrolling, and axe-core 4.x must find no
serious or critical violation on it (gathered over a test and reported together). Codes are
unique per run, so the tests do not depend on their order or on each other."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from mandate_testkit import Client
from test_committee_forms import (
    ANALYST,
    assert_nothing_found,
    check_page,
    choose,
    fill,
    follow,
    problems_of,
    submit,
    switch_to_english,
    unique,
    value_of,
    wait_for_path,
)
from test_task_pages import _by, sign_in
from test_work_plan_page import submit_and_wait

PASSWORD = "mandate-demo"


def define_indicator(server: str) -> str:
    """A fresh percentage indicator for provinces, through the API; its code."""
    code = unique("TL_RULE")
    analyst = Client(server)
    csrf = analyst.login_api(ANALYST, PASSWORD)
    r = analyst.post(
        "/api/v1/indicators",
        json={
            "code": code, "nameVi": "Tỷ lệ thử quy tắc", "nameEn": "Rule test share", "unitOfMeasure": "%",
            "valueType": "percent", "direction": "higher", "frequency": "yearly", "appliesTo": ["province"],
            "rollup": {"method": "mean"}, "targets": [],
        },
        csrf=csrf,
    )
    assert r.status == 201, r.describe()
    return code


def open_rules(browser, server: str, code: str) -> None:
    sign_in(browser, server, ANALYST)
    browser.open(f"{server}/indicators/{code}", "indicator-page")
    follow(browser, "indicator-rules-link", f"/indicators/{code}/rules", "rules-page")
    assert browser.driver.find_elements(_by().ID, "rule-form")
    assert browser.driver.find_elements(_by().ID, "rules-none"), "a fresh indicator shows rules"


def fill_range(browser, code: str, minimum: str, maximum: str) -> None:
    fill(browser, "rule-code", code)
    choose(browser, "rule-kind", "range")
    fill(browser, "rule-minimum", minimum)
    fill(browser, "rule-maximum", maximum)
    fill(browser, "rule-message", "Tỷ lệ phải nằm trong khoảng hợp lý")


def rules_of(server: str, indicator: str) -> list[dict]:
    r = Client(server).get("/api/v1/validationRules")
    assert r.status == 200, r.describe()
    body = r.json()
    items = body.get("rules", body.get("items", body)) if isinstance(body, dict) else body
    return [rule for rule in items if rule.get("indicator") == indicator]


def test_a_rule_refused_then_kept(browser, server: str) -> None:
    d = browser.driver
    found: list[str] = []
    indicator = define_indicator(server)
    open_rules(browser, server, indicator)
    check_page(browser, found)

    rule = unique("R_RANGE")
    fill_range(browser, rule, "80", "20,5")
    submit(browser, "rule-form", "rule-refused", refused=True)
    assert browser.path() == f"/indicators/{indicator}/rules", d.current_url
    problems = problems_of(browser, "rule-problems")
    assert any(p.startswith("maximum") and "giá trị lớn nhất nhỏ hơn giá trị nhỏ nhất" in p for p in problems), problems
    assert value_of(browser, "rule-code") == rule
    assert value_of(browser, "rule-minimum") == "80"
    assert value_of(browser, "rule-maximum") == "20,5"
    assert not rules_of(server, indicator), "a refused rule was written"
    check_page(browser, found)

    fill_range(browser, rule, "0,5", "99,5")
    submit(browser, "rule-form", "rule-saved")
    assert browser.path() == f"/indicators/{indicator}/rules", d.current_url
    listed = d.find_element(_by().ID, "rules-list").text
    assert rule in listed, listed
    kept = rules_of(server, indicator)
    assert [(r["code"], r.get("minimum"), r.get("maximum")) for r in kept] == [(rule, 0.5, 99.5)], kept
    check_page(browser, found)
    assert_nothing_found(found)


def test_a_refused_rule_reads_in_english(browser, server: str) -> None:
    found: list[str] = []
    indicator = define_indicator(server)
    open_rules(browser, server, indicator)
    switch_to_english(browser, "rules-page-en")
    check_page(browser, found)
    fill_range(browser, unique("R_EN"), "80", "20.5")
    submit(browser, "rule-form", "rule-refused-en", refused=True)
    assert browser.html_lang() == "en"
    text = "\n".join(problems_of(browser, "rule-problems"))
    assert "maximum: the maximum is below the minimum" in text, text
    assert "giá trị" not in text, text
    check_page(browser, found)
    assert_nothing_found(found)


# --------------------------------------------------------------------------
# The ranking method editor


def field_id(name: str) -> str:
    """The id the editor gives the field named `name` (`pillars[0].weight` -> m-pillars-0--weight)."""
    return "m-" + "".join(c if c.isalnum() else "-" for c in name)


def put(browser, name: str, text: str) -> None:
    fill(browser, field_id(name), text)


def press(browser, form_id: str, action: str, label: str, *, refused: bool = False) -> None:
    d = browser.driver
    button = d.find_element(_by().CSS_SELECTOR, f"#{form_id} button[name=action][value={action}]")
    submit_and_wait(browser, button, label, refused_with="422" if refused else None)


def field_error(browser, name: str) -> str:
    """The problem shown beside a field: the field says it is invalid and points at it."""
    d = browser.driver
    field = d.find_element(_by().ID, field_id(name))
    assert field.get_attribute("aria-invalid") == "true", f"{name} is not marked invalid"
    assert field.get_attribute("aria-describedby") == field_id(name) + "-error"
    error = d.find_element(_by().ID, field_id(name) + "-error")
    assert error.is_displayed(), f"the problem of {name} is hidden"
    return error.text.strip()


def fill_pillar(browser, p: int, code: str, weight: str, component: str, source: str) -> None:
    at = f"pillars[{p}]"
    put(browser, at + ".code", code)
    put(browser, at + ".nameVi", f"Trụ cột {code}")
    put(browser, at + ".nameEn", f"Pillar {code}")
    put(browser, at + ".weight", weight)
    at += ".components[0]"
    put(browser, at + ".code", component)
    put(browser, at + ".source", source)
    put(browser, at + ".weight", "1")
    choose(browser, field_id(at + ".normalisation"), "goalposts")
    put(browser, at + ".normalisation.min", "0")
    put(browser, at + ".normalisation.max", "1" if source.startswith("DTI") else "100")


def open_new_method(browser, server: str) -> None:
    d = browser.driver
    sign_in(browser, server, ANALYST)
    browser.open(f"{server}/rankings", "rankings-analyst")
    choose(browser, "editor-method", "")
    submit_and_wait(browser, d.find_element(_by().CSS_SELECTOR, "#editor-form button[type=submit]"), "editor-new")
    wait_for_path(browser, "/rankings/methods/edit", "editor-new")
    assert d.find_elements(_by().ID, "editor-fields") and d.find_elements(_by().ID, "editor-json")
    assert value_of(browser, field_id("id")) == "", "the new method's form is not blank"


def test_a_method_written_field_by_field_previewed_and_saved(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    found: list[str] = []
    method = unique("editor").lower()
    open_new_method(browser, server)
    assert browser.html_lang() == "vi"
    check_page(browser, found)

    put(browser, "id", method)
    put(browser, "nameVi", "Phương pháp thử nghiệm")
    put(browser, "nameEn", "Trial method")
    choose(browser, field_id("unitKind"), "province")
    fill_pillar(browser, 0, "CQS", "1.5", "CQS_DTI", "DTI_CQS")
    fill(browser, "editor-fields-period", "2025")
    press(browser, "editor-fields", "preview", "editor-refused", refused=True)
    reason = field_error(browser, "pillars[0].weight")
    assert "hãy viết 1,5" in reason, reason
    assert any("pillars[0].weight" in p for p in problems_of(browser, "editor-problems"))
    assert value_of(browser, field_id("pillars[0].weight")) == "1.5", "what was typed is lost"
    assert value_of(browser, field_id("pillars[0].components[0].source")) == "DTI_CQS"
    assert Client(server).get(f"/api/v1/ranking-methods/{method}").status == 404
    check_page(browser, found)

    # Corrected, with a second pillar in the blank slot the page offers.
    put(browser, "pillars[0].weight", "1")
    fill_pillar(browser, 1, "DELIVERY", "1,5", "DEL_ON_TIME", "delivery:on_time_rate")
    press(browser, "editor-fields", "preview", "editor-preview")
    assert not d.find_elements(By.ID, "editor-problems")
    legends = [e.text for e in d.find_elements(By.CSS_SELECTOR, "fieldset.pillar > legend")]
    assert "40 %" in legends[0] and "60 %" in legends[1], legends
    rows = d.find_elements(By.CSS_SELECTOR, "#editor-preview tbody tr")
    assert rows and any("Hà Nội" in r.text for r in rows), [r.text for r in rows]
    assert value_of(browser, field_id("pillars[2].code")) == "", "no blank pillar is offered after a preview"
    assert Client(server).get(f"/api/v1/ranking-methods/{method}").status == 404, "a preview saved the method"
    check_page(browser, found)

    press(browser, "editor-fields", "save", "editor-saved")
    query = parse_qs(urlsplit(d.current_url).query)
    assert query.get("method") == [method] and query.get("done") == ["saved"], d.current_url
    assert d.find_element(By.ID, "editor-notice").text.strip()
    r = Client(server).get(f"/api/v1/ranking-methods/{method}")
    assert r.status == 200, r.describe()
    saved = r.json()
    assert saved["version"] == 1 and saved["unitKind"] == "province", saved
    assert [(p["code"], p["weight"]) for p in saved["pillars"]] == [("CQS", 1), ("DELIVERY", 1.5)], saved
    assert saved["pillars"][1]["components"][0]["source"] == {"delivery": "on_time_rate"}, saved
    assert saved["pillars"][1]["components"][0]["normalisation"] == {"method": "goalposts", "min": 0, "max": 100}
    assert value_of(browser, field_id("id")) == method
    assert d.find_element(By.ID, field_id("id")).get_attribute("readonly") is not None, "a saved id is editable"
    check_page(browser, found)

    # In English, a weight typed the Vietnamese way is refused in English beside its field.
    switch_to_english(browser, "editor-en")
    assert value_of(browser, field_id("pillars[1].weight")) == "1.5"
    put(browser, "pillars[1].weight", "2,5")
    press(browser, "editor-fields", "save", "editor-refused-en", refused=True)
    assert browser.html_lang() == "en"
    reason = field_error(browser, "pillars[1].weight")
    assert "written the Vietnamese way" in reason and "write 2.5" in reason, reason
    assert Client(server).get(f"/api/v1/ranking-methods/{method}").json()["version"] == 1
    check_page(browser, found)
    assert_nothing_found(found)
