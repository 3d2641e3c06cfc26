"""Self-test of the browser harness, against static pages served locally.

It needs no Mandate server: it proves that headless Chromium starts, that
screenshots are written at both widths, and that a console error fails a test
(so a green browser test means something).
"""

from __future__ import annotations

import struct
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

OK_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Harness</title></head>
<body><h1 id="greeting">Xin chào, Hà Nội</h1>
<form id="f" method="get" action="/ok.html"><input name="q" id="q"></form>
</body></html>
"""

BAD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Bad</title></head>
<body><p>bad</p><script>console.error("harness-boom");</script></body></html>
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "ok.html").write_text(OK_PAGE, encoding="utf-8")
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=str(tmp_path))
    )
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_browser_screenshots_and_form(browser, static_site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.open(f"{static_site}/ok.html", "ok")
    assert browser.html_lang() == "vi"
    assert browser.driver.find_element(By.ID, "greeting").text == "Xin chào, Hà Nội"
    desktop, mobile = browser.screenshot_paths[-2:]
    assert desktop.name.endswith("-desktop.png") and mobile.name.endswith("-mobile.png")
    assert _png_size(desktop)[0] == 1280, _png_size(desktop)
    assert _png_size(mobile)[0] == 360, _png_size(mobile)
    assert browser.viewport() == (1280, 900)
    browser.set_viewport(360, 740)
    assert browser.viewport() == (360, 740)
    browser.set_viewport(1280, 900)

    # Typing Vietnamese and submitting a GET form, as the units page test does.
    box = browser.driver.find_element(By.ID, "q")
    box.send_keys("đà nẵng", Keys.ENTER)
    WebDriverWait(browser.driver, 20).until(lambda d: "q=" in d.current_url)
    browser.page_loaded("ok-submitted")
    assert "q=%C4%91%C3%A0+n%E1%BA%B5ng" in browser.driver.current_url


def test_console_errors_fail(browser, static_site: str) -> None:
    with pytest.raises(AssertionError, match="harness-boom"):
        browser.open(f"{static_site}/bad.html", "bad")
    assert browser.html_lang() == "en"
    # A failed resource load is a console error too.
    with pytest.raises(AssertionError, match="404"):
        browser.open(f"{static_site}/missing.html", "missing")
