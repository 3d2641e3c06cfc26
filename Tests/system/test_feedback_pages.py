"""Citizens rate a service without an account, in headless Chromium, with JavaScript off for the
form itself (it needs none): from a province's profile to the rating form, a refusal (no overall
score) in Vietnamese with what was typed kept, then the rating sent and followed on its receipt's
page; the same in English from an accepted task's page. A rating's comment followed to the
unit's answer, in both languages, to its fact in the transparency log, and to the appeal. Every
page fits a 360-px phone and axe-core 4.x finds no serious or critical violation on it.

Then the privacy check the issue asks for: after a comment holding an e-mail address, phone
numbers and a citizen ID number, neither the database file (with its WAL), nor the server's log,
nor any public output (the API, the receipt's page, the unit's page, the open-data files) holds
any of them."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

from mandate_testkit import Client
from test_committee_forms import assert_nothing_found, check_page, follow, problems_of
from test_task_pages import _by
from test_work_plan_page import submit_and_wait

SECRETS = ["lan.tran@example.vn", "0987 654 321", "0987654321", "+84 987 654 321", "079203001234"]
COMMENT = "Tôi là lan.tran@example.vn, số 0987 654 321 hoặc +84 987 654 321, CCCD 079203001234. Chờ ba tuần."


def open_form_from_profile(browser, server: str, unit: str) -> None:
    browser.open(f"{server}/units/{unit}", "unit-profile")
    follow(browser, "unit-rate-link", "/feedback/new", "feedback-form")
    assert browser.driver.find_elements(_by().ID, "feedback-form")


def choose_score(browser, element_id: str) -> None:
    box = browser.driver.find_element(_by().ID, element_id)
    box.click()
    assert box.is_selected(), element_id


def send(browser, label: str, *, refused: bool = False) -> None:
    button = browser.driver.find_element(_by().CSS_SELECTOR, "#feedback-form button[type=submit]")
    submit_and_wait(browser, button, label, refused_with="422" if refused else None)


def test_a_service_rated_refused_then_received_in_vietnamese(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    found: list[str] = []
    open_form_from_profile(browser, server, "01")
    assert browser.html_lang() == "vi"
    assert "Hà Nội" in d.find_element(By.ID, "feedback-subject").text
    check_page(browser, found)

    # No overall score: the browser's own check is skipped so that the server's is seen.
    d.execute_script("document.getElementById('feedback-form').noValidate = true")
    d.find_element(By.CSS_SELECTOR, "details.factors summary").click()
    choose_score(browser, "feedback-staff-4")
    d.find_element(By.ID, "feedback-comment").send_keys("Cán bộ tận tình")
    send(browser, "feedback-refused", refused=True)
    problems = problems_of(browser, "feedback-problems")
    assert any("hãy chọn điểm từ 1 đến 5" in p for p in problems), problems
    assert d.find_element(By.ID, "feedback-staff-4").is_selected(), "a factor's score was lost"
    assert d.find_element(By.ID, "feedback-comment").get_attribute("value") == "Cán bộ tận tình"
    check_page(browser, found)

    choose_score(browser, "feedback-overall-4")
    send(browser, "feedback-received")
    path = urlsplit(d.current_url).path
    assert path.startswith("/feedback/"), d.current_url
    receipt = d.find_element(By.ID, "feedback-receipt").text.strip()
    assert path == f"/feedback/{receipt}", (path, receipt)
    assert d.find_element(By.ID, "feedback-notice").text.strip()
    assert "4/5" in d.find_element(By.ID, "feedback-overall").text
    assert "chờ kiểm duyệt" in d.find_element(By.ID, "feedback-state").text
    check_page(browser, found)
    r = Client(server).get(f"/api/v1/feedback/{receipt}")
    assert r.status == 200, r.describe()
    assert r.json()["factors"] == {"staff": 4} and r.json()["overall"] == 4, r.describe()
    assert_nothing_found(found)


def test_a_task_result_rated_in_english(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    found: list[str] = []
    listed = Client(server).get("/api/v1/tasks?status=accepted_on_time&limit=1").json()["items"]
    assert listed, "the demo has no accepted task"
    task = listed[0]["code"]
    browser.open(f"{server}/tasks/{task}?lang=en", "task-page-en")
    follow(browser, "task-rate-link", "/feedback/new", "feedback-form-en")
    assert browser.html_lang() == "en"
    assert task in d.find_element(By.ID, "feedback-subject").text
    check_page(browser, found)
    choose_score(browser, "feedback-overall-2")
    send(browser, "feedback-received-en")
    assert browser.html_lang() == "en"
    assert "Thank you" in d.find_element(By.ID, "feedback-notice").text
    receipt = d.find_element(By.ID, "feedback-receipt").text.strip()
    # The receipt typed in lower case, without dashes, finds the same rating.
    d.find_element(By.ID, "feedback-find-receipt").send_keys(receipt.lower().replace("-", ""))
    submit_and_wait(browser, d.find_element(By.CSS_SELECTOR, "#feedback-find button"), "feedback-found")
    assert urlsplit(d.current_url).path == f"/feedback/{receipt}", d.current_url
    assert d.find_element(By.ID, "feedback-state").text.strip() == "counted"
    check_page(browser, found)
    assert_nothing_found(found)


def test_an_answer_followed_in_both_languages_to_the_log_and_the_appeal(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    found: list[str] = []
    open_form_from_profile(browser, server, "01")
    choose_score(browser, "feedback-overall-2")
    d.find_element(By.ID, "feedback-comment").send_keys("Hồ sơ đất đai chờ hai tháng chưa có kết quả")
    send(browser, "feedback-answer-received")
    receipt = d.find_element(By.ID, "feedback-receipt").text.strip()
    assert d.find_element(By.ID, "feedback-answer").text.strip() == "chưa có"

    # The province's head publishes the comment and answers it.
    head = Client(server)
    csrf = head.login_api("head.hanoi@demo.mandate.vn", "mandate-demo")
    queue = head.get("/feedback/moderation")
    assert queue.status == 200, queue.describe()
    references = re.findall(r'id="comment-([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})"', queue.text)
    assert references, queue.text[:2000]
    reference = references[-1]
    r = head.post(f"/api/v1/feedback/comments/{reference}/moderation", json={"decision": "publish"}, csrf=csrf)
    assert r.status == 200, r.describe()
    answer = "Sở đã chuyển hồ sơ và sẽ trả kết quả trong tuần này"
    r = head.post(f"/api/v1/feedback/comments/{reference}/answer", json={"answer": answer}, csrf=csrf)
    assert r.status == 200, r.describe()

    # The citizen follows it on the receipt's page, in Vietnamese, then in English.
    browser.open(f"{server}/feedback/{receipt}", "feedback-answered-vi")
    assert browser.html_lang() == "vi"
    assert d.find_element(By.ID, "feedback-answer").text.startswith(answer)
    assert "ý kiến đã được công bố" in d.find_element(By.ID, "feedback-state").text
    check_page(browser, found)
    browser.open(f"{server}/feedback/{receipt}?lang=en", "feedback-answered-en")
    assert browser.html_lang() == "en"
    assert d.find_element(By.ID, "feedback-answer").text.startswith(answer)
    assert d.find_element(By.ID, "feedback-state").text.strip() == "counted; the comment is published"
    check_page(browser, found)

    # Its rating is a fact of the log, which the receipt's page checks once a checkpoint holds it.
    check = d.find_element(By.ID, "feedback-log-check").get_attribute("href")
    deadline = time.monotonic() + 20
    while Client(server).get(check).status != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    follow(browser, "feedback-log-check", "/transparency", "feedback-log-checked")
    assert d.find_element(By.ID, "check-result").get_attribute("data-verdict") == "verified"
    assert receipt not in d.page_source
    check_page(browser, found)

    # Unsatisfied, the citizen rates the answer 2: the comment goes to the committee on appeal.
    browser.open(f"{server}/feedback/{receipt}?lang=en", "feedback-to-rate")
    choose_score(browser, "answer-score-2")
    button = d.find_element(By.CSS_SELECTOR, "#feedback-rate-answer button[type=submit]")
    submit_and_wait(browser, button, "feedback-answer-rated")
    assert "2/5" in d.find_element(By.ID, "feedback-answer-rating").text
    assert d.find_element(By.ID, "feedback-appeal").text.strip()
    check_page(browser, found)
    assert_nothing_found(found)


def test_personal_data_in_a_comment_reaches_no_file_log_or_output(server: str, server_handle) -> None:
    c = Client(server)
    r = c.post("/api/v1/feedback", json={"unit": "79", "overall": 1, "comment": COMMENT})
    assert r.status == 201, r.describe()
    body = r.json()
    assert "[***]" in json.dumps(body, ensure_ascii=False) or body.get("comment") is None
    receipt = body["receipt"]
    outputs = [r.text]
    for path in [
        f"/api/v1/feedback/{receipt}", f"/feedback/{receipt}", f"/feedback/{receipt}?lang=en", "/units/79",
        "/open-data", "/api/v1/log/checkpoint",
    ]:
        got = c.get(path)
        outputs.append(got.text)
    stored = b""
    for file in Path(server_handle.workdir).iterdir():
        if file.is_file():
            stored += file.read_bytes()
    log = server_handle.log_path.read_bytes()
    assert "Chờ ba tuần".encode() in stored, "the comment itself was not kept"
    for secret in SECRETS:
        raw = secret.encode()
        assert raw not in stored, f"{secret} is in the database files"
        assert raw not in log, f"{secret} is in the server's log"
        for text in outputs:
            assert secret not in text, f"{secret} is in a public output"
