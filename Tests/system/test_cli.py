"""The `mandate` command line: units import (all-or-nothing, errors naming the
line), users add (password from stdin), DATABASE_URL."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from mandate_testkit import (
    DEMO_COMMUNES,
    DEMO_PROVINCES,
    UNITS_CSV_HEADER,
    Client,
    MandateServer,
    run_cli,
    sqlite_dump,
)

GOOD_ROWS = [
    "commune,99901,Xã Thử Nghiệm Một,Thử Nghiệm Một,Xã,01,21.1,105.8,12.5",
    "commune,99902,Phường Kiểm Tra Hai,Kiểm Tra Hai,Phường,48,16.05,108.2,3.25",
]
BAD_ROWS = [
    "commune,99903,Xã Hợp Lệ,Hợp Lệ,Xã,01,21.0,105.8,10",  # line 2: valid
    "commune,99904,Xã Mồ Côi,Mồ Côi,Xã,98,21.0,105.8,10",  # line 3: unknown parent 98
    "commune,99905,Xã Vĩ Độ Sai,Vĩ Độ Sai,Xã,01,200,105.8,10",  # line 4: latitude 200
]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(UNITS_CSV_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path



def unit_status(c: Client, code: str) -> int:
    return c.get(f"/api/v1/units/{code}").status


@pytest.fixture
def prepared_db(start_server, tmp_path: Path) -> tuple[str, Path]:
    """A SQLite database the server created (migrated, demo loaded), with the
    server stopped again."""
    path = tmp_path / "m.sqlite"
    db = f"sqlite:{path}"
    srv: MandateServer = start_server(db)
    c = srv.client()
    assert c.unit_total("province") == DEMO_PROVINCES
    srv.assert_graceful_stop()
    return db, path


def output_for_line(output: str, line: int) -> str:
    """The part of the output about `line N` (up to the next `line M`)."""
    m = re.search(rf"\bline\s*{line}\b(.*?)(?=\bline\s*\d+\b|\Z)", output, re.I | re.S)
    return m.group(1) if m else ""


def test_units_import_bad_rows_change_nothing(
    mandate_binary: str, prepared_db, start_server, tmp_path: Path
) -> None:
    db, path = prepared_db
    before = sqlite_dump(path)
    csv_file = write_csv(tmp_path / "bad.csv", BAD_ROWS)

    p = run_cli(mandate_binary, ["units", "import", str(csv_file), "--database", db], cwd=tmp_path)
    out = p.stdout + p.stderr
    assert p.returncode != 0, f"import of a bad file exited 0:\n{out}"
    line3, line4 = output_for_line(out, 3), output_for_line(out, 4)
    assert re.search(r"\bline\s*3\b", out, re.I), f"no error naming line 3:\n{out}"
    assert re.search(r"\bline\s*4\b", out, re.I), f"no error naming line 4:\n{out}"
    assert re.search(r"parent|98", line3, re.I), f"line 3 error does not give the reason:\n{out}"
    assert re.search(r"lat|200", line4, re.I), f"line 4 error does not give the reason:\n{out}"
    assert "Traceback" not in out and "Fatal error" not in out, out

    after = sqlite_dump(path)
    if before != after:
        diff = sorted(set(after) ^ set(before))
        pytest.fail("a failed import changed the database:\n" + "\n".join(diff[:20]))

    srv = start_server(db)
    c = srv.client()
    assert c.unit_total("province") == DEMO_PROVINCES
    assert c.unit_total("commune") == DEMO_COMMUNES
    for code in ("99903", "99904", "99905"):
        assert unit_status(c, code) == 404, f"unit {code} from a failed import exists"


def test_units_import_good_file(
    mandate_binary: str, prepared_db, start_server, tmp_path: Path
) -> None:
    db, _path = prepared_db
    csv_file = write_csv(tmp_path / "good.csv", GOOD_ROWS)
    p = run_cli(mandate_binary, ["units", "import", str(csv_file), "--database", db], cwd=tmp_path)
    assert p.returncode == 0, f"import failed ({p.returncode}):\n{p.stdout}{p.stderr}"

    srv = start_server(db)
    c = srv.client()
    assert c.unit_total("province") == DEMO_PROVINCES
    assert c.unit_total("commune") == DEMO_COMMUNES + len(GOOD_ROWS)
    r = c.get("/api/v1/units/99901")
    assert r.status == 200, r.describe()
    u = r.json()
    assert (u["code"], u["kind"], u["name"], u["shortName"]) == (
        "99901",
        "commune",
        "Xã Thử Nghiệm Một",
        "Thử Nghiệm Một",
    ), u
    r = c.get("/api/v1/units/99902")
    assert r.status == 200 and r.json()["name"] == "Phường Kiểm Tra Hai", r.describe()
    r = c.get("/api/v1/units?search=thu%20nghiem%20mot")
    assert "99901" in [i["code"] for i in r.json()["items"]], r.describe()
    # Hà Nội lists its communes fifty at a time, by code: the new one is on its last page.
    total = c.get("/api/v1/units?parent=01&limit=1").json()["total"]
    page = c.get(f"/units/01?offset={(total - 1) // 50 * 50}")
    assert "Xã Thử Nghiệm Một" in page.text, "imported commune not listed under Hà Nội"
    searched = c.get("/units/01?q=thu%20nghiem%20mot")
    assert "Xã Thử Nghiệm Một" in searched.text, "imported commune not found among Hà Nội's"


def test_users_add_reads_password_from_stdin(
    mandate_binary: str, prepared_db, start_server, tmp_path: Path
) -> None:
    db, _path = prepared_db
    email = "new.user@example.vn"
    password = "Correct-horse-battery-9"
    p = run_cli(
        mandate_binary,
        ["users", "add", "--unit", "BCD", "--role", "admin", "--email", email, "--database", db],
        stdin=password + "\n",
        cwd=tmp_path,
    )
    out = p.stdout + p.stderr
    assert p.returncode == 0, f"users add failed ({p.returncode}):\n{out}"
    assert password not in out, "users add echoed the password"

    srv = start_server(db)
    c = srv.client()
    r = c.post("/api/v1/session", json={"email": email, "password": password})
    assert r.status == 200, f"new user cannot log in: {r.describe()}"
    assert r.json()["user"]["email"] == email, r.json()
    r = Client(srv.url).post("/api/v1/session", json={"email": email, "password": password + "x"})
    assert r.status == 401, r.describe()
    # The demo admin is still there.
    Client(srv.url).login_api()


def test_database_url_env(mandate_binary: str, start_server, tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite"
    srv = start_server(None, extra_env={"DATABASE_URL": f"sqlite:{path}"})
    assert path.is_file(), "DATABASE_URL was not honoured (no database file created)"
    assert srv.client().unit_total("province") == DEMO_PROVINCES


def test_a_server_whose_start_fails_exits_with_the_reason(
    mandate_binary: str, prepared_db, tmp_path: Path
) -> None:
    """A start that fails (here a migration that cannot apply) ends the process with a
    non-zero status and the reason, instead of leaving a server that never answers."""
    import subprocess

    from mandate_testkit import free_port

    db, path = prepared_db
    conn = sqlite3.connect(path)
    try:
        # The first migration is recorded as not applied, but the tables it made are there:
        # applying it again fails on them.
        conn.execute("DELETE FROM schema_migrations WHERE name = (SELECT MIN(name) FROM schema_migrations)")
        conn.commit()
    finally:
        conn.close()
    try:
        p = subprocess.run(
            [mandate_binary, "serve", "--database", db, "--port", str(free_port()), "--log-level", "warning"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"the server neither started nor exited after its start failed: {e.stderr!r}")
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "already exists" in out, out


def test_a_new_database_starts_without_warnings(start_server, tmp_path: Path) -> None:
    """The background services wait for the migrations: the first start on a new database
    logs no warning about tables that do not exist yet."""
    srv: MandateServer = start_server(f"sqlite:{tmp_path / 'new.sqlite'}")
    assert srv.client().unit_total("province") == DEMO_PROVINCES
    srv.assert_graceful_stop()
    log = srv.log_path.read_text(encoding="utf-8", errors="replace")
    assert "no such table" not in log, log[-3000:]
    assert " warning " not in log and " error " not in log, log[-3000:]
