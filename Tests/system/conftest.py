"""Fixtures for Mandate's out-of-process system tests.

Environment:
  MANDATE_BIN                 the `mandate` executable (default .build/debug/mandate)
  MANDATE_TEST_POSTGRES_URL   postgres://… of a server where the `mandate` role may
                              CREATE DATABASE (enables test_postgres.py)
  MANDATE_OUT_DIR             where logs and screenshots go (default .ci/out)
  MANDATE_PIDS_DIR            if set, every started server's pid is recorded there
                              (so .ci/run can kill leftovers)
  MANDATE_CHROMIUM            browser binary (default /usr/bin/chromium)
  MANDATE_CHROMEDRIVER        driver binary (default /usr/bin/chromedriver)
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable, Iterator

import pytest

from mandate_testkit import OUT_DIR, ROOT, MandateServer

SCREENSHOTS_DIR = OUT_DIR / "screenshots"
LOGS_DIR = OUT_DIR / "logs"

_all_servers: list[MandateServer] = []


def _slug(text: str) -> str:
    """ASCII file-name fragment: "Hà Nội" -> "Ha-Noi", "đa" -> "da"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80] or "x"


def pytest_sessionstart(session: pytest.Session) -> None:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    for old in list(SCREENSHOTS_DIR.glob("*.png")) + list(LOGS_DIR.glob("*.log")):
        try:
            old.unlink()
        except OSError:
            pass


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Never leave a server behind, whatever happened.
    for s in _all_servers:
        try:
            if s.running():
                s.kill9()
        except Exception:  # noqa: BLE001
            pass


# --------------------------------------------------------------------------
# The binary and servers


@pytest.fixture(scope="session")
def mandate_binary() -> str:
    path = os.environ.get("MANDATE_BIN") or str(ROOT / ".build" / "debug" / "mandate")
    p = Path(path)
    if not p.is_absolute():
        p = ROOT / p
    if not (p.is_file() and os.access(p, os.X_OK)):
        pytest.fail(
            f"mandate binary not found at {p}: build it (`swift build --product mandate`) "
            "or set MANDATE_BIN",
            pytrace=False,
        )
    return str(p)


def _new_server(
    binary: str,
    database: str | None,
    workdir: Path,
    name: str,
    extra_env: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
    open_files: int | None = None,
) -> MandateServer:
    n = len(_all_servers) + 1
    s = MandateServer(
        binary,
        database,
        workdir,
        LOGS_DIR / f"{n:02d}-{_slug(name)}.log",
        extra_env=extra_env,
        extra_args=extra_args,
        open_files=open_files,
    )
    _all_servers.append(s)
    return s


@pytest.fixture(scope="module")
def server_handle(
    mandate_binary: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[MandateServer]:
    """A server on a fresh SQLite file, shared by one test module. Stopping it
    with SIGTERM must exit 0 within 10 s (tests graceful shutdown)."""
    workdir = tmp_path_factory.mktemp("server")
    s = _new_server(
        mandate_binary, f"sqlite:{workdir}/m.sqlite", workdir, request.module.__name__
    )
    s.start(timeout=120)
    yield s
    s.assert_graceful_stop(timeout=10)


@pytest.fixture(scope="module")
def server(server_handle: MandateServer) -> str:
    """Base URL (http://127.0.0.1:PORT) of the module's server."""
    return server_handle.url


StartServer = Callable[..., MandateServer]


@pytest.fixture
def start_server(
    mandate_binary: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[StartServer]:
    """Factory: start_server(database, workdir=None, extra_env=None, extra_args=None,
    open_files=None) -> started MandateServer. Servers still running at the end of the test are stopped
    with SIGTERM and must exit 0 within 10 s."""
    mine: list[MandateServer] = []

    def start(
        database: str | None,
        *,
        workdir: Path | None = None,
        extra_env: dict[str, str] | None = None,
        timeout: float = 120,
        extra_args: list[str] | None = None,
        open_files: int | None = None,
    ) -> MandateServer:
        s = _new_server(
            mandate_binary, database, workdir or tmp_path, request.node.name, extra_env,
            extra_args, open_files,
        )
        mine.append(s)
        return s.start(timeout=timeout)

    yield start

    problems = []
    for s in mine:
        if s.running():
            try:
                s.assert_graceful_stop(timeout=10)
            except AssertionError as e:
                problems.append(str(e))
    assert not problems, "\n\n".join(problems)


# --------------------------------------------------------------------------
# Browser


class Browser:
    """A headless Chromium driven by selenium.

    - every page visit must go through open() or page_loaded(), which take a
      screenshot at desktop width (1280x900) and at 360x740 into
      .ci/out/screenshots/ and fail on SEVERE console entries (JS errors, CSP
      violations, failed resource loads);
    - console entries are also appended to .ci/out/logs/browser-console.log.
    """

    DESKTOP = (1280, 900)
    MOBILE = (360, 740)

    def __init__(self, driver, test_name: str):
        self.driver = driver
        self.test_name = _slug(test_name)
        self.shots = 0
        self.console: list[dict] = []
        self.screenshot_paths: list[Path] = []

    # -- navigation --------------------------------------------------------

    def open(self, url: str, label: str | None = None) -> None:
        self.driver.get(url)
        self.page_loaded(label)

    def page_loaded(self, label: str | None = None, timeout: float = 30) -> None:
        """Call after every navigation (link click, form submit)."""
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, timeout).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        self.screenshot(label)
        self.assert_no_console_errors()

    # -- console -----------------------------------------------------------

    def drain_console(self) -> list[dict]:
        entries = self.driver.get_log("browser")
        if entries:
            with open(LOGS_DIR / "browser-console.log", "a", encoding="utf-8") as f:
                for e in entries:
                    f.write(
                        f"[{self.test_name}] {e.get('level')} {e.get('source', '')} "
                        f"{e.get('message')}\n"
                    )
        self.console.extend(entries)
        return entries

    def assert_no_console_errors(self) -> None:
        severe = [e for e in self.drain_console() if e.get("level") == "SEVERE"]
        assert not severe, (
            f"browser console errors on {self.driver.current_url}:\n"
            + "\n".join(f"  {e.get('message')}" for e in severe)
        )

    # -- screenshots ---------------------------------------------------------

    def set_viewport(self, width: int, height: int) -> None:
        d = self.driver
        d.set_window_size(width, height)
        # Make the viewport (not the outer window) the requested size.
        inner = d.execute_script("return [window.innerWidth, window.innerHeight]")
        dw, dh = width - inner[0], height - inner[1]
        if dw or dh:
            d.set_window_size(width + dw, height + dh)

    def viewport(self) -> tuple[int, int]:
        w, h = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
        return int(w), int(h)

    def _capture(self, path: Path) -> None:
        d = self.driver
        try:
            m = d.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = m.get("cssContentSize") or m["contentSize"]
            vw, _vh = self.viewport()
            width = max(vw, int(size["width"]))
            height = min(max(1, int(size["height"])), 8000)
            shot = d.execute_cdp_cmd(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                },
            )
            path.write_bytes(base64.b64decode(shot["data"]))
        except Exception:  # noqa: BLE001 - fall back to a viewport screenshot
            d.save_screenshot(str(path))

    def screenshot(self, label: str | None = None) -> list[Path]:
        self.shots += 1
        if label is None:
            from urllib.parse import urlsplit

            u = urlsplit(self.driver.current_url)
            label = (u.path + ("-" + u.query if u.query else "")) or "page"
        base = f"{self.test_name}-{self.shots:02d}-{_slug(label)}"
        paths = []
        try:
            for kind, (w, h) in (("desktop", self.DESKTOP), ("mobile", self.MOBILE)):
                self.set_viewport(w, h)
                p = SCREENSHOTS_DIR / f"{base}-{kind}.png"
                self._capture(p)
                paths.append(p)
        finally:
            self.set_viewport(*self.DESKTOP)
        self.screenshot_paths.extend(paths)
        return paths

    # -- DOM helpers -----------------------------------------------------------

    def html_lang(self) -> str:
        return self.driver.execute_script("return document.documentElement.lang") or ""

    def path(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.driver.current_url).path


def _chrome_options(user_data_dir: str):
    from selenium.webdriver.chrome.options import Options

    opts = Options()
    opts.binary_location = os.environ.get("MANDATE_CHROMIUM", "/usr/bin/chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        "--lang=vi-VN",
        f"--window-size={Browser.DESKTOP[0]},{Browser.DESKTOP[1]}",
        f"--user-data-dir={user_data_dir}",
    ):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "vi-VN,vi"})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return opts


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Browser]:
    """A fresh headless Chromium per test (no cookies carried over)."""
    # Never let selenium-manager try to download anything.
    os.environ.setdefault("SE_OFFLINE", "true")
    os.environ.setdefault("SE_AVOID_STATS", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver_path = os.environ.get("MANDATE_CHROMEDRIVER", "/usr/bin/chromedriver")
    for p in (driver_path, os.environ.get("MANDATE_CHROMIUM", "/usr/bin/chromium")):
        if not os.access(p, os.X_OK):
            pytest.fail(
                f"{p} not found: apt-get install chromium chromium-driver", pytrace=False
            )
    profile = tempfile.mkdtemp(prefix="mandate-chromium-")
    service = Service(
        executable_path=driver_path, log_output=str(LOGS_DIR / "chromedriver.log")
    )
    driver = webdriver.Chrome(service=service, options=_chrome_options(profile))
    driver.set_page_load_timeout(60)
    b = Browser(driver, request.node.name)
    b.set_viewport(*Browser.DESKTOP)
    try:
        yield b
        # Anything logged after the last check still fails the test.
        b.assert_no_console_errors()
    finally:
        try:
            driver.quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
