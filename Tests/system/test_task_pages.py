"""Task accountability as officials use it, in headless Chromium: a reporter
records progress with an evidence file, the unit head submits, a committee
analyst accepts; the status is derived at each step; the escalation board and
recommendations render in both languages and fit a 360-px phone. Every page
visited is screenshotted and must log no console errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from mandate_testkit import DEMO_ADMIN_PASSWORD, Client


def _by():
    from selenium.webdriver.common.by import By

    return By


def sign_in(browser, server: str, email: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    d.delete_all_cookies()
    browser.open(f"{server}/login", "login")
    d.find_element(By.ID, "email").send_keys(email)
    d.find_element(By.ID, "password").send_keys(DEMO_ADMIN_PASSWORD)
    d.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    WebDriverWait(d, 20).until(lambda d: "/login" not in d.current_url)
    browser.page_loaded("signed-in")


def submit_and_wait(browser, button, label: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.driver
    old = d.find_element(_by().TAG_NAME, "html")
    button.click()
    WebDriverWait(d, 20).until(lambda d: old.id != d.find_element(_by().TAG_NAME, "html").id)
    browser.page_loaded(label)


def status_text(browser) -> str:
    return browser.driver.find_element(_by().ID, "task-status").text.strip()


def fits_phone(browser) -> None:
    browser.screenshot("phone")
    browser.set_viewport(360, 740)
    width = browser.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 362, f"{browser.driver.current_url} is {width}px wide at a 360-px viewport"
    browser.set_viewport(1280, 900)


def test_report_submit_accept_in_the_browser(browser, server: str, tmp_path) -> None:
    By = _by()
    d = browser.driver
    api = Client(server)
    csrf = api.login_api("analyst@demo.mandate.vn")
    today = dt.datetime.now(dt.timezone.utc).date()
    task = {
        "code": "SYS-T1",
        "title": "Kết nối cơ sở dữ liệu đất đai với Nền tảng chia sẻ dữ liệu",
        "deliverable": "Biên bản nghiệm thu kết nối",
        "programme": "NQ57",
        "orientation": 3,
        "leadUnit": "01",
        "coordinatingUnits": ["BKHCN"],
        "start": (today - dt.timedelta(days=5)).isoformat(),
        "deadline": (today + dt.timedelta(days=20)).isoformat(),
    }
    r = api.post("/api/v1/tasks", json=task, csrf=csrf)
    assert r.status == 201, r.describe()

    # The reporter of Hà Nội: the list starts from the unit's own tasks.
    sign_in(browser, server, "reporter.hanoi@demo.mandate.vn")
    browser.open(f"{server}/tasks?search=SYS-T1", "tasks-mine")
    assert "SYS-T1" in d.page_source
    d.find_element(By.CSS_SELECTOR, 'a[href="/tasks/SYS-T1"]').click()
    browser.page_loaded("task")
    assert status_text(browser) == "Chưa triển khai"
    fits_phone(browser)

    d.find_element(By.ID, "progress-percent").send_keys("100")
    d.find_element(By.ID, "progress-narrative").send_keys("Đã kết nối và nghiệm thu.")
    d.find_element(By.ID, "progress-links").send_keys("https://hanoi.gov.vn/nghiem-thu")
    submit_and_wait(browser, d.find_element(By.CSS_SELECTOR, "#progress-form button"), "progress-saved")
    assert d.find_element(By.ID, "task-done").is_displayed()
    assert status_text(browser) == "Đang thực hiện"

    evidence = tmp_path / "bien-ban-nghiem-thu.txt"
    evidence.write_bytes("Biên bản nghiệm thu kết nối".encode())
    d.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(evidence))
    form = d.find_element(By.CSS_SELECTOR, "input[type=file]").find_element(By.XPATH, "./ancestor::form")
    submit_and_wait(browser, form.find_element(By.TAG_NAME, "button"), "file-attached")
    digest = hashlib.sha256(evidence.read_bytes()).hexdigest()
    assert digest in d.page_source, "the page does not show the file's SHA-256"
    # A reporter does not see the head's submit button nor the committee's decision.
    assert not d.find_elements(By.CSS_SELECTOR, ".submit-report, .accept-report")

    sign_in(browser, server, "head.hanoi@demo.mandate.vn")
    browser.open(f"{server}/tasks/SYS-T1", "task-head")
    submit_and_wait(browser, d.find_element(By.CSS_SELECTOR, ".submit-report"), "submitted")
    assert status_text(browser) == "Đã gửi báo cáo"

    sign_in(browser, server, "analyst@demo.mandate.vn")
    browser.open(f"{server}/tasks/SYS-T1", "task-analyst")
    d.find_element(By.CSS_SELECTOR, "form.decide textarea").send_keys("Đạt yêu cầu")
    submit_and_wait(browser, d.find_element(By.CSS_SELECTOR, ".accept-report"), "accepted")
    assert status_text(browser) == "Hoàn thành đúng hạn"
    history = d.find_element(By.ID, "task-history").text
    assert "Chấp nhận báo cáo" in history and "Gửi báo cáo" in history

    d.find_element(By.ID, "lang-switch").click()
    browser.page_loaded("accepted-en")
    assert status_text(browser) == "Accepted on time"

    # The accepted report is a published fact, and its evidence is now public.
    facts = Client(server).get("/api/v1/log/facts?limit=10000").json()["items"]
    mine = [json.loads(f) for f in facts if '"accepted-report/SYS-T1/01/' in f]
    assert len(mine) == 1 and digest in mine[0]["fields"]["evidence"], mine


def test_escalation_board_and_recommendations(browser, server: str) -> None:
    By = _by()
    d = browser.driver
    totals = Client(server).get("/api/v1/escalation").json()["totals"]
    browser.open(f"{server}/escalation", "escalation")
    cards = d.find_element(By.ID, "escalation-totals").text
    assert str(totals["overdue"]) in cards and str(totals["unansweredRecommendations"]) in cards
    rows = d.find_elements(By.CSS_SELECTOR, "#overdue-tasks tbody tr")
    assert len(rows) == min(totals["overdue"], 100)
    fits_phone(browser)
    browser.open(f"{server}/escalation?lang=en", "escalation-en")
    assert "overdue tasks" in d.find_element(By.ID, "escalation-totals").text

    sign_in(browser, server, "reporter.hanoi@demo.mandate.vn")
    browser.open(f"{server}/recommendations", "recommendations")
    d.find_element(By.ID, "raise-title").send_keys("Đề nghị hướng dẫn chuẩn dữ liệu đất đai")
    submit_and_wait(browser, d.find_element(By.CSS_SELECTOR, "#raise-form button"), "raised")
    assert "done=raisedAwaiting" in d.current_url
    assert "Đề nghị hướng dẫn chuẩn dữ liệu đất đai" in d.find_element(By.ID, "recommendations-list").text
    fits_phone(browser)

    # Not public until the head of Hà Nội signs it off, on the same page.
    def public_titles() -> list[str]:
        return [r["title"] for r in Client(server).get("/api/v1/recommendations?limit=1000").json()["recommendations"]]

    assert "Đề nghị hướng dẫn chuẩn dữ liệu đất đai" not in public_titles()
    sign_in(browser, server, "head.hanoi@demo.mandate.vn")
    browser.open(f"{server}/recommendations", "recommendations-head")
    row = next(
        li
        for li in d.find_elements(By.CSS_SELECTOR, "#recommendations-list > li")
        if "Đề nghị hướng dẫn chuẩn dữ liệu đất đai" in li.text
    )
    submit_and_wait(browser, row.find_element(By.CSS_SELECTOR, "form[action$='/sign-off'] button"), "signed-off")
    assert "done=signedOff" in d.current_url
    assert "Đề nghị hướng dẫn chuẩn dữ liệu đất đai" in public_titles()


def test_an_open_task_page_updates_in_place_when_its_report_is_accepted(browser, server: str) -> None:
    """No reload: a marker set on the page survives, and the status changes within seconds."""
    from selenium.webdriver.support.ui import WebDriverWait

    By = _by()
    d = browser.driver
    analyst, reporter, head = Client(server), Client(server), Client(server)
    a = analyst.login_api("analyst@demo.mandate.vn")
    r = reporter.login_api("reporter.hanoi@demo.mandate.vn")
    h = head.login_api("head.hanoi@demo.mandate.vn")
    today = dt.datetime.now(dt.timezone.utc).date()
    task = {
        "code": "SYS-LIVE", "title": "Cập nhật trực tiếp", "deliverable": "Báo cáo", "programme": "NQ57",
        "leadUnit": "01", "start": today.isoformat(), "deadline": (today + dt.timedelta(days=9)).isoformat(),
    }
    assert analyst.post("/api/v1/tasks", json=task, csrf=a).status == 201
    report = reporter.post(
        "/api/v1/tasks/SYS-LIVE/reports", json={"unit": "01", "percent": 100, "narrative": "Xong"}, csrf=r
    ).json()["id"]
    assert head.post(f"/api/v1/reports/{report}/submit", csrf=h).status == 200

    d.delete_all_cookies()
    browser.open(f"{server}/tasks/SYS-LIVE", "live-before")
    assert status_text(browser) == "Đã gửi báo cáo"
    d.execute_script("window.__stillTheSamePage = true;")
    # Give EventSource a moment to connect before the fact is published.
    WebDriverWait(d, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-live-connected") == "true"
    )
    accepted = analyst.post(f"/api/v1/reports/{report}/accept", csrf=a)
    assert accepted.status == 200, accepted.describe()
    WebDriverWait(d, 10).until(lambda d: status_text(browser) == "Hoàn thành đúng hạn")
    assert d.execute_script("return window.__stillTheSamePage === true"), "the page was reloaded"
    assert d.find_element(By.TAG_NAME, "main").get_attribute("data-updated")
    browser.screenshot("live-after")
    browser.assert_no_console_errors()
