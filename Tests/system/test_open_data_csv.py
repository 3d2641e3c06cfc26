"""Task titles and codes go out in `/open-data/tasks.csv` so that a spreadsheet shows them as text
and runs none of them (issue 19, finding 17: the issue's example is a proposed task title
`=HYPERLINK(…)`; `CSVFieldTests` holds the rule, this holds its caller in the open data).

The rule is `CSVField.text`'s, as the value export's round trip in `IndicatorsAPITests` asserts it:
a text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (after any apostrophes)
is written with one more apostrophe in front, and nothing else changes. Read with Python's csv
module, each such cell is `'` + the title as the API keeps it, and no cell of the whole file
begins with a character a spreadsheet would run. The JSON of the same dataset keeps the title
as typed. A unit's proposal goes out only once its head has signed it off, then marked the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets

from mandate_testkit import Client

RUNS = ("=", "+", "-", "@", "\t", "\r")


def needs_mark(text: str) -> bool:
    return text.lstrip("'")[:1] in RUNS


def written(text: str) -> str:
    """The cell a spreadsheet reads for `text` (`CSVField.text`)."""
    return "'" + text if needs_mark(text) else text


def draft(code: str, title: str, lead_unit: str = "01") -> dict:
    today = dt.datetime.now(dt.timezone.utc).date()
    return {
        "code": code,
        "title": title,
        "deliverable": "Báo cáo",
        "programme": "NQ57",
        "leadUnit": lead_unit,
        "start": today.isoformat(),
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
    }


def open_tasks_csv(server: str) -> tuple[list[str], list[list[str]]]:
    r = Client(server).get("/open-data/tasks.csv")
    assert r.status == 200, r.describe()
    assert (r.header("Content-Type") or "").startswith("text/csv"), r.describe()
    rows = list(csv.reader(io.StringIO(r.text, newline="")))
    assert rows and rows[0][:2] == ["code", "title"], rows[:1]
    return rows[0], rows[1:]


def row_of(rows: list[list[str]], code: str) -> list[str] | None:
    found = [row for row in rows if row and row[0] == written(code)]
    assert len(found) <= 1, found
    return found[0] if found else None


def assert_nothing_runs(header: list[str], rows: list[list[str]]) -> None:
    running = [
        (row[0], name, cell)
        for row in rows
        for name, cell in zip(header, row)
        if cell[:1] in RUNS
    ]
    assert not running, f"cells a spreadsheet would run: {running[:10]}"


def test_task_titles_and_codes_are_exported_as_text(server: str) -> None:
    analyst = Client(server)
    csrf = analyst.login_api("analyst@demo.mandate.vn")
    tag = secrets.token_hex(3).upper()
    typed = {
        f"CSV-{tag}-EQ": f'=HYPERLINK("http://x","y") {tag}',
        f"CSV-{tag}-PLUS": f"+84 912 345 678 {tag}",
        f"CSV-{tag}-MINUS": f"-2+3 {tag}",
        f"CSV-{tag}-AT": f"@SUM(A1:A9) {tag}",
        f"CSV-{tag}-TAB": f"\t=1+1 {tag}",  # kept trimmed (HumanText): "=1+1 …"
        f"CSV-{tag}-QUOTE": f"'=already marked {tag}",  # reads back as typed, apostrophe and all
        f"CSV-{tag}-PLAIN": f"Kết nối = dữ liệu, {tag}",  # runs nothing: written as it is
        f"-CSV-{tag}": f"Mã bắt đầu bằng dấu trừ {tag}",  # a code may begin with '-'
    }
    kept: dict[str, str] = {}
    for code, title in typed.items():
        r = analyst.post("/api/v1/tasks", json=draft(code, title), csrf=csrf)
        assert r.status == 201, r.describe()
        kept[code] = r.json()["title"]
        assert not kept[code].startswith(("\t", "\r")) and kept[code].endswith(tag), kept[code]
    assert sum(needs_mark(t) for t in kept.values()) == 6, kept

    header, rows = open_tasks_csv(server)
    title = header.index("title")
    for code, stored in kept.items():
        row = row_of(rows, code)
        assert row is not None, f"task {code} is not in /open-data/tasks.csv"
        assert row[title] == written(stored), (code, stored, row[title])
    assert row_of(rows, f"-CSV-{tag}")[0] == f"'-CSV-{tag}"
    assert_nothing_runs(header, rows)

    # The JSON keeps the text as typed: the apostrophe is the CSV's alone.
    r = Client(server).get("/open-data/tasks.json")
    assert r.status == 200, r.describe()
    titles = {row["code"]: row["title"] for row in r.json()["rows"]}
    assert {code: titles.get(code) for code in kept} == kept


def test_a_signed_off_proposal_is_exported_as_text(server: str) -> None:
    reporter, head = Client(server), Client(server)
    r_csrf = reporter.login_api("reporter.hanoi@demo.mandate.vn")
    h_csrf = head.login_api("head.hanoi@demo.mandate.vn")
    tag = secrets.token_hex(3).upper()
    code, title = f"PROP-{tag}", f'=HYPERLINK("http://x","y") {tag}'
    r = reporter.post("/api/v1/tasks", json={**draft(code, title), "origin": "proposed"}, csrf=r_csrf)
    assert r.status == 201, r.describe()
    assert r.json()["title"] == title, r.describe()

    _, rows = open_tasks_csv(server)
    assert row_of(rows, code) is None, "a proposal went out before its sign-off"

    r = head.post(f"/api/v1/tasks/{code}/sign-off", csrf=h_csrf)
    assert r.status == 200, r.describe()

    header, rows = open_tasks_csv(server)
    row = row_of(rows, code)
    assert row is not None, f"the signed-off proposal {code} is not in /open-data/tasks.csv"
    assert row[header.index("title")] == "'" + title, row
    assert_nothing_runs(header, rows)
